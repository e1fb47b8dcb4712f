import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// SessionList: unread counts as badges, the open session highlighted, a click opens; and the
// invitation banner's Accept / Decline.
Item {
    width: 320
    height: 400

    ListModel {
        id: sessions
        ListElement { sid: "s1"; title: "Alice, Bob"; memberCount: 3; unread: 0; isCurrent: true; lastMessage: "Bob: hi" }
        ListElement { sid: "s2"; title: "Carol"; memberCount: 2; unread: 4; isCurrent: false; lastMessage: "" }
    }

    SessionList {
        id: list
        width: 320
        height: 300
        model: sessions
    }

    InvitationBanner {
        id: banner
        y: 300
        width: 320
        sid: "s9"
        fromName: "Erin"
    }

    SignalSpy {
        id: opened
        target: list
        signalName: "openRequested"
    }

    SignalSpy {
        id: started
        target: list
        signalName: "startGroupRequested"
    }

    SignalSpy {
        id: accepted
        target: banner
        signalName: "accepted"
    }

    SignalSpy {
        id: declined
        target: banner
        signalName: "declined"
    }

    TestCase {
        name: "SessionList"
        when: windowShown

        function row(i) {
            return list.listView.itemAtIndex(i);
        }

        function test_unreadBadges() {
            tryVerify(() => row(1) !== null);
            verify(!findChild(row(0), "unreadBadge").visible);
            verify(findChild(row(1), "unreadBadge").visible);
            compare(findChild(row(1), "unreadBadge").Accessible.name, "4 unread");
            sessions.setProperty(1, "unread", 0);
            verify(!findChild(row(1), "unreadBadge").visible);
            sessions.setProperty(1, "unread", 4);
        }

        function test_currentIsHighlighted() {
            tryVerify(() => row(1) !== null);
            verify(row(0).highlighted);
            verify(!row(1).highlighted);
        }

        function test_clickOpens() {
            tryVerify(() => row(1) !== null);
            mouseClick(row(1));
            compare(opened.count, 1);
            compare(opened.signalArguments[0][0], "s2");
            mouseClick(findChild(list, "startGroupButton"));
            compare(started.count, 1);
        }

        function test_invitationBanner() {
            mouseClick(findChild(banner, "acceptButton"));
            compare(accepted.signalArguments[0][0], "s9");
            mouseClick(findChild(banner, "declineButton"));
            compare(declined.signalArguments[0][0], "s9");
        }
    }
}

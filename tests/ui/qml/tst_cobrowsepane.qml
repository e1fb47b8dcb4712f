import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// CoBrowsePane without a web view: who leads, follow and "jump there", asking for and passing
// the baton, pushing a page, cards, and the text-only page.
Item {
    width: 600
    height: 500

    ListModel {
        id: members
        ListElement { device: "d1"; name: "Me"; isMe: true }
        ListElement { device: "d2"; name: "Bob"; isMe: false }
        ListElement { device: "d3"; name: "Carol"; isMe: false }
    }
    ListModel {
        id: cards
    }

    CoBrowsePane {
        id: pane
        anchors.fill: parent
        members: members
        cards: cards
    }

    SignalSpy { id: navigated; target: pane; signalName: "navigateRequested" }
    SignalSpy { id: pushed; target: pane; signalName: "pushRequested" }
    SignalSpy { id: followed; target: pane; signalName: "followToggled" }
    SignalSpy { id: jumped; target: pane; signalName: "jumpRequested" }
    SignalSpy { id: requested; target: pane; signalName: "batonRequested" }
    SignalSpy { id: passed; target: pane; signalName: "batonPassRequested" }
    SignalSpy { id: opened; target: pane; signalName: "cardOpened" }
    SignalSpy { id: answered; target: pane; signalName: "batonAnswered" }
    SignalSpy { id: blocked; target: pane; signalName: "blockSiteRequested" }
    SignalSpy { id: unblocked; target: pane; signalName: "unblockRequested" }

    TestCase {
        name: "CoBrowsePane"
        when: windowShown

        function init() {
            pane.isLeader = false;
            pane.leaderName = "";
            pane.leaderUrl = "";
            pane.url = "";
            pane.following = true;
            pane.requestPending = false;
            pane.notice = "";
            pane.askingName = "";
            pane.blockedSites = [];
            cards.clear();
            for (const spy of [navigated, pushed, followed, jumped, requested, passed, opened,
                               answered, blocked, unblocked])
                spy.clear();
            // Rows appear and go with these properties: click only once laid out again.
            waitForRendering(pane);
        }

        function test_whoLeads() {
            const label = findChild(pane, "leaderLabel");
            compare(label.text, "Nobody leads the browsing");
            pane.leaderName = "Alice";
            compare(label.text, "Alice leads the browsing");
            verify(findChild(pane, "followSwitch").visible);
            verify(findChild(pane, "requestBatonButton").visible);
            verify(!findChild(pane, "passBatonButton").visible);
            pane.isLeader = true;
            compare(label.text, "You lead the browsing");
            verify(!findChild(pane, "followSwitch").visible);
            verify(!findChild(pane, "requestBatonButton").visible);
            verify(findChild(pane, "passBatonButton").visible);
        }

        function test_leaderGoesAndOthersPush() {
            const field = findChild(pane, "addressField");
            pane.isLeader = true;
            field.text = "https://example.org/a";
            mouseClick(findChild(pane, "goButton"));
            compare(navigated.count, 1);
            compare(navigated.signalArguments[0][0], "https://example.org/a");
            pane.isLeader = false;
            pane.leaderName = "Alice";
            verify(!findChild(pane, "goButton").visible);
            field.text = "https://example.org/b";
            mouseClick(findChild(pane, "pushPageButton"));
            compare(pushed.count, 1);
            compare(pushed.signalArguments[0][0], "https://example.org/b");
            compare(navigated.count, 1);
        }

        function test_followOffShowsWhereTheLeaderIs() {
            pane.leaderName = "Alice";
            pane.url = "https://example.org/mine";
            pane.leaderUrl = "https://example.org/hers";
            const banner = findChild(pane, "leaderElsewhere");
            verify(banner.visible);
            mouseClick(findChild(pane, "jumpButton"));
            compare(jumped.count, 1);
            pane.url = pane.leaderUrl;
            verify(!banner.visible);
            mouseClick(findChild(pane, "followSwitch"));
            compare(followed.count, 1);
            compare(followed.signalArguments[0][0], false);
        }

        function test_askAndPassTheBaton() {
            pane.leaderName = "Alice";
            const ask = findChild(pane, "requestBatonButton");
            mouseClick(ask);
            compare(requested.count, 1);
            pane.requestPending = true;
            verify(!ask.enabled);
            pane.isLeader = true;
            mouseClick(findChild(pane, "passBatonButton"));
            const menu = findChild(pane, "passMenu");
            tryVerify(() => menu.opened);
            compare(menu.count, 3);
            verify(!menu.itemAt(0).visible); // not to myself
            menu.itemAt(2).triggered();
            compare(passed.count, 1);
            compare(passed.signalArguments[0][0], "d3");
        }

        function test_answerARequestForTheBaton() {
            pane.isLeader = true;
            const asked = findChild(pane, "batonAsked");
            verify(!asked.visible);
            pane.askingName = "Bob";
            verify(asked.visible);
            mouseClick(findChild(pane, "grantBatonButton"));
            compare(answered.count, 1);
            compare(answered.signalArguments[0][0], true);
            mouseClick(findChild(pane, "refuseBatonButton"));
            compare(answered.signalArguments[1][0], false);
        }

        function test_cardsAndNotices() {
            cards.append({url: "https://example.org/c", title: "Cats", byName: "Bob"});
            tryVerify(() => findChild(pane, "pushedCard") !== null);
            const page = findChild(pane, "textOnlyPage");
            verify(page.visible);
            compare(page.text, "No page yet. The leader's pages appear here.");
            pane.url = "https://example.org/c";
            verify(page.text.indexOf("https://example.org/c") >= 0);
            pane.notice = "Blocked here: example.org";
            verify(findChild(pane, "browseNotice").visible);
        }

        // A follower blocks the site it was taken to, or the one the leader is on; the
        // blocked ones are listed, and a click unblocks one. The leader has nothing to block.
        function test_blockAndUnblockASite() {
            const block = findChild(pane, "blockSiteButton");
            verify(!block.visible);
            pane.url = "https://www.news.example/today";
            verify(block.visible);
            waitForRendering(pane);
            mouseClick(block);
            compare(blocked.count, 1);
            compare(blocked.signalArguments[0][0], "https://www.news.example/today");
            pane.isLeader = true;
            verify(!block.visible);
            pane.isLeader = false;
            pane.leaderName = "Bob";
            pane.leaderUrl = "https://cats.example/";
            waitForRendering(pane);
            mouseClick(findChild(pane, "blockLeaderSiteButton"));
            compare(blocked.signalArguments[1][0], "https://cats.example/");
            const list = findChild(pane, "blockedSites");
            verify(!list.visible);
            pane.blockedSites = ["cats.example", "news.example"];
            verify(list.visible);
            tryVerify(() => findChild(pane, "unblockButton") !== null);
            waitForRendering(pane);
            const first = findChild(pane, "unblockButton");
            verify(first.text.indexOf("example") >= 0);
            mouseClick(first);
            compare(unblocked.count, 1);
            verify(["cats.example", "news.example"].indexOf(unblocked.signalArguments[0][0]) >= 0);
        }
    }
}

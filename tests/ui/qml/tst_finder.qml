import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// Finder (Ctrl+K): filters sessions and contacts by the typed text; Enter picks the first.
Item {
    id: root
    width: 600
    height: 500

    ListModel {
        id: contacts
        ListElement { account: "a1"; name: "Bob Builder"; blocked: false }
        ListElement { account: "a2"; name: "Carol"; blocked: false }
        ListElement { account: "a3"; name: "Robert"; blocked: true }
    }

    ListModel {
        id: sessions
        ListElement { sid: "s1"; title: "Alice, Bob" }
        ListElement { sid: "s2"; title: "Dave, Erin" }
    }

    Finder {
        id: finder
        parent: root
        contacts: contacts
        sessions: sessions
    }

    SignalSpy {
        id: sessionSpy
        target: finder
        signalName: "sessionChosen"
    }

    SignalSpy {
        id: contactSpy
        target: finder
        signalName: "contactChosen"
    }

    TestCase {
        name: "Finder"
        when: windowShown

        function init() {
            sessionSpy.clear();
            contactSpy.clear();
            finder.open();
            tryVerify(() => finder.opened);
        }

        function cleanup() {
            finder.close();
            tryVerify(() => !finder.visible);
        }

        function labels() {
            return finder.results.map(r => r.kind + ":" + r.label);
        }

        function test_emptyQueryListsEverything() {
            compare(finder.results.length, 5);
        }

        function test_filtersCaseInsensitively() {
            keyClick("b");
            keyClick("o");
            compare(labels(), ["session:Alice, Bob", "contact:Bob Builder"]);
            finder.query = "ROB";
            compare(labels(), ["contact:Robert"]);
            finder.query = "zzz";
            compare(finder.results.length, 0);
            verify(findChild(finder.contentItem, "finderResults").count === 0);
        }

        function test_followsModelChanges() {
            finder.query = "frank";
            compare(finder.results.length, 0);
            contacts.append({account: "a4", name: "Frank", blocked: false});
            compare(labels(), ["contact:Frank"]);
            contacts.remove(3);
            compare(finder.results.length, 0);
        }

        function test_enterPicksFirstMatch() {
            keyClick("e");
            keyClick("r");
            keyClick("i");
            keyClick(Qt.Key_Return);
            compare(sessionSpy.count, 1);
            compare(sessionSpy.signalArguments[0][0], "s2");
            verify(!finder.opened);
        }

        function test_downSelectsNext() {
            finder.query = "b";
            compare(labels(), ["session:Alice, Bob", "contact:Bob Builder", "contact:Robert"]);
            keyClick(Qt.Key_Down);
            keyClick(Qt.Key_Down);
            keyClick(Qt.Key_Return);
            compare(contactSpy.count, 1);
            compare(contactSpy.signalArguments[0][0], "a3");
            compare(contactSpy.signalArguments[0][1], 2);
        }

        function test_escapeCloses() {
            keyClick(Qt.Key_Escape);
            tryVerify(() => !finder.opened);
        }
    }
}

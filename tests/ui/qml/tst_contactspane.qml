import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// ContactsPane: add by link (an error in words stays, success clears the field), presence,
// block/unblock, Invite only while a session is open.
Item {
    width: 320
    height: 500

    ListModel {
        id: contacts
        // A ListModel turns the device list into nested rows; the C++ model gives strings.
        Component.onCompleted: {
            append({account: "a1", name: "Bob", presence: "online", devices: [{name: "laptop"}, {name: "phone"}], blocked: false, link: "plenum:account/a1"});
            append({account: "a2", name: "Mallory", presence: "away", devices: [], blocked: true, link: "plenum:account/a2"});
        }
    }

    ContactsPane {
        id: pane
        anchors.fill: parent
        model: contacts
        onAddRequested: link => addError = link.startsWith("plenum:") ? "" : "That is not a plenum: link."
    }

    SignalSpy {
        id: blocks
        target: pane
        signalName: "blockRequested"
    }

    SignalSpy {
        id: invites
        target: pane
        signalName: "inviteRequested"
    }

    TestCase {
        name: "ContactsPane"
        when: windowShown

        function row(i) {
            return findChild(pane, "contactList").itemAtIndex(i);
        }

        function test_addError() {
            const field = findChild(pane, "addContactField");
            field.forceActiveFocus();
            field.text = "nonsense";
            keyClick(Qt.Key_Return);
            compare(findChild(pane, "addContactError").text, "That is not a plenum: link.");
            verify(findChild(pane, "addContactError").visible);
            compare(field.text, "nonsense", "the text stays for fixing");
            field.text = "plenum:account/ff";
            verify(!findChild(pane, "addContactError").visible, "editing clears the error");
            mouseClick(findChild(pane, "addContactButton"));
            compare(field.text, "");
        }

        function test_presenceAndDevices() {
            tryVerify(() => row(0) !== null);
            compare(row(0).devicesText, "laptop, phone");
            compare(pane.namesOf(["desk", "tab"]), ["desk", "tab"]);
            compare(row(1).devicesText, "no devices known");
        }

        function test_blockButtons() {
            tryVerify(() => row(1) !== null);
            compare(findChild(row(0), "blockButton").text, "Block");
            compare(findChild(row(1), "blockButton").text, "Unblock");
            mouseClick(findChild(row(1), "blockButton"));
            compare(blocks.count, 1);
            compare(blocks.signalArguments[0][0], "a2");
            compare(blocks.signalArguments[0][1], false);
        }

        function test_inviteOnlyWithOpenSession() {
            tryVerify(() => row(0) !== null);
            pane.canInvite = false;
            verify(!findChild(row(0), "inviteButton").visible);
            pane.canInvite = true;
            verify(findChild(row(0), "inviteButton").visible);
            verify(!findChild(row(1), "inviteButton").visible, "nobody invites a blocked contact");
            mouseClick(findChild(row(0), "inviteButton"));
            compare(invites.signalArguments[0][0], "a1");
        }
    }
}

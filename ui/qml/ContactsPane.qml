import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// My contacts: add one by plenum: link or account id, see who is online and on which devices,
// invite into the open session, block or unblock.
Item {
    id: root
    objectName: "contactsPane"

    property alias model: list.model
    readonly property alias listView: list
    // True while a session is open: each contact then offers "Invite".
    property bool canInvite: false
    // The last failure of an add, in words ("" when none).
    property string addError

    signal addRequested(string link)
    signal blockRequested(string account, bool blocked)
    signal inviteRequested(string account)

    // The C++ model gives a string list; a QML ListModel (tests) nests rows with a `name`.
    function namesOf(v) {
        if (!v)
            return [];
        if (v.length !== undefined)
            return Array.from(v);
        const out = [];
        for (let i = 0; i < (v.count || 0); ++i)
            out.push(v.get(i).name);
        return out;
    }

    // Scrolls to a contact and marks it (Ctrl+K picked it).
    function reveal(account, row) {
        list.currentIndex = row;
        list.positionViewAtIndex(row, ListView.Contain);
        highlightedAccount = account;
    }

    property string highlightedAccount

    function submit() {
        const link = addField.text.trim();
        if (link === "")
            return;
        addError = "";
        addRequested(link);
        if (addError === "")
            addField.clear();
    }

    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Contacts")

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

        Label {
            text: qsTr("Contacts")
            font.bold: true
            Layout.leftMargin: 8
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 6
            Layout.rightMargin: 6

            TextField {
                id: addField
                objectName: "addContactField"
                placeholderText: qsTr("plenum: link or account id")
                Layout.fillWidth: true
                Accessible.name: qsTr("Link or account id of a new contact")
                onAccepted: root.submit()
                onTextChanged: root.addError = ""
            }
            Button {
                objectName: "addContactButton"
                text: qsTr("Add")
                enabled: addField.text.trim() !== ""
                Accessible.name: qsTr("Add contact")
                onClicked: root.submit()
            }
        }

        Label {
            objectName: "addContactError"
            visible: root.addError !== ""
            text: root.addError
            color: "#d1453b"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.leftMargin: 8
            Layout.rightMargin: 8
        }

        ListView {
            id: list
            objectName: "contactList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            ScrollBar.vertical: ScrollBar {}
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Contact list")

            delegate: ItemDelegate {
                id: contact
                required property string account
                required property string name
                required property string presence
                required property var devices
                required property bool blocked

                readonly property string devicesText: {
                    const names = root.namesOf(devices);
                    return names.length > 0 ? names.join(", ") : qsTr("no devices known");
                }

                width: ListView.view.width
                hoverEnabled: true
                highlighted: account === root.highlightedAccount
                Accessible.name: qsTr("%1, %2").arg(name).arg(blocked ? qsTr("blocked") : presenceDot.label(presence))

                contentItem: RowLayout {
                    spacing: 8

                    PresenceDot {
                        id: presenceDot
                        presence: contact.blocked ? "offline" : contact.presence
                    }
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true

                        Label {
                            text: contact.name
                            elide: Text.ElideRight
                            font.strikeout: contact.blocked
                            Layout.fillWidth: true
                        }
                        Label {
                            text: contact.blocked ? qsTr("blocked") : contact.devicesText
                            opacity: 0.6
                            elide: Text.ElideRight
                            font.pointSize: Math.max(1, contact.font.pointSize - 1)
                            Layout.fillWidth: true
                        }
                    }
                    Button {
                        objectName: "inviteButton"
                        visible: root.canInvite && !contact.blocked
                        text: qsTr("Invite")
                        flat: true
                        Accessible.name: qsTr("Invite %1 to this group").arg(contact.name)
                        onClicked: root.inviteRequested(contact.account)
                    }
                    ToolButton {
                        objectName: "blockButton"
                        text: contact.blocked ? qsTr("Unblock") : qsTr("Block")
                        Accessible.name: contact.blocked ? qsTr("Unblock %1").arg(contact.name)
                                                         : qsTr("Block %1").arg(contact.name)
                        onClicked: root.blockRequested(contact.account, !contact.blocked)
                    }
                }
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 20
                visible: list.count === 0
                text: qsTr("No contacts yet. Paste someone's plenum: link above.")
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                opacity: 0.6
            }
        }
    }
}

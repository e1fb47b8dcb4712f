import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts

// Where I write. Enter sends, Shift+Enter starts a new line. "Private" turns the message into a
// side-chat with the members ticked below; the others in the session never see it.
Pane {
    id: root
    objectName: "composer"

    // The session's roster (roles: name, account, isMe), to choose side-chat members from.
    property var members
    property alias text: input.text
    property alias privateMode: privateToggle.checked
    // Accounts ticked for a side-chat.
    property var chosen: []

    readonly property bool canSend: input.text.trim() !== "" && (!privateMode || chosen.length > 0)

    signal sendRequested(string text, var toAccounts)
    signal typing(string text)

    function toggleChosen(account, on) {
        const next = chosen.filter(a => a !== account);
        if (on)
            next.push(account);
        chosen = next;
    }

    function send() {
        if (!canSend)
            return false;
        const to = privateMode ? chosen.slice() : [];
        sendRequested(input.text.trim(), to);
        input.clear();
        return true;
    }

    function focusInput() {
        input.forceActiveFocus();
    }

    // Switching to a side-chat withdraws the draft others may be watching live.
    onPrivateModeChanged: typing(privateMode ? "" : input.text)

    padding: 6
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Write a message")

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

        Flow {
            objectName: "privateMembers"
            visible: root.privateMode
            Layout.fillWidth: true
            spacing: 8

            Label {
                text: root.chosen.length > 0 ? qsTr("Only these see it:") : qsTr("Choose who sees it:")
                color: root.palette.highlight
                height: implicitHeight
            }
            Repeater {
                model: root.privateMode ? root.members : null
                delegate: CheckBox {
                    required property string name
                    required property string account
                    required property bool isMe
                    visible: !isMe
                    text: name
                    checked: root.chosen.indexOf(account) >= 0
                    padding: 0
                    Accessible.name: qsTr("Include %1 in the side-chat").arg(name)
                    onToggled: root.toggleChosen(account, checked)
                }
            }
        }

        RowLayout {
            spacing: 6
            Layout.fillWidth: true

            ToolButton {
                id: privateToggle
                objectName: "privateToggle"
                checkable: true
                icon.source: "icons/private.svg"
                icon.color: checked ? palette.highlight : palette.buttonText
                text: qsTr("Private")
                display: AbstractButton.IconOnly
                ToolTip.visible: hovered
                ToolTip.text: checked ? qsTr("Side-chat: only the chosen members see it")
                                      : qsTr("Write privately to some members")
                Accessible.name: qsTr("Private side-chat")
                onToggled: if (!checked) root.chosen = []
            }

            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(input.implicitHeight, 120)

                TextArea {
                    id: input
                    objectName: "messageInput"
                    wrapMode: TextEdit.Wrap
                    placeholderText: root.privateMode ? qsTr("Private message…") : qsTr("Message…")
                    Accessible.name: qsTr("Message text")
                    Keys.onPressed: event => {
                        if (event.key !== Qt.Key_Return && event.key !== Qt.Key_Enter)
                            return;
                        event.accepted = true;
                        if (event.modifiers & Qt.ShiftModifier)
                            input.insert(input.cursorPosition, "\n");
                        else
                            root.send();
                    }
                    // A side-chat draft must not leak to everyone as live typing.
                    onTextChanged: root.typing(root.privateMode ? "" : text)
                }
            }

            Button {
                objectName: "sendButton"
                text: qsTr("Send")
                enabled: root.canSend
                highlighted: true
                Accessible.name: root.privateMode ? qsTr("Send privately") : qsTr("Send")
                onClicked: root.send()
            }
        }
    }
}

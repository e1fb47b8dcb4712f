import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// "Bob invites you to a group" with Accept and Decline; or, for a hand-off from another of
// my devices, "Your laptop hands you a conversation" with Continue here and Not now.
Pane {
    id: root
    objectName: "invitationBanner"

    property string sid
    property string fromName
    property bool handoff
    // The member that asked the inviter, in its own signed words (empty: the inviter's own).
    property string referrer
    readonly property string message: handoff
        ? qsTr("%1 hands you a conversation. Continue it here?").arg(fromName)
        : referrer
            ? qsTr("%1 invites you to a group; %2 asked for it").arg(fromName).arg(referrer)
            : qsTr("%1 invites you to a group").arg(fromName)

    signal accepted(string sid)
    signal declined(string sid)

    padding: 8
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message

    background: Rectangle {
        color: Qt.alpha(root.palette.highlight, 0.18)
        border.color: root.palette.highlight
        radius: 6
    }

    RowLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: root.message
            // Two names and who asked do not fit one line of a narrow window: wrap, not cut.
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Button {
            objectName: "acceptButton"
            text: root.handoff ? qsTr("Continue here") : qsTr("Accept")
            highlighted: true
            Accessible.name: root.handoff ? qsTr("Continue the conversation here")
                                          : qsTr("Accept the invitation from %1").arg(root.fromName)
            onClicked: root.accepted(root.sid)
        }
        Button {
            objectName: "declineButton"
            text: root.handoff ? qsTr("Not now") : qsTr("Decline")
            Accessible.name: root.handoff ? qsTr("Leave the conversation where it is")
                                          : qsTr("Decline the invitation from %1").arg(root.fromName)
            onClicked: root.declined(root.sid)
        }
    }
}

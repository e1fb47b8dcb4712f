import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// "Bob invites you to a group" with Accept and Decline.
Pane {
    id: root
    objectName: "invitationBanner"

    property string sid
    property string fromName

    signal accepted(string sid)
    signal declined(string sid)

    padding: 8
    Accessible.role: Accessible.AlertMessage
    Accessible.name: qsTr("%1 invites you to a group").arg(fromName)

    background: Rectangle {
        color: Qt.alpha(root.palette.highlight, 0.18)
        border.color: root.palette.highlight
        radius: 6
    }

    RowLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: qsTr("%1 invites you to a group").arg(root.fromName)
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Button {
            objectName: "acceptButton"
            text: qsTr("Accept")
            highlighted: true
            Accessible.name: qsTr("Accept the invitation from %1").arg(root.fromName)
            onClicked: root.accepted(root.sid)
        }
        Button {
            objectName: "declineButton"
            text: qsTr("Decline")
            Accessible.name: qsTr("Decline the invitation from %1").arg(root.fromName)
            onClicked: root.declined(root.sid)
        }
    }
}

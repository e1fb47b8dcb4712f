import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts

// Who is in the session: picture or initials, name, device class, and a crown on the session
// manager. While I invite someone, "Inviting Bob…" stands at the end until they are committed
// (the joiner only appears in the model then, so nobody flickers in and out).
Pane {
    id: root
    objectName: "rosterStrip"

    property alias model: members.model
    property string pendingText

    padding: 6
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Members")

    RowLayout {
        anchors.fill: parent
        spacing: 12

        ListView {
            id: members
            orientation: ListView.Horizontal
            spacing: 14
            clip: true
            interactive: contentWidth > width
            Layout.fillWidth: true
            Layout.preferredWidth: contentWidth
            Layout.maximumWidth: contentWidth
            Layout.preferredHeight: 40

            delegate: Item {
                id: member
                required property string name
                required property string account
                required property string deviceClass
                required property bool isSm
                required property bool isMe
                required property string initials
                required property var avatar

                width: row.implicitWidth
                height: ListView.view.height
                Accessible.role: Accessible.ListItem
                Accessible.name: (isSm ? qsTr("%1, session manager, on a %2") : qsTr("%1, on a %2"))
                                 .arg(isMe ? qsTr("%1 (you)").arg(name) : name).arg(deviceClass)

                RowLayout {
                    id: row
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: 6

                    Avatar {
                        name: member.name
                        initials: member.initials
                        source: member.avatar ? member.avatar : ""
                        size: 30
                    }
                    Label {
                        text: member.isMe ? qsTr("%1 (you)").arg(member.name) : member.name
                        font.bold: member.isSm
                    }
                    IconImage {
                        source: ["desktop", "laptop", "phone"].indexOf(member.deviceClass) >= 0
                                ? "icons/" + member.deviceClass + ".svg" : "icons/desktop.svg"
                        sourceSize: Qt.size(16, 16)
                        color: root.palette.windowText
                        opacity: 0.7
                        Accessible.role: Accessible.Graphic
                        Accessible.name: member.deviceClass
                    }
                    Loader {
                        // Only the manager gets the mark, so findChild("smMark") finds theirs.
                        active: member.isSm
                        sourceComponent: IconImage {
                            objectName: "smMark"
                            source: "icons/manager.svg"
                            sourceSize: Qt.size(16, 16)
                            color: "#d9a21b"
                            Accessible.role: Accessible.Graphic
                            Accessible.name: qsTr("Session manager")
                            HoverHandler {
                                id: smHover
                            }
                            ToolTip.visible: smHover.hovered
                            ToolTip.text: qsTr("Session manager: admits new members")
                        }
                    }
                }
            }
        }

        BusyIndicator {
            visible: root.pendingText !== ""
            running: visible
            Layout.preferredWidth: 22
            Layout.preferredHeight: 22
            Accessible.name: root.pendingText
        }
        Label {
            objectName: "pendingLabel"
            visible: text !== ""
            text: root.pendingText
            opacity: 0.75
            font.italic: true
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        Item {
            Layout.fillWidth: true
        }
    }
}

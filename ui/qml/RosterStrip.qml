import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import "names.js" as Names

// Who is in the session: picture or initials, name, device class, and a crown on the session
// manager. While I invite someone, "Inviting Bob…" stands at the end until they are committed
// (the joiner only appears in the model then, so nobody flickers in and out).
Pane {
    id: root
    objectName: "rosterStrip"

    property alias model: members.model
    property string pendingText

    padding: 6
    implicitHeight: flow.implicitHeight + topPadding + bottomPadding
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Members")

    // A Flow wraps to a second line rather than hiding members of a large group.
    Flow {
        id: flow
        anchors.fill: parent
        spacing: 14

        Repeater {
            id: members

            delegate: Item {
                id: member
                required property string name
                required property string account
                required property string deviceClass
                required property bool isSm
                required property bool isMe
                required property var avatar

                width: row.implicitWidth
                height: 32
                Accessible.role: Accessible.ListItem
                Accessible.name: (isSm ? qsTr("%1, session manager, on a %2") : qsTr("%1, on a %2"))
                                 .arg(Names.shown(name, isMe)).arg(deviceClass)

                RowLayout {
                    id: row
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: 6

                    Avatar {
                        name: member.name
                        source: member.avatar ? member.avatar : ""
                        size: 28
                    }
                    Label {
                        text: Names.shown(member.name, member.isMe)
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
                        visible: active
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

        Row {
            visible: root.pendingText !== ""
            height: 32
            spacing: 6

            BusyIndicator {
                running: parent.visible
                width: 22
                height: 22
                anchors.verticalCenter: parent.verticalCenter
                Accessible.name: root.pendingText
            }
            Label {
                objectName: "pendingLabel"
                visible: text !== ""
                text: root.pendingText
                opacity: 0.75
                font.italic: true
                anchors.verticalCenter: parent.verticalCenter
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
        }
    }
}

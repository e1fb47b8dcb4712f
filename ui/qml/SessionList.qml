import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The sessions this device is in, each with its members, last message and unread count.
Item {
    id: root
    objectName: "sessionList"

    property alias model: list.model
    readonly property alias listView: list
    // Rows can be dragged onto a device (DeviceStrip) — on a desktop; on a touch layout a
    // drag scrolls the list instead.
    property bool dragToDevices: true

    signal openRequested(string sid)
    signal startGroupRequested

    Accessible.role: Accessible.List
    Accessible.name: qsTr("Sessions")

    ColumnLayout {
        anchors.fill: parent
        spacing: 2

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 8
            Layout.rightMargin: 4

            Label {
                text: qsTr("Groups")
                font.bold: true
                Layout.fillWidth: true
            }
            Button {
                objectName: "startGroupButton"
                text: qsTr("New group")
                flat: true
                Accessible.name: qsTr("Start a new group")
                onClicked: root.startGroupRequested()
            }
        }

        ListView {
            id: list
            // With drag-to-device a press-and-move on a row drags the session (the list's own
            // flicking would take the move first); the wheel and the scroll bar still scroll.
            interactive: !root.dragToDevices
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: row
                required property string sid
                required property string title
                required property int memberCount
                required property int unread
                required property bool isCurrent
                required property string lastMessage

                width: ListView.view.width
                highlighted: isCurrent

                // Dragging a session onto one of my devices (DeviceStrip) hands it over: the
                // ghost carries the sid; the row stays where it is.
                DragHandler {
                    id: dragHandler
                    objectName: "sessionDragHandler"
                    enabled: root.dragToDevices
                    target: ghost
                    onActiveChanged: {
                        if (active)
                            return;
                        ghost.Drag.drop();
                        ghost.x = 0;
                        ghost.y = 0;
                    }
                }
                Rectangle {
                    id: ghost
                    objectName: "sessionDragGhost"
                    readonly property string sid: row.sid
                    visible: dragHandler.active
                    z: 10
                    width: Math.min(row.width, ghostLabel.implicitWidth + 24)
                    height: ghostLabel.implicitHeight + 12
                    radius: 4
                    color: row.palette.highlight
                    opacity: 0.9
                    Drag.active: dragHandler.active
                    Drag.keys: ["plenum-session"]
                    Drag.hotSpot.x: width / 2
                    Drag.hotSpot.y: height / 2

                    Label {
                        id: ghostLabel
                        anchors.centerIn: parent
                        text: row.title !== "" ? row.title : qsTr("Just me")
                        color: row.palette.highlightedText
                    }
                }
                Accessible.name: unread > 0 ? qsTr("%1, %n unread", "", unread).arg(title) : title
                onClicked: root.openRequested(sid)

                contentItem: RowLayout {
                    spacing: 8

                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true

                        Label {
                            text: row.title !== "" ? row.title : qsTr("Just me")
                            font.bold: row.unread > 0
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: row.lastMessage !== "" ? row.lastMessage
                                                         : qsTr("%n member(s)", "", row.memberCount)
                            opacity: 0.65
                            elide: Text.ElideRight
                            maximumLineCount: 1
                            textFormat: Text.PlainText
                            Layout.fillWidth: true
                        }
                    }
                    Rectangle {
                        objectName: "unreadBadge"
                        visible: row.unread > 0
                        radius: height / 2
                        color: row.palette.highlight
                        implicitHeight: badge.implicitHeight + 4
                        implicitWidth: Math.max(implicitHeight, badge.implicitWidth + 10)
                        Accessible.role: Accessible.StaticText
                        Accessible.name: qsTr("%n unread", "", row.unread)

                        Label {
                            id: badge
                            anchors.centerIn: parent
                            text: row.unread > 99 ? "99+" : row.unread
                            color: row.palette.highlightedText
                            font.bold: true
                        }
                    }
                }
            }

            WheelHandler {
                enabled: !list.interactive
                onWheel: event => {
                    const max = Math.max(0, list.contentHeight - list.height);
                    list.contentY = Math.max(0, Math.min(max, list.contentY - event.angleDelta.y));
                }
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 20
                visible: list.count === 0
                text: qsTr("No groups yet. Start one, or wait for an invitation.")
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                opacity: 0.6
            }
        }
    }
}

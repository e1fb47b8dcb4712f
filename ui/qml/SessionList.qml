import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The sessions this device is in, each with its members, last message and unread count.
Item {
    id: root
    objectName: "sessionList"

    property alias model: list.model
    readonly property alias listView: list

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

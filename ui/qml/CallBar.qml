import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The session's call (docs/media.md "Call control"): who is in it, a green ring on whoever
// speaks, a slashed name on the muted; Join (or Start) when this device is not in it, and
// Mute, Deafen and Leave when it is. Hidden only when nobody is in the call and the bar is
// told to stay compact (it then shows just the Start button).
Pane {
    id: root
    objectName: "callBar"

    property alias model: members.model
    property int count: 0        // members in the call
    property bool inCall: false  // this device is
    property bool muted: false
    property bool deafened: false

    signal joinRequested
    signal leaveRequested
    signal muteRequested(bool on)
    signal deafenRequested(bool on)

    padding: 6
    Accessible.role: Accessible.ToolBar
    Accessible.name: qsTr("Call")

    RowLayout {
        anchors.fill: parent
        spacing: 10

        Label {
            objectName: "callStatus"
            text: root.count === 0 ? qsTr("No call")
                                   : root.inCall ? qsTr("In call") : qsTr("Call in progress")
            opacity: 0.75
        }

        Repeater {
            id: members

            delegate: Item {
                id: member
                required property string name
                required property string initials
                required property bool isMe
                required property bool muted
                required property bool deafened
                required property bool speaking

                objectName: "callMember"
                implicitWidth: chip.implicitWidth
                implicitHeight: 32
                Accessible.role: Accessible.ListItem
                Accessible.name: [isMe ? qsTr("%1 (you)").arg(name) : name,
                                  speaking ? qsTr("speaking") : "",
                                  muted ? qsTr("muted") : "",
                                  deafened ? qsTr("deafened") : ""].filter(t => t).join(", ")

                RowLayout {
                    id: chip
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: 4

                    Item {
                        implicitWidth: 30
                        implicitHeight: 30
                        Avatar {
                            anchors.centerIn: parent
                            name: member.name
                            initials: member.initials
                            size: 24
                        }
                        Rectangle {
                            // The speaking ring.
                            objectName: "speakingRing"
                            anchors.fill: parent
                            radius: width / 2
                            color: "transparent"
                            border.width: 3
                            border.color: "#2fb35a"
                            visible: member.speaking && !member.muted
                        }
                    }
                    Label {
                        text: member.isMe ? qsTr("%1 (you)").arg(member.name) : member.name
                        font.strikeout: member.muted
                        opacity: member.muted ? 0.6 : 1
                    }
                    Label {
                        objectName: "mutedMark"
                        visible: member.muted || member.deafened
                        text: member.deafened ? qsTr("(deafened)") : qsTr("(muted)")
                        font.pixelSize: 11
                        opacity: 0.7
                    }
                }
            }
        }

        Item {
            Layout.fillWidth: true
        }

        Button {
            objectName: "joinCallButton"
            visible: !root.inCall
            text: root.count === 0 ? qsTr("Start call") : qsTr("Join call")
            highlighted: root.count > 0
            Accessible.name: text
            onClicked: root.joinRequested()
        }
        Button {
            objectName: "muteButton"
            visible: root.inCall
            checkable: true
            checked: root.muted
            text: root.muted ? qsTr("Unmute") : qsTr("Mute")
            Accessible.name: text
            onClicked: root.muteRequested(!root.muted)
        }
        Button {
            objectName: "deafenButton"
            visible: root.inCall
            checkable: true
            checked: root.deafened
            text: root.deafened ? qsTr("Undeafen") : qsTr("Deafen")
            Accessible.name: text
            onClicked: root.deafenRequested(!root.deafened)
        }
        Button {
            objectName: "leaveCallButton"
            visible: root.inCall
            text: qsTr("Leave call")
            Accessible.name: text
            onClicked: root.leaveRequested()
        }
    }
}

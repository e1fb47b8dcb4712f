import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "names.js" as Names

// The session's call (docs/media.md "Call control"): who is in it, a green ring on whoever
// speaks, a slashed name on the muted; Join (or Start) when this device is not in it, and
// Mute, Deafen and Leave when it is. Hidden only when nobody is in the call and the bar is
// told to stay compact (it then shows just the Start button). Each member has a level meter
// (what this device hears of them, refreshed ten times a second while in the call), and
// "Devices" picks the microphone and speaker (AudioDeviceModel; takes effect at once).
Pane {
    id: root
    objectName: "callBar"

    property alias model: members.model
    property int count: 0        // members in the call
    property bool inCall: false  // this device is
    property bool muted: false
    property bool deafened: false
    // AudioDeviceModel objects (currentIndex, rows with "name"); null hides the picker.
    property var microphones: null
    property var speakers: null

    signal joinRequested
    signal leaveRequested
    signal muteRequested(bool on)
    signal deafenRequested(bool on)

    padding: 6
    Accessible.role: Accessible.ToolBar
    Accessible.name: qsTr("Call")

    RowLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            objectName: "callStatus"
            text: root.count === 0 ? qsTr("No call")
                                   : root.inCall ? qsTr("In call") : qsTr("Call in progress")
            opacity: 0.75
        }

        // The members scroll sideways when they do not all fit (a phone, a big call): the
        // buttons stay in view.
        Flickable {
            objectName: "callMembers"
            Layout.fillWidth: true
            implicitHeight: chips.implicitHeight
            contentWidth: chips.implicitWidth
            contentHeight: chips.implicitHeight
            clip: true
            flickableDirection: Flickable.HorizontalFlick
            boundsBehavior: Flickable.StopAtBounds
            ScrollIndicator.horizontal: ScrollIndicator {}

            Row {
                id: chips
                spacing: 8

                Repeater {
                    id: members

                    delegate: Item {
                        id: member
                        required property string name
                        required property bool isMe
                        required property bool muted
                        required property bool deafened
                        required property bool speaking
                        required property real level

                        objectName: "callMember"
                        implicitWidth: chip.implicitWidth
                        implicitHeight: 32
                        Accessible.role: Accessible.ListItem
                        Accessible.name: [Names.shown(name, isMe),
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
                            ColumnLayout {
                                spacing: 2
                                Label {
                                    text: Names.shown(member.name, member.isMe)
                                    font.strikeout: member.muted
                                    opacity: member.muted ? 0.6 : 1
                                }
                                Rectangle {
                                    // The level meter: its fill follows the member's level.
                                    objectName: "levelMeter"
                                    implicitWidth: 48
                                    implicitHeight: 4
                                    radius: 2
                                    color: Qt.rgba(0.5, 0.5, 0.5, 0.25)
                                    visible: root.inCall
                                    Rectangle {
                                        objectName: "levelFill"
                                        height: parent.height
                                        radius: 2
                                        width: parent.width * Math.max(0, Math.min(1, member.level))
                                        color: member.speaking ? "#2fb35a" : "#8a8a8a"
                                        Behavior on width {
                                            NumberAnimation { duration: 90 }
                                        }
                                    }
                                }
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
            }
        }

        ToolButton {
            objectName: "devicesButton"
            visible: root.microphones !== null || root.speakers !== null
            text: qsTr("Devices")
            Accessible.name: qsTr("Choose microphone and speaker")
            onClicked: devicePicker.open()

            Popup {
                id: devicePicker
                objectName: "devicePicker"
                y: parent.height + 4
                x: parent.width - width
                padding: 10
                focus: true

                GridLayout {
                    columns: 2
                    columnSpacing: 8
                    rowSpacing: 6

                    Label { text: qsTr("Microphone") }
                    ComboBox {
                        objectName: "microphoneBox"
                        Layout.preferredWidth: 280
                        model: root.microphones
                        textRole: "name"
                        currentIndex: root.microphones ? root.microphones.currentIndex : 0
                        Accessible.name: qsTr("Microphone")
                        onActivated: index => root.microphones.currentIndex = index
                    }
                    Label { text: qsTr("Speaker") }
                    ComboBox {
                        objectName: "speakerBox"
                        Layout.preferredWidth: 280
                        model: root.speakers
                        textRole: "name"
                        currentIndex: root.speakers ? root.speakers.currentIndex : 0
                        Accessible.name: qsTr("Speaker")
                        onActivated: index => root.speakers.currentIndex = index
                    }
                }
            }
        }

        Button {
            objectName: "joinCallButton"
            visible: !root.inCall
            text: root.count === 0 ? qsTr("Start call") : qsTr("Join call")
            highlighted: root.count > 0
            Accessible.name: text
            onClicked: root.joinRequested()
        }
        ToolButton {
            objectName: "muteButton"
            visible: root.inCall
            checkable: true
            checked: root.muted
            text: root.muted ? qsTr("Unmute") : qsTr("Mute")
            Accessible.name: text
            onClicked: root.muteRequested(!root.muted)
        }
        ToolButton {
            objectName: "deafenButton"
            visible: root.inCall
            checkable: true
            checked: root.deafened
            text: root.deafened ? qsTr("Undeafen") : qsTr("Deafen")
            Accessible.name: text
            onClicked: root.deafenRequested(!root.deafened)
        }
        ToolButton {
            objectName: "leaveCallButton"
            visible: root.inCall
            text: qsTr("Leave call")
            Accessible.name: text
            onClicked: root.leaveRequested()
        }
    }
}

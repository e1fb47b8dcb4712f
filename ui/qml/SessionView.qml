import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One open session: the roster strip on top, the call bar, the conversation, and the composer.
Item {
    id: root

    property var roster
    property string pendingText
    property var call
    property int callCount
    property bool inCall
    property bool muted
    property bool deafened
    property var microphones: null // AudioDeviceModel of the picker
    property var speakers: null
    property var conversation
    property string typingText
    property bool canLoadOlder
    // Hand-off: this account's devices (DevicesModel) and what a push under way is doing.
    property var myDevices: null
    property bool handoffBusy
    property string handoffStatus

    readonly property alias rosterStrip: strip
    readonly property alias callBar: callBar
    readonly property alias conversationView: conversationView
    readonly property alias composer: composer

    signal sendRequested(string text, var toAccounts)
    signal typing(string text)
    signal retryRequested(string messageId)
    signal loadOlderRequested
    signal leaveRequested
    signal joinCallRequested
    signal leaveCallRequested
    signal muteRequested(bool on)
    signal deafenRequested(bool on)
    signal sendToRequested(string device)
    signal handoffCancelRequested

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            spacing: 0

            RosterStrip {
                id: strip
                model: root.roster
                pendingText: root.pendingText
                // Takes what the Leave button leaves; the members wrap inside.
                Layout.fillWidth: true
                Layout.preferredWidth: 100
            }
            Button {
                id: sendTo
                objectName: "sendToButton"
                text: qsTr("Send to…")
                flat: true
                visible: root.myDevices !== null
                enabled: !root.handoffBusy
                Accessible.name: qsTr("Move this conversation to another of your devices")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Carry on on another of your devices; the others only see "
                                   + "that you moved.")
                onClicked: sendToMenu.open()

                Menu {
                    id: sendToMenu
                    objectName: "sendToMenu"
                    y: sendTo.height

                    Instantiator {
                        id: deviceItems
                        model: root.myDevices
                        delegate: MenuItem {
                            required property string device
                            required property string name
                            required property string deviceClass
                            required property bool isThisDevice
                            required property bool isOnline
                            // Only the others that are online; the rest take no room.
                            visible: !isThisDevice && isOnline
                            height: visible ? implicitHeight : 0
                            text: qsTr("%1 (%2)").arg(name).arg(deviceClass)
                            icon.source: "icons/" + (["desktop", "laptop", "phone"].indexOf(
                                                        deviceClass) >= 0 ? deviceClass
                                                                          : "desktop") + ".svg"
                            onTriggered: root.sendToRequested(device)
                        }
                        onObjectAdded: (index, object) => sendToMenu.insertItem(index, object)
                        onObjectRemoved: (index, object) => sendToMenu.removeItem(object)
                    }
                    MenuItem {
                        objectName: "noOtherDevice"
                        enabled: false
                        visible: {
                            const m = root.myDevices
                            if (!m) return true
                            for (let i = 0; i < deviceItems.count; ++i) {
                                const item = deviceItems.objectAt(i)
                                if (item && item.visible) return false
                            }
                            return true
                        }
                        height: visible ? implicitHeight : 0
                        text: qsTr("None of your other devices is online. Link one in "
                                   + "Settings → Devices.")
                    }
                }
            }
            Button {
                objectName: "leaveButton"
                text: qsTr("Leave")
                flat: true
                Layout.rightMargin: 6
                Accessible.name: qsTr("Leave this group")
                onClicked: root.leaveRequested()
            }
        }

        RowLayout {
            objectName: "handoffStatus"
            visible: root.handoffBusy
            Layout.fillWidth: true
            Layout.leftMargin: 8
            Layout.rightMargin: 6

            BusyIndicator {
                running: root.handoffBusy
                Layout.preferredWidth: 24
                Layout.preferredHeight: 24
            }
            Label {
                text: root.handoffStatus
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Button {
                objectName: "handoffCancelButton"
                text: qsTr("Cancel")
                flat: true
                onClicked: root.handoffCancelRequested()
            }
        }

        CallBar {
            id: callBar
            model: root.call
            count: root.callCount
            inCall: root.inCall
            muted: root.muted
            deafened: root.deafened
            microphones: root.microphones
            speakers: root.speakers
            Layout.fillWidth: true
            onJoinRequested: root.joinCallRequested()
            onLeaveRequested: root.leaveCallRequested()
            onMuteRequested: on => root.muteRequested(on)
            onDeafenRequested: on => root.deafenRequested(on)
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: root.palette.mid
            opacity: 0.5
        }

        ConversationView {
            id: conversationView
            model: root.conversation
            typingText: root.typingText
            canLoadOlder: root.canLoadOlder
            Layout.fillWidth: true
            Layout.fillHeight: true
            onRetryRequested: id => root.retryRequested(id)
            onLoadOlderRequested: root.loadOlderRequested()
        }

        Composer {
            id: composer
            members: root.roster
            Layout.fillWidth: true
            onSendRequested: (text, to) => root.sendRequested(text, to)
            onTyping: text => root.typing(text)
        }
    }
}

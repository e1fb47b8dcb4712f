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
                objectName: "leaveButton"
                text: qsTr("Leave")
                flat: true
                Layout.rightMargin: 6
                Accessible.name: qsTr("Leave this group")
                onClicked: root.leaveRequested()
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

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The messages of one session in the shared order, the faint "Bob is typing…" line under them,
// and older history fetched when the reader scrolls to the top.
Item {
    id: root
    objectName: "conversationView"

    property alias model: list.model
    property string typingText
    property bool canLoadOlder

    // Lets tests and the screenshot test reach the list (and its delegates).
    readonly property alias listView: list

    signal retryRequested(string messageId)
    signal loadOlderRequested

    // Stay at the newest message while the reader is there; keep their place otherwise.
    property bool followTail: true

    Accessible.role: Accessible.List
    Accessible.name: qsTr("Conversation")

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 2
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Messages")

            header: Item {
                width: list.width
                height: root.canLoadOlder ? 28 : 0
                visible: root.canLoadOlder

                BusyIndicator {
                    anchors.centerIn: parent
                    height: 24
                    width: 24
                    running: parent.visible
                    Accessible.name: qsTr("Loading older messages")
                }
            }

            delegate: MessageDelegate {
                width: ListView.view.width
                messageId: model.messageId
                author: model.author
                text: model.text
                time: model.time
                isMine: model.isMine
                isPrivate: model.isPrivate
                recipientsText: model.recipientsText
                delivery: model.delivery
                pendingNames: model.pendingNames
                onRetryRequested: id => root.retryRequested(id)
            }

            // Only the reader's own scrolling decides whether we follow new messages: growth
            // of the content leaves contentY alone, so followTail survives an append.
            onContentYChanged: {
                if (root.positioning)
                    return;
                root.followTail = atYEnd;
                root.maybeLoadOlder();
            }
            onCountChanged: {
                root.requestedAtCount = -1;
                Qt.callLater(root.maybeLoadOlder);
                if (root.followTail)
                    Qt.callLater(root.toEnd);
            }
            onContentHeightChanged: if (root.followTail) Qt.callLater(root.toEnd)
            onHeightChanged: if (root.followTail) Qt.callLater(root.toEnd)

            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No messages yet. Say hello!")
                opacity: 0.6
            }
        }

        Label {
            id: typingLine
            objectName: "typingLine"
            Layout.fillWidth: true
            Layout.leftMargin: 10
            Layout.rightMargin: 10
            Layout.preferredHeight: implicitHeight
            text: root.typingText
            opacity: text !== "" ? 0.55 : 0
            font.italic: true
            elide: Text.ElideRight
            Accessible.role: Accessible.StaticText
            Accessible.name: text !== "" ? text : qsTr("Nobody is typing")
        }
    }

    property bool positioning: false
    property int requestedAtCount: -1

    function toEnd() {
        positioning = true;
        list.positionViewAtEnd();
        positioning = false;
    }

    // Ask for older history when the reader reached the top, or when what we have does not
    // even fill the view (nothing to scroll). One request per batch: the next one waits until
    // rows arrived.
    function maybeLoadOlder() {
        if (!canLoadOlder || requestedAtCount === list.count)
            return;
        const fits = list.contentHeight <= list.height;
        if (list.atYBeginning && (fits || !followTail)) {
            requestedAtCount = list.count;
            loadOlderRequested();
        }
    }

    onCanLoadOlderChanged: Qt.callLater(maybeLoadOlder)
    Component.onCompleted: Qt.callLater(maybeLoadOlder)
}

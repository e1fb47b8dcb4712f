import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts

// One message: author, time, text; my own messages carry a delivery mark, and a failed one a
// retry button. A private side-chat message gets a tinted background, a lock and "to Bob".
Control {
    id: root

    property string messageId
    property string author
    property string text
    property var time
    property bool isMine
    property bool isPrivate
    property string recipientsText
    property string delivery
    property string pendingNames

    signal retryRequested(string messageId)

    function timeText(t) {
        if (t instanceof Date && !isNaN(t.getTime()))
            return Qt.formatTime(t, Locale.ShortFormat);
        return t === undefined || t === null ? "" : String(t);
    }

    padding: 8
    topPadding: 6
    bottomPadding: 6
    Accessible.role: Accessible.ListItem
    Accessible.name: isPrivate ? qsTr("Private message from %1 %2: %3").arg(author).arg(recipientsText).arg(text)
                               : qsTr("Message from %1: %2").arg(author).arg(text)

    background: Rectangle {
        color: root.isPrivate ? Qt.alpha(root.palette.highlight, 0.14)
             : root.isMine ? Qt.alpha(root.palette.highlight, 0.05) : "transparent"
        radius: 6

        Rectangle {
            visible: root.isPrivate
            width: 3
            height: parent.height
            radius: 1
            color: root.palette.highlight
        }
    }

    contentItem: ColumnLayout {
        spacing: 2

        RowLayout {
            spacing: 6
            Layout.fillWidth: true

            Label {
                text: root.author
                font.bold: true
                elide: Text.ElideRight
                Layout.maximumWidth: root.width * 0.4
            }
            Label {
                text: root.timeText(root.time)
                opacity: 0.6
                font.pointSize: Math.max(1, root.font.pointSize - 1)
            }
            IconImage {
                objectName: "privateMark"
                visible: root.isPrivate
                source: "icons/private.svg"
                sourceSize: Qt.size(14, 14)
                color: root.palette.highlight
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("Private")
            }
            Label {
                objectName: "privateLabel"
                visible: root.isPrivate
                text: root.recipientsText !== "" ? qsTr("Private · %1").arg(root.recipientsText)
                                                 : qsTr("Private")
                color: root.palette.highlight
                font.italic: true
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Item {
                visible: !root.isPrivate
                Layout.fillWidth: true
            }
            Label {
                objectName: "failedLabel"
                visible: root.isMine && root.delivery === "failed"
                text: root.pendingNames !== "" ? qsTr("Not delivered to %1").arg(root.pendingNames)
                                               : qsTr("Not delivered")
                color: "#d1453b"
                elide: Text.ElideRight
                Layout.maximumWidth: root.width * 0.35
            }
            DeliveryMark {
                objectName: "deliveryMark"
                delivery: root.isMine ? root.delivery : ""
                pendingNames: root.pendingNames
            }
            Button {
                objectName: "retryButton"
                visible: root.isMine && root.delivery === "failed"
                text: qsTr("Retry")
                flat: true
                padding: 2
                Accessible.name: qsTr("Send this message again")
                onClicked: root.retryRequested(root.messageId)
            }
        }

        Label {
            text: root.text
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
}

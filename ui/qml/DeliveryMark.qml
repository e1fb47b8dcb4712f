import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl

// The state of one of my messages: sent (one tick), delivered to everyone (two ticks), pending
// (a clock; hover shows who has not got it yet) or failed (red; the retry button sits beside).
Item {
    id: root

    property string delivery
    property string pendingNames

    readonly property string description: {
        switch (delivery) {
        case "sent": return qsTr("Sent");
        case "delivered": return qsTr("Delivered to everyone");
        case "pending": return pendingNames !== "" ? qsTr("Waiting for %1").arg(pendingNames)
                                                    : qsTr("Waiting for delivery");
        case "failed": return qsTr("Not delivered");
        default: return "";
        }
    }

    implicitWidth: 16
    implicitHeight: 16
    visible: delivery !== ""
    Accessible.role: Accessible.Indicator
    Accessible.name: description

    IconImage {
        anchors.fill: parent
        sourceSize: Qt.size(root.width, root.height)
        source: root.delivery !== "" ? "icons/" + root.delivery + ".svg" : ""
        color: root.delivery === "failed" ? "#d1453b"
             : root.delivery === "delivered" ? root.palette.highlight : root.palette.mid
    }

    HoverHandler {
        id: hover
    }

    ToolTip.visible: hover.hovered
    ToolTip.text: description
    ToolTip.delay: 300
}

import QtQuick
import QtQuick.Controls

// A short message at the bottom of the window ("Bob declined"). The controller clears the text
// after a few seconds; this only fades it in and out.
Control {
    id: root
    objectName: "toast"

    property string text

    visible: opacity > 0
    opacity: text !== "" ? 1 : 0
    padding: 10
    leftPadding: 16
    rightPadding: 16
    Accessible.role: Accessible.AlertMessage
    Accessible.name: text

    Behavior on opacity {
        NumberAnimation {
            duration: 150
        }
    }

    background: Rectangle {
        radius: height / 2
        color: root.palette.toolTipBase
        border.color: root.palette.mid
    }

    contentItem: Label {
        text: root.text
        color: root.palette.toolTipText
        wrapMode: Text.Wrap
        horizontalAlignment: Text.AlignHCenter
    }
}

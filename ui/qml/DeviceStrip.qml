import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// My other online devices as drop targets: a session dragged from the session list onto one
// is handed to that device, the same push as "Send to…" (docs/handoff.md). Hidden when no
// other device of mine is online.
Item {
    id: root
    objectName: "deviceStrip"

    // Rows with device, name, deviceClass, isThisDevice, isOnline (app.devices).
    property var devices
    signal sessionDropped(string sid, string device)

    readonly property int targets: {
        let n = 0;
        for (let i = 0; i < repeater.count; ++i)
            if (repeater.itemAt(i) && repeater.itemAt(i).target)
                ++n;
        return n;
    }
    visible: targets > 0
    implicitHeight: visible ? column.implicitHeight + 8 : 0
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("My other devices")

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 4
        spacing: 4

        Label {
            text: qsTr("Drag a group onto a device to continue there")
            opacity: 0.65
            font.pointSize: 8
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Flow {
            Layout.fillWidth: true
            spacing: 6

            Repeater {
                id: repeater
                model: root.devices
                delegate: Rectangle {
                    id: tile
                    required property string device
                    required property string name
                    required property string deviceClass
                    required property bool isThisDevice
                    required property bool isOnline

                    // From the data, not `visible` (which is false while the strip is hidden).
                    readonly property bool target: !isThisDevice && isOnline
                    objectName: "deviceTarget_" + device
                    visible: target
                    width: tileRow.implicitWidth + 16
                    height: tileRow.implicitHeight + 12
                    radius: 6
                    color: drop.containsDrag ? palette.highlight : "transparent"
                    border.color: palette.mid
                    border.width: 1
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("%1 (%2)").arg(name).arg(deviceClass)

                    RowLayout {
                        id: tileRow
                        anchors.centerIn: parent
                        spacing: 4
                        Image {
                            source: "icons/" + (tile.deviceClass !== "" ? tile.deviceClass
                                                                         : "desktop") + ".svg"
                            sourceSize.width: 16
                            sourceSize.height: 16
                        }
                        Label {
                            text: tile.name
                            color: drop.containsDrag ? palette.highlightedText : palette.windowText
                        }
                    }
                    DropArea {
                        id: drop
                        anchors.fill: parent
                        keys: ["plenum-session"]
                        onDropped: event => {
                            if (!event.source || event.source.sid === undefined)
                                return;
                            event.accept();
                            root.sessionDropped(event.source.sid, tile.device);
                        }
                    }
                }
            }
        }
    }
}

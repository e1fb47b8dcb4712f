import QtQuick

// Online / away / busy / offline as a coloured dot; the words go to screen readers and the
// tooltip-less places that show the text next to it.
Rectangle {
    id: root

    property string presence: "offline"
    property int size: 10

    function label(p) {
        switch (p) {
        case "online": return qsTr("online");
        case "away": return qsTr("away");
        case "busy": return qsTr("busy");
        default: return qsTr("offline");
        }
    }

    implicitWidth: size
    implicitHeight: size
    radius: size / 2
    color: {
        switch (presence) {
        case "online": return "#2e9e4f";
        case "away": return "#d9a21b";
        case "busy": return "#d1453b";
        default: return "transparent";
        }
    }
    border.width: presence === "online" || presence === "away" || presence === "busy" ? 0 : 2
    border.color: palette.mid
    Accessible.role: Accessible.Indicator
    Accessible.name: label(presence)
}

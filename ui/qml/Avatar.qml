import QtQuick

// A person's picture, or their initials on a colour derived from the name (stable per name, so
// the same person looks the same in every list). The one place initials are made: the header,
// the roster, the call bar and the settings all show the same ones for a name.
Item {
    id: root

    property string name
    property url source
    property int size: 32

    // The first letters of the first and last words ("Ada Lovelace Byron": "AB"); one word, its
    // first letter ("You": "Y"); no name, "?".
    function initialsOf(text) {
        const parts = text.trim().split(/\s+/).filter(p => p.length > 0);
        if (parts.length === 0)
            return "?";
        // A whole code point: an emoji is two UTF-16 units.
        const initial = word => String.fromCodePoint(word.codePointAt(0));
        const last = parts.length > 1 ? initial(parts[parts.length - 1]) : "";
        return (initial(parts[0]) + last).toUpperCase();
    }

    function hueOf(text) {
        let h = 0;
        for (let i = 0; i < text.length; ++i)
            h = (h * 31 + text.charCodeAt(i)) % 360;
        return h / 360;
    }

    implicitWidth: size
    implicitHeight: size
    Accessible.role: Accessible.Graphic
    Accessible.name: qsTr("Picture of %1").arg(name)

    Rectangle {
        anchors.fill: parent
        radius: width / 2
        visible: picture.status !== Image.Ready
        color: Qt.hsla(root.hueOf(root.name), 0.45, 0.45, 1)

        Text {
            anchors.centerIn: parent
            text: root.initialsOf(root.name)
            color: "white"
            font.pixelSize: Math.round(root.size * 0.4)
            font.bold: true
        }
    }

    Image {
        id: picture
        anchors.fill: parent
        source: root.source
        visible: status === Image.Ready
        fillMode: Image.PreserveAspectCrop
        // Decode at the pixel size shown, high-DPI included.
        sourceSize: Qt.size(root.size * 3, root.size * 3)
        asynchronous: true
    }
}

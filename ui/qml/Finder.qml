import QtQml
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Ctrl+K: type part of a name, pick a session or a contact. Enter opens the first match,
// Up/Down move, Esc closes.
Popup {
    id: root
    objectName: "finder"

    property var contacts
    property var sessions
    property alias query: queryField.text
    property int currentIndex: 0

    // What matches the query: [{kind: "session"|"contact", id, label, row}], sessions first.
    readonly property var results: {
        const q = query.trim().toLowerCase();
        const out = [];
        for (let i = 0; i < sessionRows.count; ++i) {
            const r = sessionRows.objectAt(i);
            if (r && matches(q, r.label))
                out.push({kind: "session", id: r.key, label: r.label, row: i});
        }
        for (let i = 0; i < contactRows.count; ++i) {
            const r = contactRows.objectAt(i);
            if (r && matches(q, r.label))
                out.push({kind: "contact", id: r.key, label: r.label, row: i});
        }
        return out;
    }

    signal sessionChosen(string sid)
    signal contactChosen(string account, int row)

    function matches(q, label) {
        return q === "" || label.toLowerCase().indexOf(q) >= 0;
    }

    function choose(i) {
        if (i < 0 || i >= results.length)
            return;
        const r = results[i];
        close();
        if (r.kind === "session")
            sessionChosen(r.id);
        else
            contactChosen(r.id, r.row);
    }

    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    width: Math.min(parent ? parent.width - 40 : 420, 440)
    x: parent ? (parent.width - width) / 2 : 0
    y: 40
    padding: 8

    onOpened: {
        queryField.clear();
        currentIndex = 0;
        queryField.forceActiveFocus();
    }
    onResultsChanged: currentIndex = Math.min(currentIndex, Math.max(0, results.length - 1))

    // The models are read through Instantiators: C++ list models have no get(), but
    // delegates see the roles. These objects are never shown.
    readonly property Instantiator sessionRows: Instantiator {
        model: root.sessions
        delegate: QtObject {
            required property string sid
            required property string title
            readonly property string key: sid
            readonly property string label: title
        }
    }
    readonly property Instantiator contactRows: Instantiator {
        model: root.contacts
        delegate: QtObject {
            required property string account
            required property string name
            required property bool blocked
            readonly property string key: account
            readonly property string label: name
        }
    }

    contentItem: ColumnLayout {
        spacing: 6

        TextField {
            id: queryField
            objectName: "finderField"
            placeholderText: qsTr("Find a contact or group…")
            Layout.fillWidth: true
            Accessible.name: qsTr("Search")
            Keys.onDownPressed: root.currentIndex = Math.min(root.currentIndex + 1, root.results.length - 1)
            Keys.onUpPressed: root.currentIndex = Math.max(root.currentIndex - 1, 0)
            onAccepted: root.choose(root.currentIndex)
        }

        ListView {
            id: resultList
            objectName: "finderResults"
            model: root.results
            clip: true
            currentIndex: root.currentIndex
            Layout.fillWidth: true
            Layout.preferredHeight: Math.max(40, Math.min(contentHeight, 320))
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Matches")

            delegate: ItemDelegate {
                required property var modelData
                required property int index
                width: ListView.view.width
                highlighted: index === root.currentIndex
                text: modelData.kind === "session" ? qsTr("Group: %1").arg(modelData.label)
                                                   : qsTr("Contact: %1").arg(modelData.label)
                Accessible.name: text
                onClicked: root.choose(index)
            }

            Label {
                anchors.centerIn: parent
                visible: resultList.count === 0
                text: qsTr("Nothing matches")
                opacity: 0.6
            }
        }
    }
}

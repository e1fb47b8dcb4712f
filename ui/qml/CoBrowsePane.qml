import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Browsing together beside the conversation (DESIGN §9, docs/cobrowse.md): who leads, follow
// on/off with "jump there", request or pass the baton, push a page to everyone, cards of pages
// others pushed, and the page itself. The page is a Qt WebEngine view when this build has one
// (`webAvailable`); without it the pane still follows and says which address it would show.
Pane {
    id: root
    objectName: "coBrowsePane"

    property string url // the page this device shows
    property string leaderName // "" when nobody holds the baton
    property string leaderUrl // the leader's page, for "Alice is on …"
    property bool isLeader: false
    property bool following: true
    property bool requestPending: false
    property var members // model with roles device, name: whom the leader may pass to
    property var cards // model with roles url, title, byName: pages others pushed
    property string notice // a refusal or a failed load, in words
    property string askingName // a member asking us, the leader, for the baton
    property bool webAvailable: false
    property var blockedSites: [] // sites this device never follows to (host names)

    signal navigateRequested(string url)
    signal pushRequested(string url)
    signal followToggled(bool on)
    signal jumpRequested
    signal batonRequested
    signal batonPassRequested(string device)
    signal batonAnswered(bool grant)
    signal cardOpened(string url)
    signal pageLoaded(string url, string title)
    signal pageFailed(string url, string reason)
    signal scrolled(real x, real y)
    signal blockSiteRequested(string url)
    signal unblockRequested(string domain)

    // The leader's scroll position, as fractions of the page (followers apply it).
    function scrollTo(x, y) {
        if (web.item)
            web.item.scrollToFraction(x, y);
    }

    padding: 0

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Who leads, and what I can do about it.
        Pane {
            Layout.fillWidth: true
            padding: 6

            RowLayout {
                anchors.fill: parent
                spacing: 8

                Label {
                    objectName: "leaderLabel"
                    text: root.isLeader ? qsTr("You lead the browsing")
                        : root.leaderName !== "" ? qsTr("%1 leads the browsing").arg(root.leaderName)
                        : qsTr("Nobody leads the browsing")
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Switch {
                    objectName: "followSwitch"
                    visible: !root.isLeader && root.leaderName !== ""
                    text: qsTr("Follow")
                    checked: root.following
                    Accessible.name: qsTr("Follow %1's browsing").arg(root.leaderName)
                    onToggled: root.followToggled(checked)
                }
                Button {
                    objectName: "requestBatonButton"
                    visible: !root.isLeader
                    enabled: !root.requestPending
                    text: root.requestPending ? qsTr("Asked…") : qsTr("Ask to lead")
                    Accessible.name: qsTr("Ask to lead the browsing")
                    onClicked: root.batonRequested()
                }
                Button {
                    id: passButton
                    objectName: "passBatonButton"
                    visible: root.isLeader
                    text: qsTr("Pass to…")
                    Accessible.name: qsTr("Pass the lead to another member")
                    onClicked: passMenu.open()

                    Menu {
                        id: passMenu
                        objectName: "passMenu"
                        y: passButton.height

                        Repeater {
                            model: root.members
                            delegate: MenuItem {
                                required property string device
                                required property string name
                                required property bool isMe
                                visible: !isMe
                                height: visible ? implicitHeight : 0
                                text: name
                                onTriggered: root.batonPassRequested(device)
                            }
                        }
                    }
                }
            }
        }

        // A member asks us, the leader, for the baton.
        Pane {
            objectName: "batonAsked"
            visible: root.isLeader && root.askingName !== ""
            Layout.fillWidth: true
            padding: 6

            RowLayout {
                anchors.fill: parent

                Label {
                    text: qsTr("%1 asks to lead the browsing").arg(root.askingName)
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "grantBatonButton"
                    text: qsTr("Let them lead")
                    highlighted: true
                    onClicked: root.batonAnswered(true)
                }
                Button {
                    objectName: "refuseBatonButton"
                    text: qsTr("Keep it")
                    onClicked: root.batonAnswered(false)
                }
            }
        }

        // The address: the leader goes there; anyone can show it to everyone.
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 6
            Layout.rightMargin: 6
            spacing: 6

            TextField {
                id: address
                objectName: "addressField"
                text: root.url
                placeholderText: qsTr("https://…")
                selectByMouse: true
                Layout.fillWidth: true
                Accessible.name: qsTr("Web address")
                onAccepted: root.isLeader ? root.navigateRequested(text) : root.pushRequested(text)
            }
            Button {
                objectName: "goButton"
                visible: root.isLeader
                text: qsTr("Go")
                highlighted: true
                enabled: address.text !== ""
                onClicked: root.navigateRequested(address.text)
            }
            Button {
                objectName: "pushPageButton"
                text: qsTr("Show everyone")
                enabled: address.text !== ""
                Accessible.name: qsTr("Push this page to everyone")
                onClicked: root.pushRequested(address.text)
            }
            Button {
                objectName: "blockSiteButton"
                visible: !root.isLeader && root.url !== ""
                text: qsTr("Block site")
                flat: true
                Accessible.name: qsTr("Never follow anyone to this site")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Never follow anyone to this site again")
                onClicked: root.blockSiteRequested(root.url)
            }
        }

        // Sites I never follow to; a click unblocks one.
        Flow {
            objectName: "blockedSites"
            visible: root.blockedSites.length > 0
            Layout.fillWidth: true
            Layout.leftMargin: 6
            Layout.rightMargin: 6
            spacing: 4

            Label {
                text: qsTr("Not followed to:")
                height: implicitHeight
                topPadding: 6
            }
            Repeater {
                model: root.blockedSites
                delegate: Button {
                    required property string modelData
                    objectName: "unblockButton"
                    text: qsTr("%1 \u2715").arg(modelData)
                    flat: true
                    Accessible.name: qsTr("Follow to %1 again").arg(modelData)
                    onClicked: root.unblockRequested(modelData)
                }
            }
        }

        // Follow is off (or I went elsewhere): where the leader is, and a way there.
        Pane {
            objectName: "leaderElsewhere"
            visible: !root.isLeader && root.leaderUrl !== "" && root.leaderUrl !== root.url
            Layout.fillWidth: true
            padding: 6

            RowLayout {
                anchors.fill: parent

                Label {
                    text: qsTr("%1 is on %2").arg(root.leaderName).arg(root.leaderUrl)
                    elide: Text.ElideMiddle
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "jumpButton"
                    text: qsTr("Jump there")
                    onClicked: root.jumpRequested()
                }
                Button {
                    objectName: "blockLeaderSiteButton"
                    text: qsTr("Block site")
                    flat: true
                    Accessible.name: qsTr("Never follow anyone to this site")
                    onClicked: root.blockSiteRequested(root.leaderUrl)
                }
            }
        }

        // Pages others pushed: cards, the browser stays where it is.
        Repeater {
            model: root.cards
            delegate: Pane {
                required property string url
                required property string title
                required property string byName
                objectName: "pushedCard"
                Layout.fillWidth: true
                Layout.leftMargin: 6
                Layout.rightMargin: 6
                padding: 4

                background: Rectangle {
                    color: Qt.alpha(root.palette.highlight, 0.12)
                    radius: 4
                }
                RowLayout {
                    anchors.fill: parent

                    Label {
                        text: qsTr("%1 shared %2").arg(byName).arg(title !== "" ? title : url)
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Button {
                        text: qsTr("Open")
                        flat: true
                        onClicked: root.cardOpened(url)
                    }
                }
            }
        }

        Label {
            objectName: "browseNotice"
            visible: root.notice !== ""
            text: root.notice
            color: "#d1453b"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.margins: 6
        }

        Loader {
            id: web
            // A web engine (and its processes) only while the pane is shown.
            active: root.webAvailable && root.visible
            source: "CoBrowseWeb.qml"
            Layout.fillWidth: true
            Layout.fillHeight: true
            onLoaded: item.target = Qt.binding(() => root.url)

            Connections {
                target: web.item
                ignoreUnknownSignals: true
                function onLoaded(url, title) {
                    root.pageLoaded(url, title);
                }
                function onFailed(url, reason) {
                    root.pageFailed(url, reason);
                }
                function onNavigatedHere(url) {
                    // A link clicked in the page: the leader takes everyone along; anyone
                    // else went their own way, so they stop following.
                    if (root.isLeader)
                        root.navigateRequested(url);
                    else if (root.following)
                        root.followToggled(false);
                }
                function onScrolledTo(x, y) {
                    if (root.isLeader)
                        root.scrolled(x, y);
                }
            }
        }

        // A build without Qt WebEngine still follows: it says what it would show.
        Label {
            objectName: "textOnlyPage"
            visible: !root.webAvailable
            text: root.url !== "" ? qsTr("Page: %1\n(this window shows addresses, not pages)").arg(root.url)
                                  : qsTr("No page yet. The leader's pages appear here.")
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            opacity: 0.7
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: 12
        }
    }
}

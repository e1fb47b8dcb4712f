import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts

// The window. The only file that reads `app` (the AppController, docs/ui.md); everything below
// gets its data as properties. Before the account is ready it shows the first-start page.
ApplicationWindow {
    id: window
    objectName: "mainWindow"

    readonly property bool hasAccount: app.myAccount !== ""
    readonly property bool showMain: app.phase === "ready"
        || (hasAccount && (app.phase === "connecting" || app.phase === "error"))

    readonly property alias settingsDialog: settingsDialog
    readonly property alias finder: finder

    // A phone (`plenum --device-class phone`), or any window too narrow for two columns, shows
    // one column at a time: the list of groups and contacts, or the open conversation with a
    // way back. A phone also gets larger text, so every control is a larger touch target.
    readonly property bool phone: app.deviceClass === "phone"
    readonly property bool compact: phone || width < 560
    property bool listShown: app.currentSession === ""
    // Browsing together on a desktop gives the list's room to the page and the conversation.
    readonly property bool showList: compact ? listShown : !browsing
    readonly property bool showConversation: !compact || !listShown

    Connections {
        target: app
        function onCurrentSessionChanged() {
            window.listShown = app.currentSession === "";
            browseCards.clear();
        }
    }

    // Browsing together (CoBrowsePane): shown beside the conversation, or instead of it in one
    // column. Pages others pushed collect here as cards until another group is opened.
    property bool browsing: false
    ListModel {
        id: browseCards
    }
    Connections {
        target: app.browse
        function onCardReceived(url, title, byName) {
            browseCards.append({url: url, title: title, byName: byName});
        }
        function onScrollRequested(x, y) {
            coBrowse.scrollTo(x, y);
        }
    }

    width: phone ? 400 : 960
    height: phone ? 800 : 640
    minimumWidth: compact ? 320 : 640
    minimumHeight: 440
    font.pixelSize: phone ? 17 : Qt.application.font.pixelSize
    visible: true
    title: app.demo ? qsTr("Plenum (demo)") : qsTr("Plenum")

    Shortcut {
        sequence: "Ctrl+K"
        enabled: window.showMain
        onActivated: finder.open()
    }
    Shortcut {
        sequence: StandardKey.Quit
        onActivated: app.quit()
    }
    Shortcut {
        sequence: StandardKey.Preferences
        enabled: window.showMain
        onActivated: settingsDialog.open()
    }

    FirstStartPage {
        anchors.fill: parent
        visible: !window.showMain
        busy: ["starting", "creatingAccount", "linking", "connecting"].indexOf(app.phase) >= 0
        // An error on a profile that exists offers trying again, not a new account over it.
        formsVisible: !app.demo && (["firstStart", "creatingAccount", "linking"].indexOf(app.phase) >= 0
                                    || (app.phase === "error" && !app.profileExists))
        retryVisible: !app.demo && app.phase === "error" && app.profileExists
        progress: app.progress
        progressText: app.progressText
        errorText: app.errorText
        onCreateRequested: (name, avatar) => app.createAccount(name, avatar)
        onLinkRequested: code => app.linkDevice(code)
        onRetryRequested: app.retryOpen()
        onLinkFromImageRequested: path => {
            const error = app.linkDeviceFromImage(path);
            if (error !== "")
                errorText = error;
        }
    }

    SplitView {
        anchors.fill: parent
        visible: window.showMain
        orientation: Qt.Horizontal

        ColumnLayout {
            objectName: "listColumn"
            visible: window.showList
            SplitView.preferredWidth: window.compact ? window.width : 300
            SplitView.minimumWidth: 240
            spacing: 0

            // Me: picture, name, presence; search and settings.
            Pane {
                Layout.fillWidth: true
                padding: 8

                RowLayout {
                    anchors.fill: parent
                    spacing: 8

                    Avatar {
                        name: app.myName
                        source: app.myAvatar
                        size: 32
                    }
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true

                        Label {
                            text: app.myName
                            font.bold: true
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        ComboBox {
                            id: presenceBox
                            objectName: "presenceBox"
                            flat: true
                            model: [
                                {value: "online", text: qsTr("Online")},
                                {value: "away", text: qsTr("Away")},
                                {value: "busy", text: qsTr("Busy")}
                            ]
                            textRole: "text"
                            valueRole: "value"
                            currentIndex: Math.max(0, indexOfValue(app.myPresence))
                            implicitHeight: 28
                            Accessible.name: qsTr("My presence")
                            onActivated: app.setPresence(currentValue)
                        }
                    }
                    ToolButton {
                        objectName: "finderButton"
                        icon.source: "icons/search.svg"
                        icon.color: palette.buttonText
                        text: qsTr("Find")
                        display: AbstractButton.IconOnly
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Find a contact or group (Ctrl+K)")
                        Accessible.name: qsTr("Find a contact or group")
                        onClicked: finder.open()
                    }
                    ToolButton {
                        objectName: "settingsButton"
                        icon.source: "icons/settings.svg"
                        icon.color: palette.buttonText
                        text: qsTr("Settings")
                        display: AbstractButton.IconOnly
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Settings")
                        Accessible.name: qsTr("Settings")
                        onClicked: settingsDialog.open()
                    }
                }
            }

            SessionList {
                model: app.sessions
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: 3
                onOpenRequested: sid => {
                    app.openSession(sid);
                    window.listShown = false;
                }
                // startGroup opens the new session itself; failures come back as a toast.
                onStartGroupRequested: app.startGroup()
                dragToDevices: !window.compact
            }

            DeviceStrip {
                visible: !window.compact && targets > 0
                devices: app.devices
                Layout.fillWidth: true
                onSessionDropped: (sid, device) => app.handoff.sendSession(sid, device)
            }

            ContactsPane {
                id: contactsPane
                model: app.contacts
                canInvite: app.currentSession !== ""
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: 4
                onAddRequested: link => addError = app.addContact(link)
                onBlockRequested: (account, blocked) => app.setBlocked(account, blocked)
                onInviteRequested: account => app.invite(account)
            }
        }

        ColumnLayout {
            objectName: "conversationColumn"
            visible: window.showConversation
            SplitView.fillWidth: true
            spacing: 0

            // One column: the way back to the list of groups and contacts. With a group open:
            // browsing together beside the conversation.
            ToolBar {
                visible: window.compact || app.currentSession !== ""
                Layout.fillWidth: true

                RowLayout {
                    anchors.fill: parent

                    ToolButton {
                        objectName: "backButton"
                        visible: window.compact
                        text: qsTr("‹ Groups")
                        Accessible.name: qsTr("Back to groups and contacts")
                        onClicked: window.listShown = true
                    }
                    Item {
                        Layout.fillWidth: true
                    }
                    ToolButton {
                        objectName: "browseToggle"
                        visible: app.currentSession !== ""
                        checkable: true
                        checked: window.browsing
                        text: window.browsing ? qsTr("Back to the chat") : qsTr("Browse together")
                        Accessible.name: qsTr("Browse the web together with this group")
                        onToggled: window.browsing = checked
                    }
                }
            }

            // Connecting or failed after the account exists: say so above everything.
            Pane {
                visible: app.phase !== "ready"
                Layout.fillWidth: true
                padding: 6

                ColumnLayout {
                    anchors.fill: parent

                    Label {
                        text: app.phase === "error" ? app.errorText : app.progressText
                        color: app.phase === "error" ? "#d1453b" : palette.windowText
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    ProgressBar {
                        visible: app.phase === "connecting"
                        indeterminate: app.progress < 0
                        value: Math.max(0, app.progress)
                        Layout.fillWidth: true
                        Accessible.name: app.progressText
                    }
                }
            }

            Repeater {
                model: app.invitations
                delegate: InvitationBanner {
                    sid: model.sid
                    fromName: model.fromName
                    referrer: model.referrer
                    handoff: model.isHandoff
                    Layout.fillWidth: true
                    Layout.margins: 6
                    onAccepted: sid => handoff ? app.handoff.answer(sid, true)
                                               : app.acceptInvitation(sid)
                    onDeclined: sid => handoff ? app.handoff.answer(sid, false)
                                               : app.declineInvitation(sid)
                }
            }

            // Browsing: the page, with the session's own conversation (the same SessionView,
            // side-chats included) beside it on a desktop and below it in one column, so
            // people talk about the page without leaving it.
            SplitView {
                visible: app.currentSession !== ""
                orientation: window.compact ? Qt.Vertical : Qt.Horizontal
                Layout.fillWidth: true
                Layout.fillHeight: true

                CoBrowsePane {
                    id: coBrowse
                    visible: window.browsing
                    SplitView.preferredWidth: window.width / 2
                    SplitView.minimumWidth: 280
                    SplitView.preferredHeight: window.height * 0.6
                    SplitView.minimumHeight: 200
                    url: app.browse.url
                    leaderName: app.browse.leaderName
                    leaderUrl: app.browse.leaderUrl
                    isLeader: app.browse.isLeader
                    following: app.browse.following
                    requestPending: app.browse.requestPending
                    askingName: app.browse.askingName
                    notice: app.browse.notice
                    members: app.roster
                    cards: browseCards
                    webAvailable: app.webView
                    onNavigateRequested: url => app.browse.navigate(url)
                    onPushRequested: url => app.browse.push(url)
                    onFollowToggled: on => app.browse.setFollow(on)
                    onJumpRequested: app.browse.jump()
                    onBatonRequested: app.browse.requestBaton()
                    onBatonPassRequested: device => app.browse.passBaton(device)
                    onBatonAnswered: grant => app.browse.answerBaton(grant)
                    onCardOpened: url => app.browse.navigate(url)
                    onPageLoaded: (url, title) => app.browse.pageLoaded(url, title)
                    onPageFailed: (url, reason) => app.browse.pageFailed(url, reason)
                    onScrolled: (x, y) => app.browse.scrolled(x, y)
                    blockedSites: app.browse.blockedSites
                    onBlockSiteRequested: url => app.browse.blockSite(url)
                    onUnblockRequested: domain => app.browse.unblockSite(domain)
                }

                SessionView {
                    SplitView.fillWidth: true
                    SplitView.fillHeight: true
                    SplitView.minimumWidth: 300
                    SplitView.minimumHeight: 160
                    roster: app.roster
                    pendingText: app.roster.pendingText
                    call: app.call
                    callCount: app.call.count
                    inCall: app.call.inCall
                    muted: app.call.muted
                    deafened: app.call.deafened
                    microphones: app.microphones
                    speakers: app.speakers
                    conversation: app.conversation
                    typingText: app.conversation.typingText
                    canLoadOlder: app.conversation.canLoadOlder
                    onSendRequested: (text, to) => app.send(text, to)
                    onTyping: text => app.setTyping(text)
                    onRetryRequested: id => app.retry(id)
                    onLoadOlderRequested: app.loadOlder()
                    onLeaveRequested: app.leaveSession()
                    onJoinCallRequested: app.joinCall()
                    onLeaveCallRequested: app.leaveCall()
                    onMuteRequested: on => app.setMuted(on)
                    onDeafenRequested: on => app.setDeafened(on)
                    myDevices: app.devices
                    handoffBusy: app.handoff.busy
                    handoffStatus: app.handoff.status
                    onSendToRequested: device => app.handoff.sendTo(device)
                    onHandoffCancelRequested: app.handoff.cancel()
                }
            }

            Label {
                visible: app.currentSession === ""
                text: qsTr("Open a group on the left, or start a new one and invite your contacts.")
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                opacity: 0.6
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.margins: 20
            }
        }
    }

    SettingsDialog {
        id: settingsDialog
        settings: app.settings
        devices: app.devices
        myName: app.myName
        myAvatar: app.myAvatar
        myLink: app.myLink
        onSetNameRequested: name => app.setMyName(name)
        onSetAvatarRequested: path => app.setMyAvatar(path)
        onPairRequested: pairingCode = app.newPairingCode()
        onRevokeRequested: device => app.revokeDevice(device)
        onQuitRequested: app.quit()
        onClosed: pairingCode = ""
    }

    Finder {
        id: finder
        contacts: app.contacts
        sessions: app.sessions
        onSessionChosen: sid => app.openSession(sid)
        onContactChosen: (account, row) => contactsPane.reveal(account, row)
    }

    Toast {
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 90
        width: Math.min(implicitWidth, parent.width - 40)
        text: app.toast
    }
}

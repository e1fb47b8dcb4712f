import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Dialogs
import QtQuick.Layouts

// Settings: me, my devices (pair a new one, revoke one), network, privacy, new groups,
// notifications. Values are written to `settings` as they change; Esc or Close dismisses.
Dialog {
    id: root
    objectName: "settingsDialog"

    // AppSettings (docs/ui.md) or any object with the same properties.
    property var settings
    property var devices
    property string myName
    property string myAvatar
    property string myLink
    // The code of a pairing in progress, "" when none; its QR is image://qr/<code>.
    property string pairingCode

    signal setNameRequested(string name)
    signal setAvatarRequested(string path)
    signal pairRequested
    signal revokeRequested(string device)
    signal quitRequested

    readonly property alias tabs: tabBar

    title: qsTr("Settings")
    modal: true
    focus: true
    standardButtons: Dialog.Close
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    width: Math.min(parent ? parent.width - 40 : 560, 600)
    height: Math.min(parent ? parent.height - 40 : 560, 560)
    anchors.centerIn: parent

    header: ColumnLayout {
        spacing: 0

        Label {
            text: root.title
            font.bold: true
            font.pointSize: root.font.pointSize * 1.3
            Layout.margins: 12
            Layout.bottomMargin: 4
        }
        TabBar {
            id: tabBar
            Layout.fillWidth: true

            TabButton {
                text: qsTr("Me")
                Accessible.name: qsTr("My profile")
            }
            TabButton {
                text: qsTr("Devices")
                Accessible.name: qsTr("My devices")
            }
            TabButton {
                text: qsTr("Network")
                Accessible.name: qsTr("Network")
            }
            TabButton {
                text: qsTr("Privacy")
                Accessible.name: qsTr("Privacy and new groups")
            }
            TabButton {
                text: qsTr("Alerts")
                Accessible.name: qsTr("Notifications")
            }
        }
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: tabBar.currentIndex

        // Me
        ColumnLayout {
            spacing: 10

            RowLayout {
                spacing: 12

                Avatar {
                    name: root.myName
                    source: root.myAvatar
                    size: 56
                }
                Button {
                    text: qsTr("Change picture…")
                    Accessible.name: qsTr("Change my picture")
                    onClicked: avatarDialog.open()
                }
            }
            Label {
                text: qsTr("Name")
            }
            TextField {
                id: nameEdit
                objectName: "settingsNameField"
                text: root.myName
                Layout.fillWidth: true
                Accessible.name: qsTr("My name")
                onEditingFinished: if (text.trim() !== "" && text.trim() !== root.myName)
                                       root.setNameRequested(text.trim())
            }
            Label {
                text: qsTr("My link — give it to people so they can add you")
            }
            RowLayout {
                Layout.fillWidth: true

                TextField {
                    id: linkField
                    objectName: "myLinkField"
                    text: root.myLink
                    readOnly: true
                    selectByMouse: true
                    Layout.fillWidth: true
                    Accessible.name: qsTr("My plenum: link")
                }
                Button {
                    text: qsTr("Copy")
                    Accessible.name: qsTr("Copy my link")
                    onClicked: {
                        linkField.selectAll();
                        linkField.copy();
                        linkField.deselect();
                    }
                }
            }
            Item {
                Layout.fillHeight: true
            }
            Button {
                objectName: "quitButton"
                // Closing the window only hides it in the tray; this really ends Plenum.
                text: qsTr("Quit Plenum")
                Accessible.name: qsTr("Quit Plenum: leave every group and stop")
                onClicked: root.quitRequested()
            }
        }

        // Devices
        ColumnLayout {
            spacing: 8

            ListView {
                id: devicesList
                objectName: "devicesList"
                model: root.devices
                clip: true
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(contentHeight, 200)
                Accessible.role: Accessible.List
                Accessible.name: qsTr("My devices")

                delegate: ItemDelegate {
                    id: deviceRow
                    required property string device
                    required property string name
                    required property string deviceClass
                    required property bool isThisDevice

                    width: ListView.view.width
                    Accessible.name: isThisDevice ? qsTr("%1 (this device)").arg(name) : name

                    contentItem: RowLayout {
                        spacing: 8

                        IconImage {
                            source: ["desktop", "laptop", "phone"].indexOf(deviceRow.deviceClass) >= 0
                                    ? "icons/" + deviceRow.deviceClass + ".svg" : "icons/desktop.svg"
                            sourceSize: Qt.size(20, 20)
                            color: deviceRow.palette.windowText
                        }
                        Label {
                            text: deviceRow.isThisDevice ? qsTr("%1 (this device)").arg(deviceRow.name)
                                                         : deviceRow.name
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Button {
                            objectName: "revokeButton"
                            visible: !deviceRow.isThisDevice
                            text: qsTr("Revoke")
                            flat: true
                            Accessible.name: qsTr("Revoke %1").arg(deviceRow.name)
                            onClicked: root.revokeRequested(deviceRow.device)
                        }
                    }
                }
            }

            Button {
                objectName: "pairDeviceButton"
                text: qsTr("Pair a new device")
                Accessible.name: qsTr("Pair a new device")
                onClicked: root.pairRequested()
            }
            RowLayout {
                visible: root.pairingCode !== ""
                spacing: 12
                Layout.fillWidth: true

                Image {
                    objectName: "pairingQr"
                    source: root.pairingCode !== "" ? "image://qr/" + encodeURIComponent(root.pairingCode) : ""
                    sourceSize: Qt.size(160, 160)
                    Layout.preferredWidth: 160
                    Layout.preferredHeight: 160
                    smooth: false
                    Accessible.role: Accessible.Graphic
                    Accessible.name: qsTr("QR code of the pairing code")
                }
                ColumnLayout {
                    Layout.fillWidth: true

                    Label {
                        text: qsTr("On the new device choose \"Link this device\" and type this code, or read the QR code:")
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    TextArea {
                        objectName: "pairingCodeField"
                        // Long codes wrap rather than scroll out of sight.
                        text: root.pairingCode
                        readOnly: true
                        selectByMouse: true
                        wrapMode: TextEdit.WrapAnywhere
                        font.family: "monospace"
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Pairing code")
                    }
                }
            }
            Item {
                Layout.fillHeight: true
            }
        }

        // Network
        ColumnLayout {
            spacing: 8

            CheckBox {
                text: qsTr("Find people on this local network (LAN discovery)")
                checked: root.settings ? root.settings.lanDiscovery : false
                Accessible.name: text
                onToggled: root.settings.lanDiscovery = checked
            }
            Label {
                text: qsTr("Bootstrap nodes (host:port, one per line)")
            }
            TextArea {
                objectName: "bootstrapField"
                text: root.settings ? root.settings.bootstrapNodes.join("\n") : ""
                Layout.fillWidth: true
                Layout.preferredHeight: 70
                Accessible.name: qsTr("Bootstrap nodes")
                onEditingFinished: root.settings.bootstrapNodes
                                   = text.split("\n").map(s => s.trim()).filter(s => s !== "")
            }
            Label {
                text: qsTr("STUN server")
            }
            TextField {
                text: root.settings ? root.settings.stunServer : ""
                placeholderText: qsTr("none")
                Layout.fillWidth: true
                Accessible.name: qsTr("STUN server")
                onEditingFinished: root.settings.stunServer = text.trim()
            }
            Label {
                text: qsTr("TURN server")
            }
            TextField {
                text: root.settings ? root.settings.turnServer : ""
                placeholderText: qsTr("none")
                Layout.fillWidth: true
                Accessible.name: qsTr("TURN server")
                onEditingFinished: root.settings.turnServer = text.trim()
            }
            Label {
                text: qsTr("Network settings apply the next time Plenum starts.")
                opacity: 0.7
                font.italic: true
            }
            Item {
                Layout.fillHeight: true
            }
        }

        // Privacy and new groups
        ColumnLayout {
            spacing: 8

            Label {
                text: qsTr("While I type, others see")
                font.bold: true
            }
            RadioButton {
                objectName: "liveTypingOn"
                text: qsTr("what I type, live")
                checked: root.settings ? root.settings.liveTyping : true
                Accessible.name: qsTr("Share my typing live")
                onToggled: if (checked) root.settings.liveTyping = true
            }
            RadioButton {
                objectName: "liveTypingOff"
                text: qsTr("only \"typing…\"")
                checked: root.settings ? !root.settings.liveTyping : false
                Accessible.name: qsTr("Only show that I am typing")
                onToggled: if (checked) root.settings.liveTyping = false
            }
            Label {
                text: qsTr("New groups")
                font.bold: true
                Layout.topMargin: 8
            }
            RowLayout {
                Label {
                    text: qsTr("At most")
                }
                SpinBox {
                    from: 2
                    to: 64
                    value: root.settings ? root.settings.defaultCapacity : 8
                    Accessible.name: qsTr("Largest number of members in a new group")
                    onValueModified: root.settings.defaultCapacity = value
                }
                Label {
                    text: qsTr("members")
                }
            }
            CheckBox {
                text: qsTr("Only I can invite (members cannot bring others)")
                checked: root.settings ? root.settings.defaultInviteOnly : false
                Accessible.name: qsTr("New groups are invite-only")
                onToggled: root.settings.defaultInviteOnly = checked
            }
            Item {
                Layout.fillHeight: true
            }
        }

        // Notifications
        ColumnLayout {
            spacing: 8

            Switch {
                text: qsTr("Play a sound for new messages")
                checked: root.settings ? root.settings.soundEnabled : true
                Accessible.name: text
                onToggled: root.settings.soundEnabled = checked
            }
            Switch {
                text: qsTr("Do not disturb (no notifications, no sound)")
                checked: root.settings ? root.settings.doNotDisturb : false
                Accessible.name: text
                onToggled: root.settings.doNotDisturb = checked
            }
            Switch {
                text: qsTr("Keep running in the tray when the window closes")
                checked: root.settings ? root.settings.trayEnabled : true
                Accessible.name: text
                onToggled: root.settings.trayEnabled = checked
            }
            Switch {
                objectName: "handoffOnLockSwitch"
                text: qsTr("When this computer locks, offer the open conversation to my phone")
                checked: root.settings ? root.settings.handoffOnLock : false
                Accessible.name: text
                onToggled: root.settings.handoffOnLock = checked
            }
            Item {
                Layout.fillHeight: true
            }
        }
    }

    FileDialog {
        id: avatarDialog
        title: qsTr("Choose a picture")
        nameFilters: [qsTr("Images (*.png *.jpg *.jpeg *.webp *.bmp)")]
        onAccepted: {
            const s = selectedFile.toString();
            root.setAvatarRequested(s.startsWith("file://") ? decodeURIComponent(s.substring(7)) : s);
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

// First start: make a new account (a name, a picture if you like), or link this device to an
// account you already have with a pairing code typed in or read from a QR code image.
Page {
    id: root
    objectName: "firstStartPage"

    // True while keys are made, a device is linked or the network connects.
    property bool busy: false
    // 0..1, or -1 when the length of the wait is unknown.
    property real progress: -1
    property string progressText
    property string errorText
    property alias name: nameField.text
    property string avatarPath
    // False while the app starts by itself (an existing profile, --demo): only progress shows.
    property bool formsVisible: true
    // The profile exists but could not be opened: the error and a way to try again.
    property bool retryVisible: false

    signal createRequested(string name, string avatarPath)
    signal linkRequested(string code)
    signal linkFromImageRequested(string path)
    signal retryRequested()

    function localPath(url) {
        const s = url.toString();
        return s.startsWith("file://") ? decodeURIComponent(s.substring(7)) : s;
    }

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Welcome")

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(420, parent.width - 40)
            x: (parent.width - width) / 2
            spacing: 12

            Item {
                // Without the forms, the progress sits in the upper middle of the window.
                Layout.preferredHeight: root.formsVisible ? 24 : root.height * 0.25
            }
            Label {
                text: qsTr("Welcome to Plenum")
                font.pointSize: root.font.pointSize * 1.8
                font.bold: true
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                text: qsTr("Group chat straight between your devices and your friends' — no server.")
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                opacity: 0.75
                Layout.fillWidth: true
            }

            GroupBox {
                title: qsTr("New account")
                visible: root.formsVisible
                enabled: !root.busy
                Layout.fillWidth: true

                ColumnLayout {
                    anchors.fill: parent
                    spacing: 8

                    RowLayout {
                        spacing: 10
                        Layout.fillWidth: true

                        Avatar {
                            name: nameField.text !== "" ? nameField.text : "?"
                            source: root.avatarPath !== "" ? "file://" + root.avatarPath : ""
                            size: 44
                        }
                        TextField {
                            id: nameField
                            objectName: "nameField"
                            placeholderText: qsTr("Your name, as others will see it")
                            maximumLength: 64
                            focus: true
                            Layout.fillWidth: true
                            Accessible.name: qsTr("Your name")
                            onAccepted: createButton.clicked()
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true

                        Button {
                            objectName: "avatarButton"
                            text: root.avatarPath === "" ? qsTr("Choose a picture…") : qsTr("Change picture…")
                            flat: true
                            Accessible.name: qsTr("Choose a picture (optional)")
                            onClicked: avatarDialog.open()
                        }
                        Item {
                            Layout.fillWidth: true
                        }
                        Button {
                            id: createButton
                            objectName: "createAccountButton"
                            text: qsTr("Create account")
                            highlighted: true
                            enabled: nameField.text.trim() !== "" && !root.busy
                            Accessible.name: qsTr("Create account")
                            onClicked: if (enabled) root.createRequested(nameField.text.trim(), root.avatarPath)
                        }
                    }
                }
            }

            GroupBox {
                title: qsTr("Already use Plenum on another device?")
                visible: root.formsVisible
                enabled: !root.busy
                Layout.fillWidth: true

                ColumnLayout {
                    anchors.fill: parent
                    spacing: 8

                    Label {
                        text: qsTr("On that device open Settings → Devices → Pair a new device, then type its code here or pick a picture of its QR code.")
                        wrapMode: Text.Wrap
                        opacity: 0.75
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        Layout.fillWidth: true

                        TextField {
                            id: codeField
                            objectName: "pairCodeField"
                            placeholderText: qsTr("Pairing code")
                            Layout.fillWidth: true
                            Accessible.name: qsTr("Pairing code")
                            onAccepted: linkButton.clicked()
                        }
                        Button {
                            id: linkButton
                            objectName: "linkDeviceButton"
                            text: qsTr("Link")
                            enabled: codeField.text.trim() !== "" && !root.busy
                            Accessible.name: qsTr("Link this device")
                            onClicked: if (enabled) root.linkRequested(codeField.text.trim())
                        }
                    }
                    Button {
                        objectName: "qrImageButton"
                        text: qsTr("Read QR code from an image…")
                        flat: true
                        Accessible.name: qsTr("Read the pairing QR code from an image file")
                        onClicked: qrDialog.open()
                    }
                }
            }

            ProgressBar {
                objectName: "progressBar"
                visible: root.busy
                indeterminate: root.progress < 0
                value: Math.max(0, root.progress)
                Layout.fillWidth: true
                Accessible.name: root.progressText !== "" ? root.progressText : qsTr("Progress")
            }
            Label {
                objectName: "progressText"
                visible: root.busy && text !== ""
                text: root.progressText
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                Layout.fillWidth: true
            }
            Label {
                objectName: "errorText"
                visible: text !== ""
                text: root.errorText
                color: "#d1453b"
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
            }
            Button {
                objectName: "retryOpenButton"
                visible: root.retryVisible
                text: qsTr("Try again")
                Layout.alignment: Qt.AlignHCenter
                onClicked: root.retryRequested()
            }
        }
    }

    FileDialog {
        id: avatarDialog
        title: qsTr("Choose a picture")
        nameFilters: [qsTr("Images (*.png *.jpg *.jpeg *.webp *.bmp)")]
        onAccepted: root.avatarPath = root.localPath(selectedFile)
    }

    FileDialog {
        id: qrDialog
        title: qsTr("Choose a picture of the QR code")
        nameFilters: [qsTr("Images (*.png *.jpg *.jpeg *.webp *.bmp)")]
        onAccepted: root.linkFromImageRequested(root.localPath(selectedFile))
    }
}

import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// SettingsDialog: writes what the person changes; pairing shows the code and its QR; Esc closes.
Item {
    id: root
    width: 700
    height: 650

    QtObject {
        id: settings
        property bool lanDiscovery: true
        property var bootstrapNodes: ["127.0.0.1:4222"]
        property string stunServer
        property string turnServer
        property bool liveTyping: true
        property int defaultCapacity: 8
        property bool defaultInviteOnly: false
        property bool soundEnabled: true
        property bool doNotDisturb: false
        property bool trayEnabled: true
    }

    ListModel {
        id: devices
        ListElement { device: "d1"; name: "Desk"; deviceClass: "desktop"; isThisDevice: true }
        ListElement { device: "d2"; name: "Phone"; deviceClass: "phone"; isThisDevice: false }
    }

    SettingsDialog {
        id: dialog
        parent: root
        settings: settings
        devices: devices
        myName: "Me"
        myLink: "plenum:account/00"
        onPairRequested: pairingCode = "4821-9930"
    }

    SignalSpy {
        id: revokes
        target: dialog
        signalName: "revokeRequested"
    }

    TestCase {
        name: "SettingsDialog"
        when: windowShown

        function init() {
            dialog.open();
            tryVerify(() => dialog.opened);
        }

        function cleanup() {
            dialog.close();
            tryVerify(() => !dialog.visible);
        }

        function test_escapeCloses() {
            keyClick(Qt.Key_Escape);
            tryVerify(() => !dialog.visible);
        }

        function test_liveTypingChoice() {
            dialog.tabs.currentIndex = 3;
            const off = findChild(dialog.contentItem, "liveTypingOff");
            tryVerify(() => off.visible);
            mouseClick(off);
            compare(settings.liveTyping, false);
            mouseClick(findChild(dialog.contentItem, "liveTypingOn"));
            compare(settings.liveTyping, true);
        }

        function test_pairingShowsQr() {
            dialog.tabs.currentIndex = 1;
            const qr = findChild(dialog.contentItem, "pairingQr");
            verify(!qr.visible);
            mouseClick(findChild(dialog.contentItem, "pairDeviceButton"));
            tryVerify(() => qr.visible);
            compare(String(qr.source), "image://qr/4821-9930");
            compare(findChild(dialog.contentItem, "pairingCodeField").text, "4821-9930");
        }

        function test_revokeOnlyOtherDevices() {
            dialog.tabs.currentIndex = 1;
            const list = findChild(dialog.contentItem, "devicesList");
            tryVerify(() => list.itemAtIndex(1) !== null);
            verify(!findChild(list.itemAtIndex(0), "revokeButton").visible, "not this device");
            const revoke = findChild(list.itemAtIndex(1), "revokeButton");
            verify(revoke.visible);
            mouseClick(revoke);
            compare(revokes.signalArguments[0][0], "d2");
        }

        function test_bootstrapNodesOnePerLine() {
            dialog.tabs.currentIndex = 2;
            const field = findChild(dialog.contentItem, "bootstrapField");
            compare(field.text, "127.0.0.1:4222");
            field.text = "127.0.0.1:1\n\n 127.0.0.1:2 \n";
            field.editingFinished();
            compare(settings.bootstrapNodes, ["127.0.0.1:1", "127.0.0.1:2"]);
        }
    }
}

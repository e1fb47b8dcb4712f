import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// Hand-off in the GUI: "Send to…" offers only my other online devices (or says none is
// online), a push under way shows its status with Cancel, and the offer on the other device
// reads "Continue here" / "Not now".
Item {
    width: 800
    height: 600

    ListModel {
        id: devices
        ListElement { device: "d1"; name: "Alice's desktop"; deviceClass: "desktop"; isThisDevice: true; isOnline: true }
        ListElement { device: "d2"; name: "Alice's phone"; deviceClass: "phone"; isThisDevice: false; isOnline: true }
        ListElement { device: "d3"; name: "Old laptop"; deviceClass: "laptop"; isThisDevice: false; isOnline: false }
    }
    ListModel { id: empty }

    SessionView {
        id: view
        anchors.fill: parent
        roster: empty
        call: empty
        conversation: empty
        myDevices: devices
    }

    InvitationBanner {
        id: banner
        y: 500
        width: 800
        sid: "s1"
        fromName: "Alice's laptop"
        handoff: true
    }

    SignalSpy { id: sent; target: view; signalName: "sendToRequested" }
    SignalSpy { id: cancelled; target: view; signalName: "handoffCancelRequested" }
    SignalSpy { id: accepted; target: banner; signalName: "accepted" }

    TestCase {
        name: "Handoff"
        when: windowShown

        function visibleItems(menu) {
            let out = [];
            for (let i = 0; i < menu.count; ++i) {
                const item = menu.itemAt(i);
                if (item && item.visible) out.push(item);
            }
            return out;
        }

        function test_sendToListsOnlyMyOtherOnlineDevices() {
            const button = findChild(view, "sendToButton");
            verify(button.visible && button.enabled);
            mouseClick(button);
            const menu = findChild(view, "sendToMenu");
            tryVerify(() => menu.opened);
            const items = visibleItems(menu);
            compare(items.length, 1);
            compare(items[0].text, "Alice's phone (phone)");
            mouseClick(items[0]);
            compare(sent.count, 1);
            compare(sent.signalArguments[0][0], "d2");
        }

        function test_noOtherDeviceOnlineSaysSo() {
            devices.setProperty(1, "isOnline", false);
            mouseClick(findChild(view, "sendToButton"));
            const menu = findChild(view, "sendToMenu");
            tryVerify(() => menu.opened);
            const items = visibleItems(menu);
            compare(items.length, 1);
            compare(items[0].objectName, "noOtherDevice");
            verify(!items[0].enabled);
            menu.close();
            devices.setProperty(1, "isOnline", true);
        }

        function test_busyShowsStatusAndCancel() {
            const status = findChild(view, "handoffStatus");
            verify(!status.visible);
            view.handoffBusy = true;
            view.handoffStatus = "Sending this conversation to Alice's phone…";
            verify(status.visible);
            verify(!findChild(view, "sendToButton").enabled);
            mouseClick(findChild(view, "handoffCancelButton"));
            compare(cancelled.count, 1);
            view.handoffBusy = false;
        }

        function test_offerReadsContinueHere() {
            const accept = findChild(banner, "acceptButton");
            compare(accept.text, "Continue here");
            compare(findChild(banner, "declineButton").text, "Not now");
            compare(banner.message, "Alice's laptop hands you a conversation. Continue it here?");
            mouseClick(accept);
            compare(accepted.count, 1);
            banner.handoff = false;
            compare(accept.text, "Accept");
        }
    }
}

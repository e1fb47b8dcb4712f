import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// Hand-off by drag and drop (issue 15): a session dragged from the session list onto one of
// my online devices in the device strip asks for that push; a drop elsewhere does nothing; a
// click still opens the session; only my other online devices are targets.
Item {
    width: 400
    height: 500

    ListModel {
        id: sessions
        ListElement { sid: "s1"; title: "Bob and Carol"; memberCount: 3; unread: 0; isCurrent: true; lastMessage: "" }
        ListElement { sid: "s2"; title: "Dan"; memberCount: 2; unread: 0; isCurrent: false; lastMessage: "" }
    }
    ListModel {
        id: devices
        ListElement { device: "d1"; name: "Alice's desktop"; deviceClass: "desktop"; isThisDevice: true; isOnline: true }
        ListElement { device: "d2"; name: "Alice's phone"; deviceClass: "phone"; isThisDevice: false; isOnline: true }
        ListElement { device: "d3"; name: "Old laptop"; deviceClass: "laptop"; isThisDevice: false; isOnline: false }
    }

    SessionList {
        id: list
        width: 400
        height: 300
        model: sessions
    }
    DeviceStrip {
        id: strip
        y: 380
        width: 400
        height: 100
        devices: devices
    }

    SignalSpy { id: dropped; target: strip; signalName: "sessionDropped" }
    SignalSpy { id: opened; target: list; signalName: "openRequested" }

    TestCase {
        name: "DeviceStrip"
        when: windowShown

        function rowOf(title) {
            const view = list.listView;
            for (let i = 0; i < view.count; ++i) {
                const row = view.itemAtIndex(i);
                if (row && row.title === title)
                    return row;
            }
            return null;
        }

        // Press on the row, move in steps (past the drag threshold) to `to`, release.
        function drag(row, to) {
            const from = row.mapToItem(null, row.width / 2, row.height / 2);
            const root = list.parent;
            mousePress(root, from.x, from.y);
            const steps = 12;
            for (let i = 1; i <= steps; ++i)
                mouseMove(root, from.x + (to.x - from.x) * i / steps,
                          from.y + (to.y - from.y) * i / steps);
            mouseRelease(root, to.x, to.y);
        }

        function init() {
            dropped.clear();
            opened.clear();
        }

        function test_onlyMyOtherOnlineDevicesAreTargets() {
            verify(strip.visible);
            compare(strip.targets, 1);
            verify(findChild(strip, "deviceTarget_d2").visible);
            verify(!findChild(strip, "deviceTarget_d1").visible);
            verify(!findChild(strip, "deviceTarget_d3").visible);
            devices.setProperty(1, "isOnline", false);
            compare(strip.targets, 0);
            verify(!strip.visible);
            devices.setProperty(1, "isOnline", true);
            verify(strip.visible);
        }

        function test_droppingASessionOnADeviceAsksForThePush() {
            const row = rowOf("Dan");
            verify(row);
            const phone = findChild(strip, "deviceTarget_d2");
            drag(row, phone.mapToItem(null, phone.width / 2, phone.height / 2));
            tryCompare(dropped, "count", 1);
            compare(dropped.signalArguments[0][0], "s2");
            compare(dropped.signalArguments[0][1], "d2");
            compare(opened.count, 0);
            // The ghost went back with the row.
            const ghost = findChild(row, "sessionDragGhost");
            verify(!ghost.visible);
        }

        function test_aDropElsewhereDoesNothingAndAClickStillOpens() {
            const row = rowOf("Bob and Carol");
            drag(row, Qt.point(200, 340));
            wait(50);
            compare(dropped.count, 0);
            mouseClick(row);
            compare(opened.count, 1);
            compare(opened.signalArguments[0][0], "s1");
        }
    }
}

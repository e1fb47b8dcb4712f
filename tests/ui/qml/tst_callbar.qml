import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// CallBar: Start/Join when this device is not in the call, Mute/Deafen/Leave when it is, the
// speaking ring only on who speaks (and not on the muted), the signals the buttons send.
Item {
    width: 800
    height: 60

    ListModel {
        id: call
        ListElement { name: "Bob"; device: "d1"; isMe: false; muted: false; deafened: false; speaking: true; level: 0.8 }
        ListElement { name: "Carol"; device: "d2"; isMe: false; muted: true; deafened: false; speaking: false; level: 0.0 }
    }

    // Stand-ins for AudioDeviceModel: rows with "name", and the chosen row.
    ListModel {
        id: mics
        property int currentIndex: 0
        ListElement { name: "System default" }
        ListElement { name: "USB headset" }
    }
    ListModel {
        id: speakersModel
        property int currentIndex: 0
        ListElement { name: "System default" }
    }

    CallBar {
        id: bar
        width: 800
        model: call
        count: call.count
        microphones: mics
        speakers: speakersModel
    }

    SignalSpy { id: joinSpy; target: bar; signalName: "joinRequested" }
    SignalSpy { id: muteSpy; target: bar; signalName: "muteRequested" }
    SignalSpy { id: leaveSpy; target: bar; signalName: "leaveRequested" }

    TestCase {
        name: "CallBar"
        when: windowShown

        function findAll(item, objectName, out) {
            if (item.objectName === objectName)
                out.push(item);
            for (let i = 0; i < item.children.length; ++i)
                findAll(item.children[i], objectName, out);
            return out;
        }

        function init() {
            bar.inCall = false;
            bar.muted = false;
            joinSpy.clear();
            muteSpy.clear();
            leaveSpy.clear();
        }

        function test_joinWhenOthersAreInTheCall() {
            const join = findChild(bar, "joinCallButton");
            verify(join.visible);
            compare(join.text, "Join call");
            verify(!findChild(bar, "muteButton").visible);
            verify(!findChild(bar, "leaveCallButton").visible);
            mouseClick(join);
            compare(joinSpy.count, 1);
        }

        function test_inCallShowsMuteAndLeave() {
            bar.inCall = true;
            verify(!findChild(bar, "joinCallButton").visible);
            const mute = findChild(bar, "muteButton");
            verify(mute.visible);
            waitForRendering(bar); // the row lays the new buttons out first
            mouseClick(mute);
            compare(muteSpy.count, 1);
            compare(muteSpy.signalArguments[0][0], true);
            bar.muted = true;
            compare(mute.text, "Unmute");
            waitForRendering(bar);
            mouseClick(findChild(bar, "leaveCallButton"));
            compare(leaveSpy.count, 1);
            tryVerify(() => findAll(bar, "callMember", []).length === 2);
        }

        function test_speakingRingOnlyOnTheSpeaker() {
            tryVerify(() => findAll(bar, "speakingRing", []).length === 2);
            const rings = findAll(bar, "speakingRing", []).filter(r => r.visible);
            compare(rings.length, 1);
            call.setProperty(0, "muted", true); // a muted member gets no ring
            compare(findAll(bar, "speakingRing", []).filter(r => r.visible).length, 0);
            call.setProperty(0, "muted", false);
            call.setProperty(1, "muted", false);
            call.setProperty(1, "speaking", true);
            compare(findAll(bar, "speakingRing", []).filter(r => r.visible).length, 2);
        }

        function test_levelMetersFollowTheLevel() {
            bar.inCall = true;
            waitForRendering(bar);
            tryVerify(() => findAll(bar, "levelFill", []).length === 2);
            const fills = () => findAll(bar, "levelFill", []);
            tryVerify(() => Math.abs(fills()[0].width - 0.8 * 48) < 0.5);
            compare(fills()[1].width, 0);
            call.setProperty(1, "level", 0.5);
            tryVerify(() => Math.abs(fills()[1].width - 24) < 0.5);
            call.setProperty(1, "level", 0.0);
            bar.inCall = false; // outside the call nothing is heard: no meters
            verify(findAll(bar, "levelMeter", []).every(m => !m.visible));
        }

        function test_devicePickerChoosesAMicrophone() {
            const button = findChild(bar, "devicesButton");
            verify(button.visible);
            waitForRendering(bar);
            mouseClick(button);
            const picker = findChild(bar, "devicePicker");
            tryVerify(() => picker.opened);
            const box = findChild(picker.contentItem, "microphoneBox");
            compare(box.count, 2);
            compare(box.currentText, "System default");
            box.activated(1); // what choosing the second row in the list does
            compare(mics.currentIndex, 1);
            compare(box.currentText, "USB headset");
            picker.close();
            mics.currentIndex = 0;
        }

        // A phone-wide bar with eight members: the members scroll, the buttons stay in view.
        function test_aNarrowBarKeepsItsButtonsInView() {
            for (let i = 0; i < 6; ++i)
                call.append({ name: "Member " + i, device: "x" + i, isMe: false,
                              muted: false, deafened: false, speaking: false, level: 0 });
            try {
                bar.width = 400;
                for (const inCall of [false, true]) {
                    bar.inCall = inCall;
                    for (const name of ["joinCallButton", "devicesButton", "muteButton",
                                        "leaveCallButton"]) {
                        const button = findChild(bar, name);
                        if (!button.visible)
                            continue;
                        tryVerify(() => button.mapToItem(bar, button.width, 0).x <= bar.width,
                                  1000, name + " is cut off");
                    }
                }
                const strip = findChild(bar, "callMembers");
                verify(strip.contentWidth > strip.width, "eight members fit in 400 px?");
                compare(findAll(bar, "callMember", []).length, 8);
            } finally { // the other tests want their two members back
                call.remove(2, 6);
                bar.width = 800;
            }
        }

        function test_startWhenNobodyIsInTheCall() {
            bar.count = 0;
            compare(findChild(bar, "joinCallButton").text, "Start call");
            compare(findChild(bar, "callStatus").text, "No call");
            bar.count = Qt.binding(() => call.count);
        }
    }
}

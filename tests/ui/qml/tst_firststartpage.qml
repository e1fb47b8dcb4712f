import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// FirstStartPage: Create only with a name, Link only with a code, progress while busy, errors.
Item {
    width: 800
    height: 700

    FirstStartPage {
        id: page
        anchors.fill: parent
    }

    SignalSpy {
        id: created
        target: page
        signalName: "createRequested"
    }

    SignalSpy {
        id: linked
        target: page
        signalName: "linkRequested"
    }

    TestCase {
        name: "FirstStartPage"
        when: windowShown

        function init() {
            page.busy = false;
            page.name = "";
            page.errorText = "";
            page.progress = -1;
            page.formsVisible = true;
            findChild(page, "pairCodeField").text = "";
            created.clear();
            linked.clear();
        }

        function test_createNeedsName() {
            const button = findChild(page, "createAccountButton");
            verify(!button.enabled);
            mouseClick(button);
            compare(created.count, 0);

            findChild(page, "nameField").forceActiveFocus();
            keyClick(Qt.Key_Space);
            verify(!button.enabled, "blank names do not count");
            keyClick("A");
            keyClick("l");
            verify(button.enabled);
            mouseClick(button);
            compare(created.count, 1);
            compare(created.signalArguments[0][0], "Al");
            compare(created.signalArguments[0][1], "");
        }

        function test_enterInNameCreates() {
            findChild(page, "nameField").forceActiveFocus();
            keyClick("Z");
            keyClick(Qt.Key_Return);
            compare(created.count, 1);
        }

        function test_linkNeedsCode() {
            const button = findChild(page, "linkDeviceButton");
            verify(!button.enabled);
            findChild(page, "pairCodeField").text = "1234-5678";
            verify(button.enabled);
            mouseClick(button);
            compare(linked.count, 1);
            compare(linked.signalArguments[0][0], "1234-5678");
        }

        function test_busyShowsProgressAndLocksForm() {
            const bar = findChild(page, "progressBar");
            page.name = "Al";
            verify(!bar.visible);
            page.busy = true;
            page.progress = 0.4;
            page.progressText = "Making your keys…";
            verify(bar.visible);
            compare(bar.value, 0.4);
            verify(!bar.indeterminate);
            verify(!findChild(page, "createAccountButton").enabled, "no second account while busy");
            compare(findChild(page, "progressText").text, "Making your keys…");
            page.progress = -1;
            verify(bar.indeterminate);
        }

        function test_startingByItselfShowsOnlyProgress() {
            page.formsVisible = false;
            page.busy = true;
            verify(!findChild(page, "nameField").visible);
            verify(!findChild(page, "pairCodeField").visible);
            verify(findChild(page, "progressBar").visible);
        }

        function test_errorText() {
            const label = findChild(page, "errorText");
            verify(!label.visible);
            page.errorText = "That code has expired. Make a new one on the other device.";
            verify(label.visible);
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// Composer: Enter sends, Shift+Enter adds a line, a private message goes only to the ticked.
Item {
    width: 600
    height: 300

    ListModel {
        id: roster
        ListElement { name: "Me"; account: "aa"; isMe: true }
        ListElement { name: "Bob"; account: "bb"; isMe: false }
        ListElement { name: "Carol"; account: "cc"; isMe: false }
    }

    Composer {
        id: composer
        width: 600
        members: roster
    }

    SignalSpy {
        id: sent
        target: composer
        signalName: "sendRequested"
    }

    SignalSpy {
        id: typed
        target: composer
        signalName: "typing"
    }

    TestCase {
        name: "Composer"
        when: windowShown

        function init() {
            sent.clear();
            composer.text = "";
            composer.privateMode = false;
            composer.chosen = [];
        }

        function input() {
            return findChild(composer, "messageInput");
        }

        function test_enterSends() {
            input().forceActiveFocus();
            keyClick("h");
            keyClick("i");
            keyClick(Qt.Key_Return);
            compare(sent.count, 1);
            compare(sent.signalArguments[0][0], "hi");
            compare(sent.signalArguments[0][1].length, 0, "to everyone");
            compare(composer.text, "", "the field is cleared after sending");
        }

        function test_keypadEnterSends() {
            input().forceActiveFocus();
            keyClick("x");
            keyClick(Qt.Key_Enter);
            compare(sent.count, 1);
        }

        function test_shiftEnterAddsLine() {
            input().forceActiveFocus();
            keyClick("a");
            keyClick(Qt.Key_Return, Qt.ShiftModifier);
            keyClick("b");
            compare(sent.count, 0, "Shift+Enter does not send");
            compare(composer.text, "a\nb");
            keyClick(Qt.Key_Return);
            compare(sent.count, 1);
            compare(sent.signalArguments[0][0], "a\nb");
        }

        function test_emptyIsNotSent() {
            input().forceActiveFocus();
            keyClick(Qt.Key_Space);
            keyClick(Qt.Key_Return);
            compare(sent.count, 0);
            verify(!findChild(composer, "sendButton").enabled);
        }

        function test_sendButton() {
            composer.text = "by button";
            const button = findChild(composer, "sendButton");
            verify(button.enabled);
            mouseClick(button);
            compare(sent.count, 1);
            compare(sent.signalArguments[0][0], "by button");
        }

        function test_privateNeedsChosenMembers() {
            mouseClick(findChild(composer, "privateToggle"));
            verify(composer.privateMode);
            composer.text = "secret";
            verify(!findChild(composer, "sendButton").enabled, "nobody chosen yet");
            keyClick(Qt.Key_Return);
            compare(sent.count, 0);

            composer.toggleChosen("cc", true);
            verify(findChild(composer, "sendButton").enabled);
            input().forceActiveFocus();
            keyClick(Qt.Key_Return);
            compare(sent.count, 1);
            compare(sent.signalArguments[0][0], "secret");
            compare(sent.signalArguments[0][1], ["cc"]);
        }

        function test_typingIsLiveButNotForSideChats() {
            input().forceActiveFocus();
            typed.clear();
            keyClick("h");
            compare(typed.signalArguments[typed.count - 1][0], "h");
            composer.text = "";
            mouseClick(findChild(composer, "privateToggle"));
            input().forceActiveFocus();
            typed.clear();
            keyClick("s");
            verify(typed.count > 0);
            compare(typed.signalArguments[typed.count - 1][0], "", "a private draft is not shared");
        }

        function test_privateMemberBoxesSkipMe() {
            mouseClick(findChild(composer, "privateToggle"));
            const flow = findChild(composer, "privateMembers");
            verify(flow.visible);
            let boxes = [];
            for (let i = 0; i < flow.children.length; ++i) {
                const c = flow.children[i];
                if (c instanceof CheckBox && c.visible)
                    boxes.push(c.text);
            }
            compare(boxes, ["Bob", "Carol"]);
        }
    }
}

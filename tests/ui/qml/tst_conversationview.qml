import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// ConversationView: delivery marks, retry only on failed, private messages marked, typing line,
// older history requested at the top.
Item {
    width: 600
    height: 400

    ListModel {
        id: messages
    }

    function message(id, author, text, isMine, delivery, isPrivate, recipients, pending) {
        return {messageId: id, author: author, authorAccount: author.toLowerCase(), text: text,
                time: "12:0" + id, isMine: isMine, isPrivate: isPrivate, recipientsText: recipients,
                delivery: delivery, pendingNames: pending, lamport: Number(id)};
    }

    ConversationView {
        id: view
        anchors.fill: parent
        model: messages
    }

    SignalSpy {
        id: retries
        target: view
        signalName: "retryRequested"
    }

    SignalSpy {
        id: older
        target: view
        signalName: "loadOlderRequested"
    }

    TestCase {
        name: "ConversationView"
        when: windowShown

        function init() {
            messages.clear();
            messages.append(message("1", "Bob", "hello", false, "", false, "", ""));
            messages.append(message("2", "Me", "sent one", true, "sent", false, "", ""));
            messages.append(message("3", "Me", "everyone has it", true, "delivered", false, "", ""));
            messages.append(message("4", "Me", "waiting", true, "pending", false, "", "Bob, Carol"));
            messages.append(message("5", "Me", "lost", true, "failed", false, "", ""));
            messages.append(message("6", "Carol", "psst", false, "", true, "to Me", ""));
            view.typingText = "";
            view.canLoadOlder = false;
            retries.clear();
            older.clear();
            waitForRendering(view);
        }

        function delegateAt(i) {
            const list = view.listView;
            list.positionViewAtIndex(i, ListView.Contain);
            return list.itemAtIndex(i);
        }

        function test_deliveryMarks() {
            const expected = ["", "sent", "delivered", "pending", "failed", ""];
            for (let i = 0; i < expected.length; ++i) {
                const mark = findChild(delegateAt(i), "deliveryMark");
                compare(mark.delivery, expected[i], "row " + i);
                compare(mark.visible, expected[i] !== "", "mark shown on row " + i);
            }
            const pending = findChild(delegateAt(3), "deliveryMark");
            compare(pending.description, "Waiting for Bob, Carol");
        }

        function test_retryOnlyOnFailed() {
            for (let i = 0; i < messages.count; ++i) {
                const retry = findChild(delegateAt(i), "retryButton");
                compare(retry.visible, i === 4, "retry button on row " + i);
            }
            compare(findChild(delegateAt(4), "failedLabel").text, "Not delivered");
            verify(!findChild(delegateAt(3), "failedLabel").visible);
            mouseClick(findChild(delegateAt(4), "retryButton"));
            compare(retries.count, 1);
            compare(retries.signalArguments[0][0], "5");
        }

        function test_failedBecomesDelivered() {
            messages.setProperty(4, "delivery", "delivered");
            verify(!findChild(delegateAt(4), "retryButton").visible);
        }

        function test_privateMarker() {
            for (let i = 0; i < messages.count; ++i) {
                const label = findChild(delegateAt(i), "privateLabel");
                compare(label.visible, i === 5, "private label on row " + i);
            }
            compare(findChild(delegateAt(5), "privateLabel").text, "Private · to Me");
            verify(findChild(delegateAt(5), "privateMark").visible);
        }

        function test_typingLine() {
            const line = findChild(view, "typingLine");
            compare(line.opacity, 0);
            view.typingText = "Bob: hello wor";
            compare(line.text, "Bob: hello wor");
            verify(line.opacity > 0 && line.opacity < 1, "a faint line");
        }

        function test_loadOlderAtTop() {
            for (let i = 7; i < 60; ++i)
                messages.append(message(String(i), "Bob", "line " + i, false, "", false, "", ""));
            view.canLoadOlder = true;
            waitForRendering(view);
            const list = view.listView;
            list.positionViewAtEnd();
            wait(50);
            compare(older.count, 0, "not while reading the newest messages");
            list.contentY = list.originY;
            tryCompare(older, "count", 1);
            // One request per batch: scrolling about at the top does not ask again...
            list.contentY = list.originY + 5;
            list.contentY = list.originY;
            compare(older.count, 1);
            // ...until older rows arrived.
            messages.insert(0, message("0", "Bob", "older", false, "", false, "", ""));
            list.contentY = list.originY + 5;
            list.contentY = list.originY;
            tryCompare(older, "count", 2);
        }

        function test_followsNewMessages() {
            for (let i = 7; i < 60; ++i)
                messages.append(message(String(i), "Bob", "line " + i, false, "", false, "", ""));
            waitForRendering(view);
            tryVerify(() => view.listView.atYEnd);
            messages.append(message("99", "Bob", "newest", false, "", false, "", ""));
            tryVerify(() => view.listView.atYEnd, 1000, "the view follows the newest message");
        }
    }
}

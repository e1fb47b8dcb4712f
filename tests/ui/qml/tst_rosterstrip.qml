import QtQuick
import QtQuick.Controls
import QtTest
import Plenum.Ui

// RosterStrip: every member shown, the crown only on the session manager, "Inviting Bob…".
Item {
    width: 700
    height: 80

    ListModel {
        id: roster
        ListElement { name: "Alice"; account: "a1"; device: "d1"; deviceClass: "laptop"; isSm: true; isMe: false; avatar: "" }
        ListElement { name: "Me"; account: "a2"; device: "d2"; deviceClass: "desktop"; isSm: false; isMe: true; avatar: "" }
        ListElement { name: "Carol"; account: "a3"; device: "d3"; deviceClass: "phone"; isSm: false; isMe: false; avatar: "" }
    }

    RosterStrip {
        id: strip
        width: 700
        model: roster
    }

    TestCase {
        name: "RosterStrip"
        when: windowShown

        function findAll(item, objectName, out) {
            if (item.objectName === objectName)
                out.push(item);
            for (let i = 0; i < item.children.length; ++i)
                findAll(item.children[i], objectName, out);
            return out;
        }

        function test_smMarkOnlyOnManager() {
            tryVerify(() => findAll(strip, "smMark", []).length === 1);
            const mark = findAll(strip, "smMark", [])[0];
            verify(mark.visible);
            compare(mark.parent.parent.children[1].text, "Alice");

            roster.setProperty(0, "isSm", false);
            roster.setProperty(2, "isSm", true);
            tryVerify(() => findAll(strip, "smMark", []).length === 1);
            compare(findAll(strip, "smMark", [])[0].parent.parent.children[1].text, "Carol");
        }

        function test_pendingText() {
            const label = findChild(strip, "pendingLabel");
            verify(!label.visible);
            strip.pendingText = "Inviting Bob…";
            verify(label.visible);
            compare(label.text, "Inviting Bob…");
            strip.pendingText = "";
            verify(!label.visible);
        }

        function test_meIsMarked() {
            let texts = [];
            const labels = findAll(strip, "", []);
            for (const l of labels)
                if (l instanceof Label)
                    texts.push(l.text);
            verify(texts.indexOf("Me (you)") >= 0, texts.join("|"));
        }
    }
}

import QtQuick
import QtTest
import Plenum.Ui

// Initials are made in one place (Avatar): the first letters of the first and last words, one
// letter for a one-word name (the demo's "You" read "YO" in the header and "Y" in the roster
// when two rules made them), "?" for no name.
Item {
    width: 200
    height: 100

    Avatar {
        id: avatar
        size: 40
    }

    TestCase {
        name: "Avatar"
        when: windowShown

        function test_initials_data() {
            return [
                { tag: "one word", name: "You", initials: "Y" },
                { tag: "two words", name: "ada lovelace", initials: "AL" },
                { tag: "three words, extra spaces", name: "  Ada  Lovelace Byron ", initials: "AB" },
                { tag: "no name", name: "", initials: "?" },
                { tag: "spaces only", name: "   ", initials: "?" },
                { tag: "outside the BMP", name: "\u{1F600} Smile", initials: "\u{1F600}S" },
                { tag: "accented", name: "élodie", initials: "É" }
            ];
        }

        function test_initials(data) {
            avatar.name = data.name;
            const label = findText(avatar, data.initials);
            verify(label !== null, "no label reading " + data.initials + " for '" + data.name + "'");
            compare(label.text, data.initials);
        }

        function findText(item, text) {
            if (item.text !== undefined && item.text === text)
                return item;
            for (let i = 0; i < item.children.length; ++i) {
                const found = findText(item.children[i], text);
                if (found)
                    return found;
            }
            return null;
        }
    }
}

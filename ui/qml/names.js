.pragma library
// How a member's name reads in the roster and the call bar: "Dana (you)" for this device's
// own account, but not "You (you)" when the name already says so (the demo's profile).
function shown(name, isMe) {
    if (!isMe || name === qsTr("You"))
        return name;
    return qsTr("%1 (you)").arg(name);
}

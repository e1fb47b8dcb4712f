#include "handoff/snapshot.h"

#include "chat/chatsignature.h"
#include "protocol/codec.h"
#include "protocol/limits.h"

namespace plenum::handoff {

using namespace protocol;

namespace {

HandoffSnapshot unsignedSnapshot(const SnapshotInput& in)
{
    HandoffSnapshot s;
    s.seat = in.seat;
    s.at = in.roster.at;
    s.sm = in.roster.sm;
    s.epoch = in.epoch;
    s.members = in.roster.members;
    s.history = in.history;
    s.lastSeqs = in.lastSeqs;
    s.call = in.call;
    s.plainTyping = in.plainTyping;
    s.priority = in.priority;
    return s;
}

} // namespace

QByteArray encodeSnapshot(const SessionId& sid, const HandoffSnapshot& snapshot)
{
    return encode(Message{Header{sid, snapshot.epoch, snapshot.at.version, snapshot.sm}, snapshot});
}

HandoffSnapshot makeSnapshot(const SnapshotInput& input, const Signer& sign, qsizetype maxBytes)
{
    const qsizetype limit = maxBytes > 0 ? std::min(maxBytes, qsizetype(limits::kMaxMessageBytes))
                                         : qsizetype(limits::kMaxMessageBytes);
    HandoffSnapshot s = unsignedSnapshot(input);
    while (static_cast<std::size_t>(s.history.size()) > limits::kMaxSnapshotMessages)
        s.history.removeFirst();
    // Room for the signature (64 bytes, and its key) that is added after measuring.
    constexpr qsizetype kSignatureRoom = 128;
    while (!s.history.isEmpty() && encodeSnapshot(input.sid, s).size() + kSignatureRoom > limit)
        s.history.removeFirst();
    s.signature = sign(handoffSnapshotSigningBytes(input.sid, s));
    return s;
}

SnapshotVerdict checkSnapshot(const SessionId& sid, const HandoffSnapshot& snapshot,
                              const DeviceId& from, const DeviceId& self,
                              const AccountId& selfAccount, const crypto::LinkKeyRing& keys)
{
    SnapshotVerdict v;
    const auto refuse = [&](const char* why) {
        v.reason = QLatin1String(why);
        return v;
    };
    if (snapshot.seat.device != self) return refuse("the snapshot is for another device");
    if (snapshot.seat.replaces != from)
        return refuse("the snapshot does not come from the device it replaces");
    const auto sender = keys.entry(from);
    if (!sender) return refuse("the sending device's chain is not known");
    // Only a device of our own account hands us its session (and the seat says the same).
    if (sender->account != selfAccount || snapshot.seat.account != selfAccount)
        return refuse("the snapshot comes from a device of another account");
    if (snapshot.signature.isEmpty() ||
        !keys.verify(from, handoffSnapshotSigningBytes(sid, snapshot), snapshot.signature))
        return refuse("the snapshot's signature does not match its sender (forged or altered)");
    for (const ChatMessage& m : snapshot.history) {
        switch (chat::verifyChat(m, sid, keys)) {
        case chat::ChatVerdict::Valid:
        case chat::ChatVerdict::Stub:
            break;
        case chat::ChatVerdict::UnknownAuthor:
            v.unverified.append(m);
            break;
        default:
            // A1 vouched for a message its author did not write: believe none of it.
            return refuse("a chat message in the snapshot is not signed by its author");
        }
    }
    v.ok = true;
    return v;
}

} // namespace plenum::handoff

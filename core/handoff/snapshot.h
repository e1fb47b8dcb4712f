#pragma once
// The hand-off snapshot (DESIGN §8 step 2): A1 sends A2 what it needs to continue the session
// (session id, roster, SM, epoch, chat history with per-author last seqs, call state,
// preferences) as one HANDOFF_SNAPSHOT message, bounded in size and signed by A1's device.
// A2 accepts it only from a device of its own account, for its own seat, and only if every
// chat message in it still carries its author's valid signature (DESIGN §6).

#include "crypto/linkkeyring.h"
#include "protocol/messages.h"

#include <functional>

namespace plenum::handoff {

struct SnapshotInput {
    SessionId sid;
    protocol::Reservation seat; // A2's seat, from the committed roster
    protocol::RosterSnapshot roster;
    std::uint64_t epoch = 0;
    QList<protocol::ChatMessage> history; // oldest first
    QList<protocol::SenderMark> lastSeqs;
    protocol::CallState call;
    bool plainTyping = false;
    std::uint32_t priority = 0;
};

// Signs with this device's link key (the Node: its Ed25519 link key; tests: a test chain).
using Signer = std::function<QByteArray(const QByteArray& data)>;

// Builds the snapshot and signs it. The newest history that fits goes in: the oldest messages
// are dropped until the encoded message is within limits (kMaxSnapshotMessages, and
// kMaxMessageBytes for the whole frame, or `maxBytes` if smaller: a snapshot stored in the DHT
// must fit a sealed envelope); A2 pulls anything older from the members.
protocol::HandoffSnapshot makeSnapshot(const SnapshotInput& input, const Signer& sign,
                                       qsizetype maxBytes = 0);
// The encoded message, ready for the link (its size is within limits::kMaxMessageBytes).
QByteArray encodeSnapshot(const SessionId& sid, const protocol::HandoffSnapshot& snapshot);

struct SnapshotVerdict {
    bool ok = false;
    QString reason; // why it was refused, in words
    // Messages whose authors A2 has no verified chain of yet (it links to the members only
    // after the snapshot): checked once their links are up, shown only then.
    QList<protocol::ChatMessage> unverified;
};

// A2's check. `from` is the device of the verified link (or DHT envelope) it came by.
SnapshotVerdict checkSnapshot(const SessionId& sid, const protocol::HandoffSnapshot& snapshot,
                              const DeviceId& from, const DeviceId& self,
                              const AccountId& selfAccount, const crypto::LinkKeyRing& keys);

} // namespace plenum::handoff

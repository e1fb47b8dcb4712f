#pragma once
// What a device keeps on disk for a session it belongs to. A restarted device keeps its
// DeviceId and this record, nothing else (DESIGN §4 "A member that crashes").

#include "protocol/messages.h"

namespace plenum::session {

// The signed quorum that made `sm` the SM of `epoch` (DESIGN §5): SET_SM's votes. Kept on disk
// so a restarted SM, or a member relaying it, can still show it to a member that is behind
// (--seed 1852: an SM that restarted before its SET_SM arrived was never followed again).
struct SmProof {
    std::uint64_t epoch = 0;
    DeviceId sm;
    QList<protocol::SignedVote> votes;
    friend bool operator==(const SmProof&, const SmProof&) = default;
};

struct SessionRecord {
    SessionId sid;
    protocol::RosterSnapshot accepted;  // newest roster acknowledged (on disk before the ack)
    protocol::RosterSnapshot committed; // newest roster known to be committed
    std::uint64_t votedEpoch = 0;       // one final vote per epoch (DESIGN §5)
    DeviceId votedFor;
    std::uint64_t grantedEpoch = 0; // newest epoch whose vote went to another device
    protocol::SessionRules rules;
    // Base of the SM's unacknowledged proposal (accepted != committed): a restarted SM
    // re-proposes with it, so the lineage of its roster stays traceable. {0,0}: the committed.
    protocol::RosterStamp proposalBase;
    // The device left or was removed: kept as a tombstone so it can tell others from which
    // roster it went (a member with an older roster then knows it is the stale one).
    bool ended = false;
    std::optional<SmProof> smProof; // the newest one this device checked or, as SM, made
    // The SM's signatures over `accepted` as a proposal (empty when it came committed) and over
    // `committed` as committed (protocol::rosterSigningBytes): a restarted member, or a
    // tombstone, relays them with the snapshots it hands out.
    QByteArray acceptedSignature = {};
    QByteArray committedSignature = {};
    // Devices a committed roster removed while this device watched (sorted, at most 1024): a
    // restarted member still tells them they are out (§5.1 rule 7) and lets them REJOIN.
    QList<DeviceId> formerMembers = {};
    friend bool operator==(const SessionRecord&, const SessionRecord&) = default;
};

} // namespace plenum::session

#pragma once
// What a device keeps on disk for a session it belongs to. A restarted device keeps its
// DeviceId and this record, nothing else (DESIGN §4 "A member that crashes").

#include "protocol/messages.h"

namespace plenum::session {

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
    friend bool operator==(const SessionRecord&, const SessionRecord&) = default;
};

} // namespace plenum::session

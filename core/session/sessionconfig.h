#pragma once
// Timing and policy knobs of one session; defaults follow DESIGN §3–§5.

#include "protocol/messages.h"
#include "session/clock.h"

namespace plenum::session {

struct SessionConfig {
    Millis pingInterval = 250;       // session pings carry (sid, epoch, version) (§5.1 rule 1)
    Millis detection = 1000;         // a link is down after this much silence (4 pings)
    Millis bidWindow = 50;           // collect bids before voting (DESIGN §5)
    Millis electionTimeout = 300;    // no winner by then: retry at the next epoch
    Millis electionBackoff = 150;    // random extra wait before a retry (0..this)
    Millis inviteTimeout = 15000;    // the invitee must accept and join within this
    Millis joinAttemptTimeout = 400; // one JOIN attempt; 3 attempts per endpoint
    int joinAttempts = 3;
    Millis flickerTimeout = 3000; // > detection + election (§5.1 rule 4)
    Millis relinkBase = 200;      // first re-link retry; doubles up to relinkMax
    Millis relinkMax = 2000;
    Millis resendInterval = 500;    // SM re-sends an unacknowledged ROSTER this often
    Millis unreachableGrace = 3000; // rule 9: a majority cannot reach X for this long: remove X
    bool autoRejoin = true;         // a removed (not departed) device asks to be readmitted
    protocol::SessionRules rules;   // used when this device creates a session
};

} // namespace plenum::session

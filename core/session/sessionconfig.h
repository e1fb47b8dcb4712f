#pragma once
// Timing and policy knobs of one session; defaults follow DESIGN §3–§5.

#include "protocol/messages.h"
#include "session/clock.h"

namespace plenum::session {

// The safety rules (DESIGN §5, §5.1) that a test can switch off, one bit each, to show that
// some test notices. Never set outside tests: each one breaks the session core on purpose.
enum class Rule : std::uint32_t {
    OlderEpochAnswered = 1u << 1,       // §5.1 rule 1: an older epoch gets STALE naming the SM
    HigherEpochStepsDown = 1u << 2,     // rule 2: an SM that sees a higher epoch steps down
    Lease = 1u << 3,                    // rule 3: no lease, no admission
    CommitMajority = 1u << 4,           // rule 4: committed only once a majority acknowledged
    JoinedLinkedEqualsRoster = 1u << 5, // rule 5: JOINED's linked set equals the roster
    TicketChecked = 1u << 6,            // rule 6: JOIN only with a valid ticket
    RemovalTold = 1u << 7,              // rule 7: BYE{removed} to the removed device
    KeepReachable = 1u << 9,            // rule 9: keep a member a majority can reach
    LeaverCounts = 1u << 16,            // §5: a leaver with a newer roster still counts
    TermRule = 1u << 17,                // §5: no ack for an SM older than our vote
    UpToDateVote = 1u << 18,            // §5: never vote for an older roster
    Authorization = 1u << 19,           // rule 6: who may send which message (authorization.cpp)
    IdentityBound = 1u << 20,           // rule 6: a roster entry's account is the verified one
    SuccessorHint = 1u << 21,           // a leaving SM names its successor (speed, not safety)
    BatonHolderOnly = 1u << 22,         // rule 11: only the holder of the current generation passes
    HandoffChecks = 1u << 23,           // rule 10: who may reserve a seat; A1's leave folded in
    TwoVoices = 1u << 24,               // rule 7: out on 403s only with two devices' word
    SignedSetSm = 1u << 28,             // §5: an SM of a new epoch only with its signed quorum
    TicketSpent = 1u << 29,             // rule 6: a ticket older than its joiner's last change
    SignedRoster = 1u << 30,            // rule 6: a relayed roster only with its SM's signature
};

struct SessionConfig {
    Millis pingInterval = 250; // session pings carry (sid, epoch, version) (§5.1 rule 1)
    // The transport sends the pings: it asks Session::pingTo at each of its own link pings
    // and carries the PING on them (one liveness ping per link, not two side by side); the
    // ping timer then sends nothing. The Node sets it; the simulator keeps the timer.
    bool pingsOnLinks = false;
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
    Millis crashGrace = 2000;       // the SM and another lost X: remove X unless back by then (§4)
    bool autoRejoin = true;         // a removed (not departed) device asks to be readmitted
    Millis rejoinBase = 500;        // first REJOIN retry; doubles up to rejoinMax, for ever
    Millis rejoinMax = 4000;        // (until readmitted, or the group refuses in words)
    protocol::SessionRules rules;   // used when this device creates a session
    std::uint32_t testDisabledRules = 0; // tests only: Rule bits switched off (see Rule)
    bool ruleOff(Rule r) const { return (testDisabledRules & static_cast<std::uint32_t>(r)) != 0; }
};

} // namespace plenum::session

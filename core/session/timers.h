#pragma once
// A session's deadlines. The Session keeps many; the host sees only the earliest (one
// wake-up per session), so a timer leak is visible as a deadline that never goes away.

#include "protocol/ids.h"
#include "session/clock.h"

#include <map>
#include <optional>
#include <utility>

namespace plenum::session {

enum class TimerKind {
    Ping,          // periodic: pings, lease and suspicion checks
    BidWindow,     // election: stop collecting bids, vote
    ElectionRetry, // election: no winner yet, next epoch
    SmLink,        // a new or restored SM must become reachable
    InviteTimeout, // SM: the invitee did not answer/join in time; invitee: offer expired
    Resend,        // SM: re-send an unacknowledged ROSTER
    JoinAttempt,   // joiner: one JOIN to one endpoint
    Flicker,       // member: a joiner that never got committed is dropped
    Relink,        // member: retry a broken link to another member
    Suspect,       // SM: re-check whether an unreachable member must be removed
    RejoinRetry,   // removed device: ask again to be readmitted
    Reservation,   // SM: a hand-off seat's TTL passes (§5.1 rule 10)
};

const char* timerName(TimerKind kind);

class Timers {
public:
    void arm(TimerKind kind, Millis at, const DeviceId& peer = {})
    {
        deadlines_[{kind, peer}] = at;
    }
    void disarm(TimerKind kind, const DeviceId& peer = {}) { deadlines_.erase({kind, peer}); }
    bool armed(TimerKind kind, const DeviceId& peer = {}) const
    {
        return deadlines_.count({kind, peer}) != 0;
    }
    void clear() { deadlines_.clear(); }
    std::optional<Millis> earliest() const;
    // Removes and returns one deadline that is due at `now`, earliest first.
    std::optional<std::pair<TimerKind, DeviceId>> takeDue(Millis now);
    const std::map<std::pair<TimerKind, DeviceId>, Millis>& all() const { return deadlines_; }

private:
    std::map<std::pair<TimerKind, DeviceId>, Millis> deadlines_;
};

} // namespace plenum::session

#include "session/timers.h"

namespace plenum::session {

const char* timerName(TimerKind kind)
{
    switch (kind) {
    case TimerKind::Ping:
        return "ping";
    case TimerKind::BidWindow:
        return "bid-window";
    case TimerKind::ElectionRetry:
        return "election-retry";
    case TimerKind::SmLink:
        return "sm-link";
    case TimerKind::InviteTimeout:
        return "invite-timeout";
    case TimerKind::Resend:
        return "resend";
    case TimerKind::JoinAttempt:
        return "join-attempt";
    case TimerKind::Flicker:
        return "flicker";
    case TimerKind::Relink:
        return "relink";
    case TimerKind::Suspect:
        return "suspect";
    case TimerKind::RejoinRetry:
        return "rejoin-retry";
    case TimerKind::Reservation:
        return "reservation";
    }
    return "?";
}

std::optional<Millis> Timers::earliest() const
{
    std::optional<Millis> best;
    for (const auto& [key, at] : deadlines_)
        if (!best || at < *best) best = at;
    return best;
}

std::optional<std::pair<TimerKind, DeviceId>> Timers::takeDue(Millis now)
{
    auto due = deadlines_.end();
    for (auto it = deadlines_.begin(); it != deadlines_.end(); ++it)
        if (it->second <= now && (due == deadlines_.end() || it->second < due->second)) due = it;
    if (due == deadlines_.end()) return std::nullopt;
    auto key = due->first;
    deadlines_.erase(due);
    return key;
}

} // namespace plenum::session

#include "net/liveness.h"

#include <algorithm>

namespace plenum::net {

Liveness::Liveness(qint64 localIntervalMs, int missedLimit, qint64 nowMs)
    : local_(std::clamp(localIntervalMs, kMinInterval, kMaxInterval)), peer_(local_),
      missedLimit_(std::max(1, missedLimit)), lastHeard_(nowMs), lastPing_(nowMs), lastProof_(nowMs)
{
}

void Liveness::setLocalInterval(qint64 ms)
{
    local_ = std::clamp(ms, kMinInterval, kMaxInterval);
}

void Liveness::setPeerInterval(qint64 ms)
{
    peer_ = std::clamp(ms, kMinInterval, kMaxInterval);
}

qint64 Liveness::controlDeadline() const
{
    const qint64 byPings = lastHeard_ + deadAfter();
    if (stallLimit_ <= deadAfter()) return byPings;
    // Proofs extend the deadline, but never past the stall limit.
    return std::max(byPings, std::min(lastProof_ + deadAfter(), lastHeard_ + stallLimit_));
}

bool Liveness::isDeadByMedia(qint64 nowMs) const
{
    return watchingMedia() && nowMs - std::max(lastHeard_, lastMedia_) > mediaDeadAfter_;
}

void Liveness::watchMedia(qint64 deadAfterMs, qint64 nowMs)
{
    mediaDeadAfter_ = std::max<qint64>(1, deadAfterMs);
    lastMedia_ = nowMs;
}

qint64 Liveness::msUntilNextEvent(qint64 nowMs) const
{
    const qint64 ping = lastPing_ + pingInterval() - nowMs;
    qint64 dead = controlDeadline() + 1 - nowMs;
    if (watchingMedia())
        dead = std::min(dead, std::max(lastHeard_, lastMedia_) + mediaDeadAfter_ + 1 - nowMs);
    return std::max<qint64>(0, std::min(ping, dead));
}

} // namespace plenum::net

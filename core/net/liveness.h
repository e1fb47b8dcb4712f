#pragma once
// Liveness of one link (DESIGN §3): each end pings at the interval it announces; the link is
// dead after `missedLimit` of the peer's intervals without hearing anything. Pure logic over
// a millisecond clock the caller passes in, so it is tested without sleeping.

#include <QtGlobal>

namespace plenum::net {

class Liveness {
public:
    static constexpr qint64 kMinInterval = 20;
    static constexpr qint64 kMaxInterval = 60'000;

    Liveness(qint64 localIntervalMs, int missedLimit, qint64 nowMs);

    void setLocalInterval(qint64 ms);
    qint64 localInterval() const { return local_; }
    // The interval the peer announced; clamped so a peer cannot make us wait forever.
    void setPeerInterval(qint64 ms);
    qint64 peerInterval() const { return peer_; }

    void heard(qint64 nowMs) { lastHeard_ = nowMs; }
    void pinged(qint64 nowMs) { lastPing_ = nowMs; }
    bool pingDue(qint64 nowMs) const { return nowMs - lastPing_ >= local_; }
    bool isDead(qint64 nowMs) const { return nowMs - lastHeard_ > deadAfter(); }
    qint64 deadAfter() const { return peer_ * missedLimit_; }
    // Milliseconds until the next ping is due or the link would be declared dead.
    qint64 msUntilNextEvent(qint64 nowMs) const;

private:
    qint64 local_;
    qint64 peer_;
    int missedLimit_;
    qint64 lastHeard_;
    qint64 lastPing_;
};

} // namespace plenum::net

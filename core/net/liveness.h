#pragma once
// Liveness of one link (DESIGN §3): each end pings at the interval it announces; the link is
// dead after `missedLimit` of the peer's intervals without hearing anything. Pure logic over
// a millisecond clock the caller passes in, so it is tested without sleeping.
//
// Media watch (docs/media.md "Media as a liveness signal"): while the peer's media stream is
// live it sends a datagram at least every 20 ms (voice, or a keepalive in silence), so a much
// shorter silence proves it gone. Then the link is also dead once neither the control link nor
// the media stream was heard for `mediaDeadAfter` ms. The control rule stays as it is: media
// can only make death come sooner, never later (a datagram is not authenticated here)...
//
// ...except an authenticated keepalive (MediaKeepalive, docs/links.md "Liveness under loss"):
// it proves the peer runs, so while such proofs arrive, control silence is taken for what it
// is under loss, PseudoTCP waiting out its retransmission timer (1 s minimum, doubling), and
// tolerated up to `controlStallLimit` ms.

#include <QtGlobal>

#include <algorithm>

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
    // Pings go out this often without changing the announced interval (0: at the announced
    // one). While media is watched, faster pings keep a live peer whose media path alone
    // broke from looking dead.
    void setPingEvery(qint64 ms) { pingEvery_ = ms; }

    void heard(qint64 nowMs) { lastHeard_ = nowMs; }
    void pinged(qint64 nowMs) { lastPing_ = nowMs; }
    bool pingDue(qint64 nowMs) const { return nowMs - lastPing_ >= pingInterval(); }
    bool isDead(qint64 nowMs) const { return isDeadByControl(nowMs) || isDeadByMedia(nowMs); }
    bool isDeadByControl(qint64 nowMs) const { return nowMs > controlDeadline(); }
    bool isDeadByMedia(qint64 nowMs) const;
    qint64 deadAfter() const { return peer_ * missedLimit_; }

    // Starts the media watch (the peer proved it sends keepalives); `nowMs` counts as heard.
    void watchMedia(qint64 deadAfterMs, qint64 nowMs);
    void unwatchMedia() { mediaDeadAfter_ = 0; }
    bool watchingMedia() const { return mediaDeadAfter_ > 0; }
    qint64 mediaDeadAfter() const { return mediaDeadAfter_; }
    void heardMedia(qint64 nowMs) { lastMedia_ = std::max(lastMedia_, nowMs); }
    // An authenticated keepalive arrived: the peer runs even if its control link is silent.
    void heardProof(qint64 nowMs) { lastProof_ = std::max(lastProof_, nowMs); }
    void setControlStallLimit(qint64 ms) { stallLimit_ = ms; }

    // Milliseconds until the next ping is due or the link would be declared dead.
    qint64 msUntilNextEvent(qint64 nowMs) const;

private:
    qint64 pingInterval() const { return pingEvery_ > 0 ? qMin(pingEvery_, local_) : local_; }
    // The last moment the control rule still counts the link alive.
    qint64 controlDeadline() const;

    qint64 local_;
    qint64 peer_;
    int missedLimit_;
    qint64 lastHeard_;
    qint64 lastPing_;
    qint64 pingEvery_ = 0;
    qint64 mediaDeadAfter_ = 0; // 0: not watching
    qint64 lastMedia_ = 0;
    qint64 lastProof_;
    qint64 stallLimit_ = 0; // 0: proofs do not stand in for control traffic
};

} // namespace plenum::net

#pragma once
// Adaptive jitter buffer for one remote participant. Pure: packets go in with their arrival
// time, one frame comes out per playout tick; no clock, no I/O (STYLE §1), so tests replay
// reorder, loss, late packets and ±200 ppm clock drift deterministically.
//
// Playout follows the RTP timestamp (RFC 3550 §5.1): a gap in it with later packets held is
// loss (concealed, with the next packet offered for FEC), a gap with nothing held is DTX
// silence or an underrun, and either way the playout clock runs on so later audio keeps its
// place. The depth is set where playout starts: at talkspurt starts (marker bit, RFC 7587
// §4.1) and after an underrun. With timed pulls it keeps a margin ahead of the pulls that a
// packet as slow as the slowest of the last few seconds would still meet (its phase counts: a
// packet that comes well before its pull needs no extra frame for a fraction of a frame of
// jitter), plus a boost after each late packet that decays again; untimed pulls fall back to
// whole frames from RFC 3550's interarrival jitter (§6.4.1/A.8). In between, a buffer that
// stays above target (a sender clock faster than ours) drops one frame and one that stays
// below target (slower) stretches one frame by concealment.

#include "media/rtppacket.h"

#include <QByteArray>

#include <deque>
#include <map>
#include <optional>

namespace plenum::media {

class JitterBuffer {
public:
    struct Config {
        int frameMs = 20;
        int minTargetFrames = 1;
        int maxTargetFrames = 15;  // 300 ms at 20 ms frames: beyond this a call is unusable
        int capacityFrames = 50;   // packets held at most; the oldest go first
        int jitterFactor = 4;      // target covers this many mean deviations (RFC 3550 J)
        int highWaterPulls = 25;   // frames above target+2 this long -> drop one (drift)
        int lowWaterPulls = 50;    // frames below target this long -> stretch one (drift)
        int boostDecayPulls = 500; // an underrun's extra frame is given back after this many
        // Far above target (more than target+2+burstFrames) is not clock drift but a burst
        // after a stall (a sender or this device's loop held up for a few hundred ms): drop one
        // frame every burstPulls pulls, so the extra delay is gone in about a second rather
        // than draining at the drift rate for ten.
        int burstFrames = 5;
        int burstPulls = 5;
        // Timed pulls only (the arrivals' phase is known): playout starts when a packet as
        // slow as the slowest of the last delayWindowMs would still come startGuardUs before
        // its pull (a guard for what the window has not seen: arrivals right at the pull's
        // phase start with no slack, and the next packet, a hair late, is an underrun). The
        // window remembers a stall's delay for that long, as a peak to cover. Untimed pulls
        // know no phase: the target is whole frames from RFC 3550's J (jitterFactor).
        int startGuardUs = 2000;
        int delayWindowMs = 5000;
        // Timed pulls only: a pull that comes off the device's beat by more than this (in % of
        // a frame: late, or hurried right after a late one) is a device catching up after this
        // process was held up. What held it up (a busy machine, a host stall) held the senders
        // up too, and their packets for those frames are still coming: a dry buffer then waits
        // for them (the frame is stretched) instead of skipping their slots, which made each
        // late, an underrun and a re-prime.
        int offBeatPercent = 50;
        // At most this many frames held in a row without audio: a dry buffer may be DTX, and
        // a device that pulls in bursts (Qt's sink) is off its beat at nearly every pull, so
        // unbounded holds would stop the playout clock through a pause; a talkspurt whose
        // first (marker) packet was lost would then play that much late.
        int maxHeldFrames = 5;
        // Timed pulls only, for a device that pulls often (a period, a fraction of a frame):
        // a dry buffer mid-talkspurt answers Kind::Late, the playout point held, for up to this
        // long from the pull the packet was due at, as NetEQ's expand does. The packet is
        // usually a few ms behind (its sender held up with the host); skipping its slot made
        // it late, an underrun and a re-prime. The caller conceals a period and asks again.
        // The stream's delay grows by each wait (and covers the next stall as long); once the
        // waits add up to a frame and none came for boostDecayPulls, a held frame is dropped
        // to give it back. 0: off (a whole-frame puller would hold a whole frame).
        int lateWaitUs = 0;
    };

    struct Frame {
        enum class Kind {
            Silence, // nothing to play: not started yet, or the sender is in DTX
            Audio,   // `payload` is this frame's packet
            Lost,    // the packet is missing; `next` (may be empty) holds the following one for FEC
            Late,    // not here yet, mid-talkspurt: conceal a period, ask again (lateWaitUs)
        };
        Kind kind = Kind::Silence;
        QByteArray payload;
        QByteArray next;
        std::optional<quint8> level; // Audio: the packet's RFC 6464 level, if it carried one
    };

    struct Stats {
        quint64 received = 0;   // unique packets accepted
        quint64 played = 0;     // frames played from a packet
        quint64 lost = 0;       // frames concealed because their packet was missing at playout
        quint64 late = 0;       // packets that came after their playout time (dropped)
        quint64 duplicates = 0; // dropped
        quint64 underruns = 0;  // late packets that found the buffer dry (it ran out mid-talkspurt)
        quint64 dropped = 0;    // frames dropped to shrink the buffer (overflow or drift)
        quint64 stretched = 0;  // frames concealed to grow the buffer (drift or a new target)
        quint64 resets = 0;     // sequence jumps treated as a new stream
        quint64 waits = 0;      // pulls answered Late (Config::lateWaitUs)
        quint64 waitedOut = 0;  // waits that ran out before the packet came
        quint64 expected = 0;   // RFC 3550 A.3: highest - first + 1
        double jitterMs = 0;    // RFC 3550 A.8 interarrival jitter
        double playoutDelayMs = 0; // timed pulls: arrival to pull of the recent frames played
        int targetFrames = 0;
        int levelFrames = 0;
    };

    JitterBuffer();
    explicit JitterBuffer(const Config& config);

    void push(const RtpPacket& packet, qint64 arrivalUs);
    // `atUs` (optional): when this pull happens, on the clock of the arrival times (for the
    // start guard, Config::startGuardUs).
    Frame pull(qint64 atUs = -1);
    int frameTicks() const { return config_.frameMs * 48; } // RTP clock ticks per frame

    Stats stats() const;
    const Config& config() const { return config_; }
    int targetFrames() const;
    // Playout runs (started, and not waiting to re-prime): each pull plays the next frame.
    bool playing() const { return playing_; }
    // Frames from the next one to play to the newest held, inclusive (0 when empty).
    int levelFrames() const;

private:
    void updateJitter(const RtpPacket& packet, qint64 arrivalUs);
    void reset();
    qint64 extendTimestamp(quint32 timestamp) const;
    qint64 extendSequence(quint16 sequence) const;
    void driftControl();
    static qint64 tsUs(qint64 ticks) { return ticks * 1000 / 48; } // RTP clock (48 kHz) in µs
    qint64 frameUs() const { return qint64(config_.frameMs) * 1000; }
    // Skips the next frame to play (held or not): the buffer shrinks by one frame.
    void dropNextFrame();
    void recordTransit(qint64 ts, qint64 arrivalUs);
    void updateSpread() const;
    // Timed pulls: how far ahead of its pull a packet as fast as the window's fastest must be
    // for playout to start: the window's spread, startGuardUs and the underrun boost.
    qint64 marginUs() const;

    Config config_;
    struct Held {
        RtpPacket packet;
        qint64 arrivalUs = 0;
    };
    std::map<qint64, Held> packets_; // by extended timestamp
    bool started_ = false;           // a first packet fixed the extension bases
    qint64 highestTs_ = 0;
    qint64 highestSeq_ = 0; // RFC 3550 A.1 extended sequence, for loss statistics
    qint64 firstSeq_ = 0;
    bool playing_ = false;
    qint64 playTs_ = 0; // timestamp of the next frame to play
    bool stretch_ = false;
    bool haveTransit_ = false;
    double lastTransitUs_ = 0;
    double jitterUs_ = 0;
    double playoutDelayUs_ = 0;
    qint64 lastPullUs_ = -1; // of the previous timed pull
    int heldFrames_ = 0;     // held in a row (Config::maxHeldFrames); 0 again on audio
    bool talking_ = false;   // the last frame played was audio or a loss between packets
    qint64 waitFromUs_ = -1; // the pull the awaited packet was due at (Config::lateWaitUs)
    qint64 owedUs_ = 0;      // delay the waits added since playout started, not given back
    int pullsSinceWait_ = 0;
    // (arrival, transit = arrival less RTP time), µs, of the packets that came in the last
    // Config::delayWindowMs; the spread from the fastest to the slowest is computed when asked
    // after a push.
    std::deque<std::pair<qint64, qint64>> transits_;
    mutable bool spreadDirty_ = true;
    mutable qint64 spreadUs_ = 0;
    mutable qint64 fastestTransitUs_ = 0;
    int boost_ = 0;
    int pullsSinceLate_ = 0;
    int highPulls_ = 0;
    int lowPulls_ = 0;
    Stats stats_;
};

} // namespace plenum::media

#pragma once
// Adaptive jitter buffer for one remote participant. Pure: packets go in with their arrival
// time, one frame comes out per playout tick; no clock, no I/O (STYLE §1), so tests replay
// reorder, loss, late packets and ±200 ppm clock drift deterministically.
//
// Playout follows the RTP sequence number (DTX leaves no sequence gaps, RFC 7587 §3.1.3). The
// target depth comes from the interarrival jitter of RFC 3550 §6.4.1/A.8 plus a boost after
// each underrun that decays again; the depth is re-primed at talkspurt starts (marker bit),
// and a buffer that stays above target (a sender clock faster than ours) drops one frame.

#include "media/rtppacket.h"

#include <QByteArray>

#include <map>

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
        int boostDecayPulls = 500; // an underrun's extra frame is given back after this many
    };

    struct Frame {
        enum class Kind {
            Silence, // nothing to play: not started yet, or the sender is in DTX
            Audio,   // `payload` is this frame's packet
            Lost,    // the packet is missing; `next` (may be empty) holds the following one for FEC
        };
        Kind kind = Kind::Silence;
        QByteArray payload;
        QByteArray next;
    };

    struct Stats {
        quint64 received = 0;   // unique packets accepted
        quint64 played = 0;     // frames played from a packet
        quint64 lost = 0;       // frames concealed because their packet was missing at playout
        quint64 late = 0;       // packets that came after their playout time (dropped)
        quint64 duplicates = 0; // dropped
        quint64 underruns = 0;  // the buffer ran dry mid-talkspurt
        quint64 dropped = 0;    // frames dropped to shrink the buffer (overflow or drift)
        quint64 resets = 0;     // sequence jumps treated as a new stream
        quint64 expected = 0;   // RFC 3550 A.3: highest - first + 1
        double jitterMs = 0;    // RFC 3550 A.8 interarrival jitter
        int targetFrames = 0;
        int levelFrames = 0;
    };

    JitterBuffer();
    explicit JitterBuffer(const Config& config);

    void push(const RtpPacket& packet, qint64 arrivalUs);
    Frame pull();

    Stats stats() const;
    const Config& config() const { return config_; }
    int targetFrames() const;
    // Frames between the next one to play and the newest held, inclusive.
    int levelFrames() const;

private:
    void updateJitter(const RtpPacket& packet, qint64 arrivalUs);
    void reset();
    qint64 extend(quint16 sequence) const;

    Config config_;
    std::map<qint64, RtpPacket> packets_; // by extended sequence number
    bool haveSequence_ = false;
    qint64 highest_ = 0; // highest extended sequence received
    qint64 first_ = 0;   // first extended sequence of this stream (for `expected`)
    qint64 next_ = 0;    // next extended sequence to play
    bool playing_ = false;
    bool drained_ = false; // ran dry; the next packet tells DTX (marker) from an underrun
    bool haveTransit_ = false;
    double lastTransitUs_ = 0;
    double jitterUs_ = 0;
    int boost_ = 0;
    int pullsSinceUnderrun_ = 0;
    int highPulls_ = 0;
    Stats stats_;
};

} // namespace plenum::media

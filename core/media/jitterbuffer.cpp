#include "media/jitterbuffer.h"

#include <algorithm>
#include <cmath>

namespace plenum::media {

namespace {
// A jump this far (60 s at 48 kHz) is a restarted stream, not loss or reordering.
constexpr qint64 kResetTicks = 60 * 48000;
} // namespace

JitterBuffer::JitterBuffer() : JitterBuffer(Config{}) {}

JitterBuffer::JitterBuffer(const Config& config) : config_(config) {}

qint64 JitterBuffer::extendTimestamp(quint32 timestamp) const
{
    // The extended value nearest the highest seen, as RFC 3550 A.1 does for sequence numbers.
    return highestTs_ + qint32(quint32(timestamp - quint32(highestTs_)));
}

qint64 JitterBuffer::extendSequence(quint16 sequence) const
{
    return highestSeq_ + qint16(quint16(sequence - quint16(highestSeq_)));
}

void JitterBuffer::reset()
{
    packets_.clear();
    started_ = false;
    playing_ = false;
    stretch_ = false;
    haveTransit_ = false;
    transits_.clear();
    spreadDirty_ = true;
    ++stats_.resets;
}

void JitterBuffer::updateJitter(const RtpPacket& packet, qint64 arrivalUs)
{
    // RFC 3550 A.8: transit = arrival - timestamp (both in µs here); J += (|D| - J) / 16.
    const double transitUs = double(arrivalUs) - double(packet.timestamp) * 1e6 / 48000.0;
    if (haveTransit_) {
        double d = transitUs - lastTransitUs_;
        // The 32-bit timestamp wraps every ~24.8 h at 48 kHz; fold D back into range.
        const double wrapUs = 4294967296.0 * 1e6 / 48000.0;
        if (d > wrapUs / 2) d -= wrapUs;
        if (d < -wrapUs / 2) d += wrapUs;
        jitterUs_ += (std::abs(d) - jitterUs_) / 16.0;
    }
    lastTransitUs_ = transitUs;
    haveTransit_ = true;
}

void JitterBuffer::push(const RtpPacket& packet, qint64 arrivalUs)
{
    if (started_ && std::abs(extendTimestamp(packet.timestamp) -
                             (playing_ ? playTs_ : highestTs_)) > kResetTicks)
        reset();
    if (!started_) {
        started_ = true;
        // Room below the first value for packets reordered before it.
        highestTs_ = (qint64(1) << 40) + packet.timestamp;
        highestSeq_ = firstSeq_ = (qint64(1) << 32) + packet.sequence;
    }
    const qint64 ts = extendTimestamp(packet.timestamp);
    const qint64 seq = extendSequence(packet.sequence);
    updateJitter(packet, arrivalUs);
    recordTransit(ts, arrivalUs);
    if (playing_ && ts < playTs_) {
        // Ask for one more frame of depth.
        boost_ = std::min(boost_ + 1, config_.maxTargetFrames);
        pullsSinceLate_ = 0;
        if (!packets_.empty()) {
            // Its slot was concealed already; later audio is here. Drop it and grow the buffer
            // by stretching the next frame.
            ++stats_.late;
            stretch_ = true;
            return;
        }
        // The buffer ran dry mid-talkspurt: an underrun. Keep the packet and re-prime to the
        // raised target; this shift is the delay the network just forced on us.
        ++stats_.underruns;
        playing_ = false;
    }
    const bool talkspurt = packet.marker && packets_.empty();
    if (!packets_.emplace(ts, Held{packet, arrivalUs}).second) {
        ++stats_.duplicates;
        return;
    }
    ++stats_.received;
    highestTs_ = std::max(highestTs_, ts);
    highestSeq_ = std::max(highestSeq_, seq);
    firstSeq_ = std::min(firstSeq_, seq);
    // A new talkspurt after DTX silence (RFC 7587 §4.1) is where the depth is re-primed to the
    // current target: nobody hears a shift in silence.
    if (talkspurt) playing_ = false;
    while (qsizetype(packets_.size()) > config_.capacityFrames) {
        packets_.erase(packets_.begin());
        ++stats_.dropped;
    }
}

void JitterBuffer::recordTransit(qint64 ts, qint64 arrivalUs)
{
    // By time, not by count: through DTX a packet comes only every 400 ms, and a count would
    // keep a stall (or the drift between two clocks) in view for minutes.
    const qint64 since = arrivalUs - qint64(config_.delayWindowMs) * 1000;
    while (!transits_.empty() && transits_.front().first < since)
        transits_.pop_front();
    // A burst after a stall is a few frames early; this bound only holds memory in check.
    const size_t cap = 2 * size_t(std::max(1, config_.delayWindowMs / config_.frameMs));
    if (transits_.size() >= cap) transits_.pop_front();
    transits_.emplace_back(arrivalUs, arrivalUs - tsUs(ts));
    spreadDirty_ = true;
}

void JitterBuffer::updateSpread() const
{
    if (!spreadDirty_) return;
    spreadDirty_ = false;
    if (transits_.empty()) {
        fastestTransitUs_ = spreadUs_ = 0;
        return;
    }
    qint64 fastest = transits_.front().second;
    qint64 slowest = fastest;
    for (const auto& [arrival, transit] : transits_) {
        fastest = std::min(fastest, transit);
        slowest = std::max(slowest, transit);
    }
    fastestTransitUs_ = fastest;
    spreadUs_ = slowest - fastest;
}

qint64 JitterBuffer::marginUs() const
{
    updateSpread();
    const qint64 margin = spreadUs_ + config_.startGuardUs + qint64(boost_) * frameUs();
    // No deeper than maxTargetFrames: a stall of seconds in the window must not keep a stream
    // from starting (the buffer holds only capacityFrames) until the window forgets it.
    return std::min(margin, qint64(config_.maxTargetFrames - 1) * frameUs());
}

int JitterBuffer::targetFrames() const
{
    int target = 0;
    if (lastPullUs_ >= 0) {
        // Timed pulls: a start keeps the margin ahead of the fastest packets, so the level
        // before a pull is at least this (the rest is the arrivals' phase).
        target = 1 + int(marginUs() / frameUs());
    } else {
        // Untimed: the phase is unknown, so any jitter beyond a trace (5 % of a frame) earns a
        // whole frame.
        const double jitterFrames = config_.jitterFactor * jitterUs_ / (config_.frameMs * 1000.0);
        target = 1 + std::max(0, int(std::ceil(jitterFrames - 0.05))) + boost_;
    }
    return std::clamp(target, config_.minTargetFrames, config_.maxTargetFrames);
}

int JitterBuffer::levelFrames() const
{
    if (packets_.empty()) return 0;
    const qint64 from = playing_ ? playTs_ : packets_.begin()->first;
    return int((packets_.rbegin()->first - from) / frameTicks() + 1);
}

void JitterBuffer::driftControl()
{
    const int level = levelFrames();
    const int target = targetFrames();
    // Faster sender clock: the buffer creeps up. Skip one frame once it sat high a while.
    if (level > target + 2) {
        const bool burst = level > target + 2 + config_.burstFrames;
        if (++highPulls_ >= (burst ? config_.burstPulls : config_.highWaterPulls)) {
            highPulls_ = 0;
            dropNextFrame();
        }
    } else if (owedUs_ >= frameUs() && packets_.contains(playTs_) &&
               pullsSinceWait_ >= config_.boostDecayPulls) {
        // The waits for late packets added up to a frame of delay (Config::lateWaitUs) and the
        // stream has come on time since for as long as an underrun's boost lasts: give it back.
        owedUs_ -= frameUs();
        pullsSinceWait_ = 0;
        dropNextFrame();
        highPulls_ = 0;
    } else {
        highPulls_ = 0;
    }
    // Slower sender clock (or a raised target): stretch one frame by concealment. The target
    // is a level before a pull, so the frame just played counts. An empty buffer is DTX or an
    // underrun, not a low level.
    if (level > 0 && level + 1 < target) {
        if (++lowPulls_ >= config_.lowWaterPulls) {
            lowPulls_ = 0;
            stretch_ = true;
        }
    } else {
        lowPulls_ = 0;
    }
}

void JitterBuffer::dropNextFrame()
{
    packets_.erase(playTs_);
    playTs_ += frameTicks();
    ++stats_.dropped;
}

JitterBuffer::Frame JitterBuffer::pull(qint64 atUs)
{
    ++pullsSinceWait_;
    if (++pullsSinceLate_ >= config_.boostDecayPulls && boost_ > 0) {
        --boost_;
        pullsSinceLate_ = 0;
    }
    // After a Late answer the caller asks again a period later: no beat to judge by.
    const bool offBeat =
        atUs >= 0 && lastPullUs_ >= 0 && waitFromUs_ < 0 &&
        std::abs(atUs - lastPullUs_ - frameUs()) * 100 > frameUs() * config_.offBeatPercent;
    if (atUs >= 0) lastPullUs_ = atUs;
    Frame frame;
    if (!playing_) {
        const int level = levelFrames();
        if (packets_.empty() || level < std::max(1, config_.minTargetFrames)) return frame;
        if (atUs >= 0) {
            // Start only if a packet as slow as the window's slow ones (marginUs) would still
            // be on time: the arrivals' phase counts, so packets that come well before the
            // pull need no extra frame for a jitter that is a fraction of one. This pull plays
            // the first frame held; as fast as the window's fastest, its packet came this long
            // before (every later frame keeps the same distance to its pull).
            updateSpread();
            const qint64 aheadUs = atUs - (tsUs(packets_.begin()->first) + fastestTransitUs_);
            if (aheadUs < marginUs()) return frame;
        } else if (level < targetFrames()) {
            return frame;
        }
        playing_ = true;
        stretch_ = false;
        waitFromUs_ = -1;
        owedUs_ = 0;
        playTs_ = packets_.begin()->first;
    }
    if (stretch_ && !packets_.empty()) {
        // Conceal one frame without advancing: the buffer grows by one frame.
        stretch_ = false;
        ++stats_.stretched;
        frame.kind = Frame::Kind::Lost;
        if (auto n = packets_.find(playTs_); n != packets_.end())
            frame.next = n->second.packet.payload;
        return frame;
    }
    stretch_ = false;
    if (atUs >= 0 && talking_ && packets_.empty() && config_.lateWaitUs > 0) {
        if (waitFromUs_ < 0) waitFromUs_ = atUs;
        if (atUs - waitFromUs_ < config_.lateWaitUs) {
            ++stats_.waits;
            pullsSinceWait_ = 0;
            frame.kind = Frame::Kind::Late;
            return frame;
        }
        ++stats_.waitedOut; // the sender paused or its packet is lost: run on
        talking_ = false;
    }
    if (waitFromUs_ >= 0) {
        if (atUs >= 0) owedUs_ += atUs - waitFromUs_;
        waitFromUs_ = -1;
    }
    if (offBeat && packets_.empty() && heldFrames_ < config_.maxHeldFrames) {
        // Dry while the device catches up: hold the playout point (Config::offBeatPercent).
        ++heldFrames_;
        ++stats_.stretched;
        return frame;
    }
    if (auto it = packets_.find(playTs_); it != packets_.end()) {
        frame.kind = Frame::Kind::Audio;
        frame.payload = std::move(it->second.packet.payload);
        frame.level = it->second.packet.audioLevel;
        if (atUs >= 0) {
            // RFC 3550 A.8's smoothing (1/16): how long the recent packets waited here.
            const double waitedUs = double(atUs - it->second.arrivalUs);
            playoutDelayUs_ += (waitedUs - playoutDelayUs_) / 16.0;
        }
        packets_.erase(it);
        ++stats_.played;
        heldFrames_ = 0;
        talking_ = true;
    } else if (!packets_.empty() && packets_.rbegin()->first > playTs_) {
        frame.kind = Frame::Kind::Lost;
        if (auto n = packets_.find(playTs_ + frameTicks()); n != packets_.end())
            frame.next = n->second.packet.payload;
        ++stats_.lost;
        talking_ = true;
    } else {
        talking_ = false;
    }
    // else: nothing held, DTX silence or an underrun; the playout clock runs on regardless.
    playTs_ += frameTicks();
    // Packets that slipped below the playout point (reordered into a concealed slot) are late.
    while (!packets_.empty() && packets_.begin()->first < playTs_) {
        packets_.erase(packets_.begin());
        ++stats_.late;
    }
    driftControl();
    return frame;
}

JitterBuffer::Stats JitterBuffer::stats() const
{
    Stats s = stats_;
    s.expected = started_ ? quint64(highestSeq_ - firstSeq_ + 1) : 0;
    s.jitterMs = jitterUs_ / 1000.0;
    s.playoutDelayMs = playoutDelayUs_ / 1000.0;
    s.targetFrames = targetFrames();
    s.levelFrames = levelFrames();
    return s;
}

} // namespace plenum::media

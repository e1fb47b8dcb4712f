#include "media/jitterbuffer.h"

#include <algorithm>
#include <cmath>

namespace plenum::media {

namespace {
// A jump this far (about 60 s of 20 ms frames) is a restarted stream, not loss.
constexpr qint64 kResetDistance = 3000;
} // namespace

JitterBuffer::JitterBuffer() : JitterBuffer(Config{}) {}

JitterBuffer::JitterBuffer(const Config& config) : config_(config) {}

qint64 JitterBuffer::extend(quint16 sequence) const
{
    // RFC 3550 A.1: the extended sequence number nearest the highest seen.
    return highest_ + qint16(quint16(sequence - quint16(highest_)));
}

void JitterBuffer::reset()
{
    packets_.clear();
    haveSequence_ = false;
    playing_ = false;
    drained_ = false;
    haveTransit_ = false;
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
    if (haveSequence_) {
        const qint64 ext = extend(packet.sequence);
        if (std::abs(ext - (playing_ ? next_ : highest_)) > kResetDistance) reset();
    }
    if (!haveSequence_) {
        haveSequence_ = true;
        highest_ = first_ = (qint64(1) << 32) + packet.sequence; // room below for reordering
        next_ = highest_;
    }
    const qint64 ext = extend(packet.sequence);
    updateJitter(packet, arrivalUs);
    if (playing_ && ext < next_) {
        ++stats_.late;
        return;
    }
    if (!packets_.emplace(ext, packet).second) {
        ++stats_.duplicates;
        return;
    }
    ++stats_.received;
    highest_ = std::max(highest_, ext);
    first_ = std::min(first_, ext);
    if (!playing_) next_ = std::min(next_, ext);
    if (drained_) {
        drained_ = false;
        // A packet after a dry spell either starts a talkspurt (the sender was in DTX) or is
        // the stream resuming after an underrun; either way the depth is re-primed.
        if (!packet.marker) {
            ++stats_.underruns;
            boost_ = std::min(boost_ + 1, config_.maxTargetFrames);
            pullsSinceUnderrun_ = 0;
        }
        playing_ = false;
        next_ = packets_.begin()->first;
    }
    while (qsizetype(packets_.size()) > config_.capacityFrames) {
        packets_.erase(packets_.begin());
        ++stats_.dropped;
        if (playing_) next_ = packets_.begin()->first;
    }
}

int JitterBuffer::targetFrames() const
{
    const double jitterFrames = config_.jitterFactor * jitterUs_ / (config_.frameMs * 1000.0);
    // A trace of jitter (under 5 % of a frame) earns no extra frame.
    const int extra = std::max(0, int(std::ceil(jitterFrames - 0.05)));
    const int target = config_.minTargetFrames + extra + boost_;
    return std::clamp(target, config_.minTargetFrames, config_.maxTargetFrames);
}

int JitterBuffer::levelFrames() const
{
    if (packets_.empty()) return 0;
    return int(packets_.rbegin()->first - std::min(next_, packets_.begin()->first) + 1);
}

JitterBuffer::Frame JitterBuffer::pull()
{
    if (++pullsSinceUnderrun_ >= config_.boostDecayPulls && boost_ > 0) {
        --boost_;
        pullsSinceUnderrun_ = 0;
    }
    Frame frame;
    if (!playing_) {
        if (packets_.empty() || levelFrames() < targetFrames()) return frame;
        playing_ = true;
        next_ = packets_.begin()->first;
    }
    if (packets_.empty()) {
        drained_ = true; // DTX or underrun: push() decides when the next packet comes
        return frame;
    }
    auto it = packets_.find(next_);
    if (it != packets_.end()) {
        frame.kind = Frame::Kind::Audio;
        frame.payload = std::move(it->second.payload);
        packets_.erase(it);
        ++stats_.played;
    } else {
        frame.kind = Frame::Kind::Lost;
        if (auto n = packets_.find(next_ + 1); n != packets_.end()) frame.next = n->second.payload;
        ++stats_.lost;
    }
    ++next_;
    // Drift (RFC 3550 §6.4.1 leaves it to us): a sender clock faster than ours fills the
    // buffer slowly. Once it has sat above target + 2 for a while, skip one frame.
    if (levelFrames() > targetFrames() + 2) {
        if (++highPulls_ >= config_.highWaterPulls) {
            highPulls_ = 0;
            if (auto d = packets_.find(next_); d != packets_.end()) packets_.erase(d);
            ++next_;
            ++stats_.dropped;
        }
    } else {
        highPulls_ = 0;
    }
    return frame;
}

JitterBuffer::Stats JitterBuffer::stats() const
{
    Stats s = stats_;
    s.expected = haveSequence_ ? quint64(highest_ - first_ + 1) : 0;
    s.jitterMs = jitterUs_ / 1000.0;
    s.targetFrames = targetFrames();
    s.levelFrames = levelFrames();
    return s;
}

} // namespace plenum::media

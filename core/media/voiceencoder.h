#pragma once
// Opus encoder for calls (DESIGN §7, RFC 6716/7587): 48 kHz mono, VOIP application, 20 ms frames
// or 10 ms for low latency, in-band FEC and DTX. The bitrate follows the loss we see.

#include "protocol/result.h"

#include <QByteArray>

#include <memory>

struct OpusEncoder;

namespace plenum::media {

class VoiceEncoder {
public:
    static constexpr int kSampleRate = 48000;

    struct Config {
        int frameMs = 20; // 10 or 20
        int bitrate = 32000;
        bool fec = true;
        bool dtx = true;
        int complexity = 9; // FACTS.md: 0.19–0.55 ms per 20 ms frame at this setting
    };

    static Result<VoiceEncoder> create(const Config& config);
    VoiceEncoder(VoiceEncoder&&) noexcept;
    VoiceEncoder& operator=(VoiceEncoder&&) noexcept;
    ~VoiceEncoder();

    int frameSamples() const { return config_.frameMs * kSampleRate / 1000; }
    const Config& config() const { return config_; }

    // One frame of frameSamples() samples. An empty result means DTX has nothing to send
    // (RFC 7587 §3.1.3: packets of 2 bytes or fewer carry no audio and are not sent).
    Result<QByteArray> encode(const qint16* pcm);

    // Loss seen on the path, 0–100 %. Tells Opus how much FEC to spend (OPUS_SET_PACKET_LOSS_PERC)
    // and raises the bitrate so FEC does not starve the primary frame: the LBRR copy costs
    // about a third of the rate at these settings, so we add up to +50 % at 10 % loss and more.
    void adaptToLoss(int lossPercent);
    int bitrate() const { return bitrate_; }
    int lossPercent() const { return loss_; }

private:
    VoiceEncoder() = default;
    struct Free {
        void operator()(::OpusEncoder* e) const;
    };
    std::unique_ptr<::OpusEncoder, Free> encoder_;
    Config config_;
    int bitrate_ = 0;
    int loss_ = 0;
};

} // namespace plenum::media

#pragma once
// Opus decoder for one remote participant: normal frames, in-band FEC when the next packet
// is at hand (RFC 6716 §2.1.7), packet-loss concealment otherwise.

#include "protocol/result.h"

#include <QByteArray>

#include <memory>
#include <vector>

struct OpusDecoder;

namespace plenum::media {

class VoiceDecoder {
public:
    static constexpr int kSampleRate = 48000;

    static Result<VoiceDecoder> create();
    VoiceDecoder(VoiceDecoder&&) noexcept;
    VoiceDecoder& operator=(VoiceDecoder&&) noexcept;
    ~VoiceDecoder();

    // Decodes one packet into `out` (frameSamples samples). A packet whose duration differs
    // from frameSamples is refused: the jitter buffer plays fixed frames.
    Status decode(const QByteArray& opus, qint16* out, int frameSamples);
    // The packet for this frame is lost: recovers it from `next`'s in-band FEC if given
    // (RFC 6716 §2.1.7), else conceals it (PLC).
    Status conceal(const QByteArray& next, qint16* out, int frameSamples);

    // Picks the stream up again after frames it did not decode (a stream left out of the mix,
    // LoudestStreams): a fresh state, warmed on `previous` (the packet before the next one to
    // decode; may be empty). Decoding on with the state from before the gap puts the first
    // frames far off what a decoder that saw every packet plays (SNR 1.5 dB against 25 dB
    // this way, tests): a click as a talker comes back into the mix.
    void resume(const QByteArray& previous, int frameSamples);

    quint64 fecRecovered() const { return fec_; }
    quint64 concealed() const { return plc_; }

private:
    VoiceDecoder() = default;
    struct Free {
        void operator()(::OpusDecoder* d) const;
    };
    std::unique_ptr<::OpusDecoder, Free> decoder_;
    quint64 fec_ = 0;
    quint64 plc_ = 0;
};

} // namespace plenum::media

#include "media/voicedecoder.h"

#include <opus/opus.h>

#include <algorithm>

namespace plenum::media {

void VoiceDecoder::Free::operator()(::OpusDecoder* d) const
{
    opus_decoder_destroy(d);
}

Result<VoiceDecoder> VoiceDecoder::create()
{
    int error = OPUS_OK;
    ::OpusDecoder* raw = opus_decoder_create(kSampleRate, 1, &error);
    if (error != OPUS_OK || !raw)
        return fail(
            QStringLiteral("Opus decoder: %1").arg(QString::fromUtf8(opus_strerror(error))));
    VoiceDecoder d;
    d.decoder_.reset(raw);
    return d;
}

VoiceDecoder::VoiceDecoder(VoiceDecoder&&) noexcept = default;
VoiceDecoder& VoiceDecoder::operator=(VoiceDecoder&&) noexcept = default;
VoiceDecoder::~VoiceDecoder() = default;

Status VoiceDecoder::decode(const QByteArray& opus, qint16* out, int frameSamples)
{
    const auto* data = reinterpret_cast<const unsigned char*>(opus.constData());
    const int samples = opus_packet_get_nb_samples(data, opus_int32(opus.size()), kSampleRate);
    if (samples != frameSamples) {
        std::fill_n(out, frameSamples, qint16(0));
        return fail(QStringLiteral("an Opus packet of %1 samples where %2 were expected")
                        .arg(samples)
                        .arg(frameSamples));
    }
    const int n = opus_decode(decoder_.get(), data, opus_int32(opus.size()), out, frameSamples, 0);
    if (n != frameSamples) {
        std::fill_n(out, frameSamples, qint16(0));
        return fail(QStringLiteral("Opus decode: %1").arg(QString::fromUtf8(opus_strerror(n))));
    }
    return Ok{};
}

void VoiceDecoder::resume(const QByteArray& previous, int frameSamples)
{
    opus_decoder_ctl(decoder_.get(), OPUS_RESET_STATE);
    if (previous.isEmpty()) return;
    auto discard = std::vector<qint16>(size_t(frameSamples));
    (void)decode(previous, discard.data(), frameSamples); // a bad packet: a fresh state is fine
}

Status VoiceDecoder::conceal(const QByteArray& next, qint16* out, int frameSamples)
{
    int n = 0;
    if (!next.isEmpty()) {
        // decode_fec=1 with the *next* packet yields the LBRR copy of the lost one; when the
        // next packet has no FEC data Opus falls back to PLC by itself.
        n = opus_decode(decoder_.get(), reinterpret_cast<const unsigned char*>(next.constData()),
                        opus_int32(next.size()), out, frameSamples, 1);
        ++fec_;
    } else {
        n = opus_decode(decoder_.get(), nullptr, 0, out, frameSamples, 0);
        ++plc_;
    }
    if (n != frameSamples) {
        std::fill_n(out, frameSamples, qint16(0));
        return fail(
            QStringLiteral("Opus concealment: %1").arg(QString::fromUtf8(opus_strerror(n))));
    }
    return Ok{};
}

} // namespace plenum::media

#include "media/voiceencoder.h"

#include <opus/opus.h>

#include <algorithm>

namespace plenum::media {

void VoiceEncoder::Free::operator()(::OpusEncoder* e) const
{
    opus_encoder_destroy(e);
}

Result<VoiceEncoder> VoiceEncoder::create(const Config& config)
{
    if (config.frameMs != 10 && config.frameMs != 20)
        return fail(
            QStringLiteral("a %1 ms Opus frame is not offered (10 or 20)").arg(config.frameMs));
    int error = OPUS_OK;
    ::OpusEncoder* raw = opus_encoder_create(kSampleRate, 1, OPUS_APPLICATION_VOIP, &error);
    if (error != OPUS_OK || !raw)
        return fail(
            QStringLiteral("Opus encoder: %1").arg(QString::fromUtf8(opus_strerror(error))));
    VoiceEncoder e;
    e.encoder_.reset(raw);
    e.config_ = config;
    opus_encoder_ctl(raw, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
    opus_encoder_ctl(raw, OPUS_SET_COMPLEXITY(config.complexity));
    opus_encoder_ctl(raw, OPUS_SET_INBAND_FEC(config.fec ? 1 : 0));
    opus_encoder_ctl(raw, OPUS_SET_DTX(config.dtx ? 1 : 0));
    opus_encoder_ctl(raw, OPUS_SET_VBR(1));
    e.adaptToLoss(0);
    return e;
}

VoiceEncoder::VoiceEncoder(VoiceEncoder&&) noexcept = default;
VoiceEncoder& VoiceEncoder::operator=(VoiceEncoder&&) noexcept = default;
VoiceEncoder::~VoiceEncoder() = default;

Result<QByteArray> VoiceEncoder::encode(const qint16* pcm)
{
    QByteArray out(1275, Qt::Uninitialized); // RFC 6716 §3.4: the largest frame
    const int n = opus_encode(encoder_.get(), pcm, frameSamples(),
                              reinterpret_cast<unsigned char*>(out.data()), int(out.size()));
    if (n < 0)
        return fail(QStringLiteral("Opus encode: %1").arg(QString::fromUtf8(opus_strerror(n))));
    if (n <= 2) return QByteArray(); // DTX: nothing worth a packet
    out.truncate(n);
    return out;
}

void VoiceEncoder::adaptToLoss(int lossPercent)
{
    loss_ = std::clamp(lossPercent, 0, 100);
    // Opus turns FEC on only when told there is loss; below 1 % it would waste bits.
    opus_encoder_ctl(encoder_.get(), OPUS_SET_PACKET_LOSS_PERC(std::min(loss_, 30)));
    const double boost = config_.fec ? 1.0 + std::min(loss_, 10) * 0.05 : 1.0;
    bitrate_ = int(config_.bitrate * boost);
    opus_encoder_ctl(encoder_.get(), OPUS_SET_BITRATE(bitrate_));
}

} // namespace plenum::media

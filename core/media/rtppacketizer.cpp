#include "media/rtppacketizer.h"

#include <QRandomGenerator>

namespace plenum::media {

RtpPacketizer::RtpPacketizer()
    : RtpPacketizer(QRandomGenerator::system()->generate(),
                    quint16(QRandomGenerator::system()->generate()),
                    QRandomGenerator::system()->generate())
{
}

RtpPacketizer::RtpPacketizer(quint32 ssrc, quint16 sequence, quint32 timestamp)
    : ssrc_(ssrc), sequence_(sequence), timestamp_(timestamp)
{
}

std::optional<RtpPacket> RtpPacketizer::next(const QByteArray& opus, int samples)
{
    const quint32 ts = timestamp_;
    timestamp_ += quint32(samples); // the clock runs through silence (RFC 3550 §5.1)
    if (opus.isEmpty()) {
        inSilence_ = true;
        return std::nullopt;
    }
    RtpPacket packet;
    packet.marker = inSilence_;
    packet.sequence = sequence_++; // wraps modulo 2^16 by type
    packet.timestamp = ts;
    packet.ssrc = ssrc_;
    packet.payload = opus;
    inSilence_ = false;
    return packet;
}

} // namespace plenum::media

#include "media/rtppacket.h"

#include <QtEndian>

namespace plenum::media {

Result<QByteArray> RtpPacket::encode() const
{
    if (payload.size() > kMaxOpusPayload)
        return fail(QStringLiteral("an Opus payload of %1 bytes exceeds %2")
                        .arg(payload.size())
                        .arg(kMaxOpusPayload));
    // The audio level: profile, length 1 (word), then one element (id, length - 1 = 0), its
    // byte (V = 0: voice activity is not negotiated) and two bytes of padding.
    const qsizetype extension = audioLevel ? 8 : 0;
    QByteArray out(kHeaderSize + extension + payload.size(), Qt::Uninitialized);
    auto* p = reinterpret_cast<uchar*>(out.data());
    p[0] = audioLevel ? 0x90 : 0x80; // V=2, P=0, X, CC=0
    p[1] = quint8((marker ? 0x80 : 0) | (payloadType & 0x7f));
    qToBigEndian<quint16>(sequence, p + 2);
    qToBigEndian<quint32>(timestamp, p + 4);
    qToBigEndian<quint32>(ssrc, p + 8);
    if (audioLevel) {
        uchar* x = p + kHeaderSize;
        qToBigEndian<quint16>(kOneByteProfile, x);
        qToBigEndian<quint16>(1, x + 2);
        x[4] = uchar(kAudioLevelId << 4);
        x[5] = uchar(*audioLevel & 0x7f);
        x[6] = x[7] = 0;
    }
    if (!payload.isEmpty())
        memcpy(p + kHeaderSize + extension, payload.constData(), size_t(payload.size()));
    return out;
}

Result<RtpPacket> RtpPacket::decode(const QByteArray& datagram)
{
    const qsizetype size = datagram.size();
    if (size < kHeaderSize)
        return fail(QStringLiteral("an RTP packet of %1 bytes is too short").arg(size));
    if (size > kMaxSize)
        return fail(QStringLiteral("an RTP packet of %1 bytes exceeds %2").arg(size).arg(kMaxSize));
    const auto* p = reinterpret_cast<const uchar*>(datagram.constData());
    if ((p[0] >> 6) != 2) return fail(QStringLiteral("RTP version %1 is not 2").arg(p[0] >> 6));
    const bool padding = p[0] & 0x20;
    const bool extension = p[0] & 0x10;
    const int csrcCount = p[0] & 0x0f;
    RtpPacket packet;
    packet.marker = p[1] & 0x80;
    packet.payloadType = p[1] & 0x7f;
    // RFC 5761 §4: 64–95 would collide with RTCP packet types on a muxed stream.
    if (packet.payloadType >= 64 && packet.payloadType <= 95)
        return fail(
            QStringLiteral("RTP payload type %1 collides with RTCP").arg(packet.payloadType));
    packet.sequence = qFromBigEndian<quint16>(p + 2);
    packet.timestamp = qFromBigEndian<quint32>(p + 4);
    packet.ssrc = qFromBigEndian<quint32>(p + 8);

    qsizetype offset = kHeaderSize + 4 * csrcCount; // RFC 3550 §5.1: CSRC list
    if (offset > size) return fail(QStringLiteral("the RTP CSRC list runs past the packet"));
    if (extension) { // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words
        if (offset + 4 > size)
            return fail(QStringLiteral("the RTP extension header runs past the packet"));
        const quint16 profile = qFromBigEndian<quint16>(p + offset);
        const qsizetype words = qFromBigEndian<quint16>(p + offset + 2);
        const qsizetype begin = offset + 4;
        offset = begin + 4 * words;
        if (offset > size) return fail(QStringLiteral("the RTP extension runs past the packet"));
        if (profile == kOneByteProfile) {
            // RFC 8285 §4.2: elements of one id/length byte and 1–16 data bytes; zero bytes
            // are padding, id 15 ends the list. Unknown ids are skipped, and so is the rest of
            // a list whose element runs past it: the extension is optional, the payload not.
            for (qsizetype i = begin; i < offset;) {
                if (p[i] == 0) {
                    ++i;
                    continue;
                }
                const int id = p[i] >> 4;
                const int length = (p[i] & 0x0f) + 1;
                if (id == 15 || i + 1 + length > offset) break;
                if (id == kAudioLevelId && length == 1) packet.audioLevel = quint8(p[i + 1] & 0x7f);
                i += 1 + length;
            }
        }
    }
    qsizetype end = size;
    if (padding) { // RFC 3550 §5.1: the last octet counts the padding, itself included
        const int pad = p[size - 1];
        if (pad == 0 || pad > end - offset)
            return fail(QStringLiteral("the RTP padding count %1 is invalid").arg(pad));
        end -= pad;
    }
    if (end - offset > kMaxOpusPayload)
        return fail(QStringLiteral("an Opus payload of %1 bytes exceeds %2")
                        .arg(end - offset)
                        .arg(kMaxOpusPayload));
    packet.payload = datagram.mid(offset, end - offset);
    return packet;
}

} // namespace plenum::media

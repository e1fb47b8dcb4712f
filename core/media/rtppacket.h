#pragma once
// One RTP packet (RFC 3550 §5.1) carrying one Opus packet (RFC 7587 §4.2). Parsing is strict:
// version 2, bounded size, CSRC list, header extension and padding all checked against the
// datagram, because every byte here comes from a peer.

#include "protocol/result.h"

#include <QByteArray>
#include <QtGlobal>

#include <optional>

namespace plenum::media {

struct RtpPacket {
    // RFC 3550 §5.1: 12 fixed bytes.
    static constexpr qsizetype kHeaderSize = 12;
    // A path MTU of 1500 minus IP/UDP and the SRTP tag; nothing larger is accepted.
    static constexpr qsizetype kMaxSize = 1400;
    // RFC 6716 §3.4: an Opus packet carries at most 1275 bytes per frame (one frame per packet).
    static constexpr qsizetype kMaxOpusPayload = 1275;
    // Dynamic payload type for Opus (RFC 7587 §6.1 leaves it to signaling; both ends use 111).
    static constexpr quint8 kOpusPayloadType = 111;
    // RFC 8285 one-byte header extensions: the profile and the id of the audio level (both
    // ends use 1; there is no SDP to negotiate it).
    static constexpr quint16 kOneByteProfile = 0xBEDE;
    static constexpr int kAudioLevelId = 1;

    quint8 payloadType = kOpusPayloadType;
    bool marker = false; // RFC 7587 §4.1: first packet after a DTX silence
    quint16 sequence = 0;
    quint32 timestamp = 0; // 48 kHz clock (RFC 7587 §4.1) whatever the codec's internal rate
    quint32 ssrc = 0;
    // RFC 6464: the sender's level of this frame in -dBov (0 loudest, 127 silence), in an
    // RFC 8285 one-byte header extension. Receivers decode only the loudest few streams
    // (CallEngine::Config::maxMixed). Authenticated by SRTP, not encrypted (as in WebRTC).
    std::optional<quint8> audioLevel;
    QByteArray payload;

    // Fails only when the payload is larger than kMaxOpusPayload.
    Result<QByteArray> encode() const;
    static Result<RtpPacket> decode(const QByteArray& datagram);
};

// RFC 3550 arithmetic modulo 2^16 / 2^32: true when `a` comes after `b` (half-range rule).
inline bool sequenceNewer(quint16 a, quint16 b)
{
    return a != b && quint16(a - b) < 0x8000;
}
inline bool timestampNewer(quint32 a, quint32 b)
{
    return a != b && quint32(a - b) < 0x80000000u;
}

} // namespace plenum::media

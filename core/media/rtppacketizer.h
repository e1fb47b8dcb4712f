#pragma once
// The send side of one RTP stream (RFC 3550 §5.1): a random SSRC, a random initial sequence
// number and timestamp (RFC 3550 §5.1 asks for random starts so known-plaintext attacks on
// SRTP get no help), and the marker bit on the first packet after a DTX gap (RFC 7587 §4.1).

#include "media/rtppacket.h"

#include <optional>

namespace plenum::media {

class RtpPacketizer {
public:
    // `ssrc`/`sequence`/`timestamp` default to random values; tests pass fixed ones.
    RtpPacketizer();
    RtpPacketizer(quint32 ssrc, quint16 sequence, quint32 timestamp);

    // One frame of `samples` (at 48 kHz) was encoded into `opus`; an empty `opus` means DTX
    // sent nothing for it. Returns the packet to send, or nullopt for a silent frame.
    std::optional<RtpPacket> next(const QByteArray& opus, int samples);

    quint32 ssrc() const { return ssrc_; }
    quint16 nextSequence() const { return sequence_; }
    quint32 nextTimestamp() const { return timestamp_; }

private:
    quint32 ssrc_;
    quint16 sequence_;
    quint32 timestamp_;
    bool inSilence_ = true; // the first packet of a stream also carries the marker
};

} // namespace plenum::media

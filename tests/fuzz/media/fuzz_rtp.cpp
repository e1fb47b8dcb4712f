// RtpPacket::decode on arbitrary bytes (the decrypted contents of a peer's SRTP packet): never
// crashes, errors explain themselves, accepted packets respect the limits and re-encode to a
// packet that decodes to the same fields (the RFC 6464 audio level included).
#include "media/rtppacket.h"

#include <cstdint>
#include <cstdlib>

using plenum::media::RtpPacket;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    auto packet = RtpPacket::decode(input);
    if (!packet) {
        if (packet.error().isEmpty()) std::abort();
        return 0;
    }
    if (input.size() > RtpPacket::kMaxSize) std::abort();
    if (packet->payload.size() > RtpPacket::kMaxOpusPayload) std::abort();
    if (packet->payloadType > 127) std::abort();
    auto again = packet->encode();
    if (!again) std::abort();
    auto back = RtpPacket::decode(again.value());
    if (!back || back->sequence != packet->sequence || back->timestamp != packet->timestamp ||
        back->ssrc != packet->ssrc || back->payload != packet->payload ||
        back->marker != packet->marker || back->payloadType != packet->payloadType ||
        back->audioLevel != packet->audioLevel)
        std::abort();
    return 0;
}

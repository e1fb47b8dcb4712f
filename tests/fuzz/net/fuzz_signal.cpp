// SignalMessage::decode on arbitrary bytes: never crashes; whatever decodes re-encodes to
// the same bytes (the format has one encoding per message).
#include "net/signalmessage.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    auto message = plenum::net::SignalMessage::decode(input);
    if (!message) {
        if (message.error().isEmpty()) std::abort();
        return 0;
    }
    if (message->encode() != input) std::abort();
    return 0;
}

// Framing::feed on arbitrary bytes, split at fuzzer-chosen points: never crashes, never
// buffers more than one maximum frame plus its header, and frames it returns respect the
// limit. The first byte picks the split stride so coalesced and split input are both hit.
#include "net/framing.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0) return 0;
    constexpr qsizetype kMax = 4096;
    plenum::net::Framing framing(kMax);
    const qsizetype stride = 1 + data[0] % 64;
    const QByteArray input(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    for (qsizetype pos = 0; pos < input.size(); pos += stride) {
        auto frames = framing.feed(input.mid(pos, stride));
        if (!frames) {
            if (frames.error().isEmpty()) std::abort(); // errors must explain themselves
            return 0;
        }
        for (const auto& frame : frames.value())
            if (frame.payload.size() > kMax) std::abort();
        if (framing.buffered() > kMax + plenum::net::Framing::kHeaderSize + stride) std::abort();
    }
    return 0;
}

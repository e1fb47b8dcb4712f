// Fuzz target for the session protocol decoder: decode must never crash, and whatever it
// accepts must survive encode -> decode unchanged (field by field) with a canonical encoding.

#include "fieldwise.h"

#include "protocol/codec.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace plenum::protocol;
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    auto first = decode(input);
    if (!first.ok()) {
        if (first.error().isEmpty()) {
            std::fprintf(stderr, "decode failed without saying why\n");
            std::abort();
        }
        return 0;
    }
    const QByteArray encoded = encode(first.value());
    auto second = decode(encoded);
    if (!second.ok()) {
        std::fprintf(stderr, "re-encoded %s does not decode: %s\n", messageName(first->body),
                     qPrintable(second.error()));
        std::abort();
    }
    const std::string diff = plenum::testing::fieldwiseDiff(first.value(), second.value());
    if (!diff.empty()) {
        std::fprintf(stderr, "%s changed in a round trip at field %s\n", messageName(first->body),
                     diff.c_str());
        std::abort();
    }
    if (encode(second.value()) != encoded) {
        std::fprintf(stderr, "%s: the encoding is not canonical\n", messageName(first->body));
        std::abort();
    }
    return 0;
}

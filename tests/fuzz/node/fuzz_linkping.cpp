// linkping::unpack on arbitrary bytes (a peer's link-ping header): never crashes; what it
// accepts respects the bounds (kMaxHeaderBytes, kMaxPings, nothing but PINGs), and packing
// what it accepted gives back the same PINGs; what it refuses, it refuses in words.
#include "fuzzcheck.h"
#include "node/linkping.h"
#include "protocol/codec.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace plenum;

using plenum::fuzz::broken;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    auto pings = node::linkping::unpack(bytes);
    if (!pings) {
        if (pings.error().isEmpty()) broken("a refusal without a reason");
        return 0;
    }
    if (bytes.size() > node::linkping::kMaxHeaderBytes) broken("an oversized header accepted");
    if (pings->size() > node::linkping::kMaxPings) broken("too many pings accepted");
    for (const auto& m : pings.value())
        if (!std::holds_alternative<protocol::Ping>(m.body)) broken("a non-PING accepted");

    QList<protocol::Message> rest;
    const QByteArray again =
        node::linkping::pack(pings.value(), node::linkping::kMaxHeaderBytes, &rest);
    if (again.size() > node::linkping::kMaxHeaderBytes) broken("pack wrote past the bound");
    auto back = node::linkping::unpack(again);
    if (!back) broken("what pack wrote does not unpack");
    if (back->size() + rest.size() != pings->size()) broken("pack lost a ping");
    for (qsizetype i = 0; i < back->size(); ++i)
        if (protocol::encode(back->at(i)) != protocol::encode(pings->at(i)))
            broken("a ping changed on the way round");
    return 0;
}

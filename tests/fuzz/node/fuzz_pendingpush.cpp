// PendingPushFile::decode on arbitrary bytes (a hand-off record on disk, however it was
// damaged): never crashes; what it accepts respects the bounds (kMaxFileBytes, kMaxPushes, no
// null ids) and, written again, reads back the same; what it refuses, it refuses in words.
#include "fuzzcheck.h"
#include "node/pendingpushfile.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace plenum;

using plenum::fuzz::broken;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using node::PendingPushFile;
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    auto pushes = PendingPushFile::decode(bytes);
    if (!pushes) {
        if (pushes.error().isEmpty()) broken("a refusal without a reason");
        return 0;
    }
    if (bytes.size() > PendingPushFile::kMaxFileBytes) broken("an oversized record accepted");
    if (pushes->size() > PendingPushFile::kMaxPushes) broken("too many pushes accepted");
    for (const auto& p : pushes.value())
        if (p.sid.isNull() || p.device.isNull()) broken("a null id accepted");
    const QByteArray again = PendingPushFile::encode(pushes.value());
    auto back = PendingPushFile::decode(again);
    if (!back || back.value() != pushes.value()) broken("what encode wrote decodes otherwise");
    return 0;
}

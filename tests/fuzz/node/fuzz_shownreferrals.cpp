// ShownReferrals::decode on arbitrary bytes (the record of shown referrals on disk, however
// it was damaged): never crashes; what it accepts respects the bounds (kMaxFileBytes,
// kMaxRemembered, no null ids) and, written again, reads back the same; what it refuses, it
// refuses in words.
#include "fuzzcheck.h"
#include "node/shownreferrals.h"

#include <cstdint>

using namespace plenum;

using plenum::fuzz::broken;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using node::ShownReferrals;
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    auto keys = ShownReferrals::decode(bytes);
    if (!keys) {
        if (keys.error().isEmpty()) broken("a refusal without a reason");
        return 0;
    }
    if (bytes.size() > ShownReferrals::kMaxFileBytes) broken("an oversized record accepted");
    if (std::size_t(keys->size()) > ShownReferrals::kMaxRemembered)
        broken("too many referrals accepted");
    for (const auto& k : keys.value())
        if (k.sid.isNull() || k.referrer.isNull()) broken("a null id accepted");
    auto back = ShownReferrals::decode(ShownReferrals::encode(keys.value()));
    if (!back || back.value() != keys.value()) broken("what encode wrote decodes otherwise");
    return 0;
}

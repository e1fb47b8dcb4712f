#include "net/ratelimiter.h"

#include <algorithm>

namespace plenum::net {

bool RateLimiter::take(const DeviceId& key, qint64 nowMs)
{
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= maxKeys_) {
            auto idlest = buckets_.begin();
            for (auto b = buckets_.begin(); b != buckets_.end(); ++b)
                if (b->updatedMs < idlest->updatedMs) idlest = b;
            buckets_.erase(idlest);
        }
        it = buckets_.insert(key, Bucket{double(limits_.burst), nowMs});
    }
    Bucket& b = it.value();
    if (nowMs > b.updatedMs && limits_.refillMs > 0)
        b.tokens = std::min<double>(limits_.burst,
                                    b.tokens + double(nowMs - b.updatedMs) / limits_.refillMs);
    b.updatedMs = std::max(b.updatedMs, nowMs);
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

} // namespace plenum::net

#pragma once
// Token buckets keyed by sender (DeviceId): `burst` attempts at once, then one more every
// `refillMs`. Bounded memory: when `maxKeys` senders are tracked, the one idle longest is
// forgotten (a forgotten sender starts again with a full bucket, which the global bucket of
// the caller bounds). Pure: the time comes in.

#include "protocol/ids.h"

#include <QHash>

namespace plenum::net {

class RateLimiter {
public:
    struct Limits {
        int burst = 3;
        qint64 refillMs = 10'000;
    };
    explicit RateLimiter(Limits limits, int maxKeys = 1024) : limits_(limits), maxKeys_(maxKeys) {}

    // Takes one token of `key`'s bucket; false if it is empty (the attempt is refused).
    bool take(const DeviceId& key, qint64 nowMs);
    const Limits& limits() const { return limits_; }

private:
    struct Bucket {
        double tokens = 0;
        qint64 updatedMs = 0;
    };
    Limits limits_;
    int maxKeys_;
    QHash<DeviceId, Bucket> buckets_;
};

} // namespace plenum::net

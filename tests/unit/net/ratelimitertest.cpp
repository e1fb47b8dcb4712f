#include "net/ratelimiter.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::net;

TEST(RateLimiter, BurstThenOnePerRefillPerSender)
{
    RateLimiter r({3, 1000});
    const DeviceId a = DeviceId::fromNumber(1), b = DeviceId::fromNumber(2);
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(r.take(a, 0)) << i;
    EXPECT_FALSE(r.take(a, 10));
    EXPECT_TRUE(r.take(b, 10)) << "another sender has its own bucket";
    EXPECT_FALSE(r.take(a, 900));
    EXPECT_TRUE(r.take(a, 1000));
    EXPECT_FALSE(r.take(a, 1001));
    EXPECT_TRUE(r.take(a, 10'000));
    EXPECT_TRUE(r.take(a, 10'000));
    EXPECT_TRUE(r.take(a, 10'000));
    EXPECT_FALSE(r.take(a, 10'000)) << "refill stops at the burst";
}

TEST(RateLimiter, MemoryIsBounded)
{
    RateLimiter r({1, 60'000}, 16);
    for (int i = 0; i < 1000; ++i)
        EXPECT_TRUE(r.take(DeviceId::fromNumber(std::uint64_t(i + 10)), i));
    // The most recent senders are still tracked.
    EXPECT_FALSE(r.take(DeviceId::fromNumber(1009), 1000));
}

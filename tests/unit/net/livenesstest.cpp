// Liveness timer logic over a fake millisecond clock.
#include "net/liveness.h"

#include <gtest/gtest.h>

using plenum::net::Liveness;

TEST(Liveness, DeadAfterFourOfThePeersIntervals)
{
    Liveness l(5000, 4, 0);
    l.setPeerInterval(250);
    l.heard(100);
    EXPECT_FALSE(l.isDead(1100)); // exactly 4 intervals: not yet
    EXPECT_TRUE(l.isDead(1101));
    l.heard(1050);
    EXPECT_FALSE(l.isDead(1101));
}

TEST(Liveness, PingDueAtOurOwnInterval)
{
    Liveness l(250, 4, 0);
    EXPECT_FALSE(l.pingDue(249));
    EXPECT_TRUE(l.pingDue(250));
    l.pinged(250);
    EXPECT_FALSE(l.pingDue(300));
    EXPECT_EQ(l.msUntilNextEvent(300), 200);
}

TEST(Liveness, NextEventIsTheEarlierOfPingAndDeath)
{
    Liveness l(5000, 4, 0);
    l.setPeerInterval(100); // peer is active, we are idle
    EXPECT_EQ(l.msUntilNextEvent(0), 401);
    l.setLocalInterval(250);
    EXPECT_EQ(l.msUntilNextEvent(0), 250);
    EXPECT_EQ(l.msUntilNextEvent(1000), 0);
}

TEST(Liveness, AnnouncedIntervalsAreClamped)
{
    Liveness l(250, 4, 0);
    l.setPeerInterval(0);
    EXPECT_EQ(l.peerInterval(), Liveness::kMinInterval);
    l.setPeerInterval(1'000'000'000);
    EXPECT_EQ(l.peerInterval(), Liveness::kMaxInterval);
}

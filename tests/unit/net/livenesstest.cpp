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

// Media as a liveness signal: while watched, 200 ms without control or media is death,
// either path heard keeps the link alive, and the control rule still holds on its own.
TEST(Liveness, WatchedMediaShortensDetection)
{
    Liveness l(250, 4, 0);
    l.setPeerInterval(250);
    EXPECT_FALSE(l.isDead(900)); // not watching: the 1 s control rule only
    l.watchMedia(200, 900);
    EXPECT_TRUE(l.watchingMedia());
    EXPECT_FALSE(l.isDead(1000));
    EXPECT_EQ(l.msUntilNextEvent(1000), 0); // the control rule's death (1001) and ping are due
    l.heard(1000);
    l.pinged(1000);
    EXPECT_EQ(l.msUntilNextEvent(1000), 201); // media death now comes before the 1 s rule
    l.heardMedia(1150);
    EXPECT_FALSE(l.isDeadByMedia(1350));
    EXPECT_TRUE(l.isDeadByMedia(1351));
    EXPECT_FALSE(l.isDeadByControl(1351));
    EXPECT_TRUE(l.isDead(1351));
    l.heard(1300); // a control record counts as well
    EXPECT_FALSE(l.isDead(1351));
    // Media datagrams alone never stretch the control rule (they are not authenticated here).
    for (qint64 t = 1320; t <= 2400; t += 20)
        l.heardMedia(t);
    EXPECT_TRUE(l.isDeadByControl(2301));
    l.unwatchMedia();
    l.heard(3000);
    EXPECT_FALSE(l.isDead(3500));
}

TEST(Liveness, FasterPingsKeepTheAnnouncedInterval)
{
    Liveness l(250, 4, 0);
    l.setPingEvery(100);
    EXPECT_TRUE(l.pingDue(100));
    EXPECT_EQ(l.localInterval(), 250);
    l.setPingEvery(0);
    EXPECT_FALSE(l.pingDue(100));
    l.setPingEvery(5000); // never slower than announced
    EXPECT_TRUE(l.pingDue(250));
}

TEST(Liveness, ProofsBridgeAControlStallUpToTheLimit)
{
    // PseudoTCP under loss: one lost segment stalls the control link for its 1 s minimum RTO
    // (2 s if the retransmission is lost too); the peer's authenticated keepalives prove it
    // runs meanwhile.
    Liveness l(5000, 4, 0);
    l.setPeerInterval(250); // the peer's 1 s rule
    l.setControlStallLimit(10000);
    l.heard(1000);
    for (qint64 t = 1000; t <= 4000; t += 250)
        l.heardProof(t);
    EXPECT_FALSE(l.isDeadByControl(4999));
    EXPECT_TRUE(l.isDeadByControl(5001)); // proofs stopped at 4000: 1 s later it is dead
    // Never past the stall limit, whatever the proofs say.
    for (qint64 t = 4250; t <= 12000; t += 250)
        l.heardProof(t);
    EXPECT_FALSE(l.isDeadByControl(11000));
    EXPECT_TRUE(l.isDeadByControl(11001));
    l.pinged(10500);
    EXPECT_EQ(l.msUntilNextEvent(10500), 501);
    // Without a limit proofs count for nothing (the rule as it was).
    Liveness plain(250, 4, 0);
    plain.heard(1000);
    plain.heardProof(1900);
    EXPECT_TRUE(plain.isDeadByControl(2001));
}

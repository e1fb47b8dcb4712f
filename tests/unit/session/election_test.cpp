#include "session/election.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::session;
using protocol::DeviceClass;
using protocol::RosterStamp;

namespace {
DeviceId dev(std::uint64_t n)
{
    return DeviceId::fromNumber(n);
}
QSet<DeviceId> all()
{
    return {dev(1), dev(2), dev(3)};
}
} // namespace

TEST(Election, CapabilityClassDominatesTheRandomBits)
{
    const auto wired = Election::makeBid(DeviceClass::Wired, 0);
    const auto phone = Election::makeBid(DeviceClass::Phone, ~0ull);
    EXPECT_GT(wired, phone);
    EXPECT_GT(Election::makeBid(DeviceClass::Desktop, 0),
              Election::makeBid(DeviceClass::Laptop, ~0ull));
}

TEST(Election, HigherBidWins)
{
    Election e;
    e.open(2, 50);
    e.record(dev(1), 2, {100, {1, 3}});
    e.record(dev(2), 2, {300, {1, 3}});
    e.record(dev(3), 2, {200, {1, 3}});
    EXPECT_EQ(e.best({1, 3}, all()), dev(2));
}

TEST(Election, TieGoesToLargerDeviceId)
{
    Election e;
    e.open(2, 50);
    e.record(dev(1), 2, {7, {1, 3}});
    e.record(dev(3), 2, {7, {1, 3}});
    e.record(dev(2), 2, {7, {1, 3}});
    EXPECT_EQ(e.best({1, 3}, all()), dev(3));
}

TEST(Election, NeverVotesForAnOlderRoster)
{
    Election e;
    e.open(2, 50);
    e.record(dev(1), 2, {900, {1, 2}}); // highest bid, but behind us
    e.record(dev(2), 2, {100, {1, 3}});
    EXPECT_EQ(e.best({1, 3}, all()), dev(2));
}

TEST(Election, NewestRosterFirstThenBid)
{
    Election e;
    e.open(3, 50);
    e.record(dev(1), 3, {900, {1, 3}});
    e.record(dev(2), 3, {100, {2, 4}}); // newer roster: the others refuse dev(1) anyway
    EXPECT_EQ(e.best({1, 3}, all()), dev(2));
}

TEST(Election, IgnoresCandidatesOutsideTheVoters)
{
    Election e;
    e.open(2, 50);
    e.record(dev(9), 2, {900, {1, 3}});
    e.record(dev(1), 2, {1, {1, 3}});
    EXPECT_EQ(e.best({1, 3}, all()), dev(1));
}

TEST(Election, OneVotePerEpoch)
{
    Election e;
    EXPECT_TRUE(e.canVote(2));
    e.recordVote(2, dev(2), dev(1));
    EXPECT_FALSE(e.canVote(2));
    EXPECT_FALSE(e.canVote(1));
    EXPECT_TRUE(e.canVote(3));
    EXPECT_TRUE(e.votedFor(2, dev(2)));
    EXPECT_EQ(e.grantedEpoch(), 2u);
}

TEST(Election, ASelfVoteIsNotAGrant)
{
    Election e;
    e.recordVote(4, dev(1), dev(1));
    EXPECT_EQ(e.votedEpoch(), 4u);
    EXPECT_EQ(e.grantedEpoch(), 0u);
}

TEST(Election, RequestsForALaterEpochWaitForItsRound)
{
    Election e;
    e.open(2, 50);
    EXPECT_FALSE(e.record(dev(2), 3, {5, {1, 3}}));
    // A retry opens the round above every one seen: the one at 3 has most likely been voted
    // on already (seed 78569). Opening 3 itself (a request arriving) pulls in what was seen.
    EXPECT_EQ(e.nextEpoch(1), 4u);
    e.open(3, 100);
    EXPECT_EQ(e.best({1, 3}, all()), dev(2));
}

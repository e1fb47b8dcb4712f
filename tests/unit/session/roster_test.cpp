#include "session/roster.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::session;

namespace {
MemberInfo m(std::uint64_t n)
{
    MemberInfo info;
    info.device = DeviceId::fromNumber(n);
    info.account = AccountId::fromNumber(100 + n);
    info.name = QStringLiteral("m%1").arg(n);
    return info;
}
} // namespace

TEST(Roster, ChangesKeepMembersInCanonicalOrder)
{
    RosterSnapshot r{{1, 1}, DeviceId::fromNumber(5), {m(5)}, {}};
    r = applyChange(r, {RosterChange::Kind::Add, RosterChange::Reason::Joined, m(2)}, {1, 2},
                    DeviceId::fromNumber(5));
    r = applyChange(r, {RosterChange::Kind::Add, RosterChange::Reason::Joined, m(9)}, {1, 3},
                    DeviceId::fromNumber(5));
    ASSERT_EQ(r.members.size(), 3);
    EXPECT_EQ(r.members[0].device, DeviceId::fromNumber(2));
    EXPECT_EQ(r.members[2].device, DeviceId::fromNumber(9));
    EXPECT_EQ(r.at, (RosterStamp{1, 3}));
    r = applyChange(r, {RosterChange::Kind::Remove, RosterChange::Reason::Left, m(5)}, {2, 5},
                    DeviceId::fromNumber(2));
    EXPECT_FALSE(contains(r, DeviceId::fromNumber(5)));
    EXPECT_EQ(r.sm, DeviceId::fromNumber(2));
}

TEST(Roster, AddingTwiceDoesNotDuplicate)
{
    RosterSnapshot r{{1, 1}, DeviceId::fromNumber(1), {m(1)}, {}};
    const RosterChange add{RosterChange::Kind::Add, RosterChange::Reason::Joined, m(2)};
    r = applyChange(r, add, {1, 2}, DeviceId::fromNumber(1));
    r = applyChange(r, add, {1, 3}, DeviceId::fromNumber(1));
    EXPECT_EQ(r.members.size(), 2);
}

TEST(Roster, TheBatonMovesByItsOwnChangeAndComesBackWhenTheHolderGoes)
{
    // §5.1 rule 11: a Baton change names the new holder, one generation up; members unchanged.
    RosterSnapshot r{{1, 1}, DeviceId::fromNumber(1), {m(1), m(2), m(3)}, {}};
    r = applyChange(r, {RosterChange::Kind::Baton, RosterChange::Reason::Joined, m(2)}, {1, 2},
                    DeviceId::fromNumber(1));
    EXPECT_EQ(r.baton, (protocol::Baton{DeviceId::fromNumber(2), 1}));
    EXPECT_EQ(r.members.size(), 3);
    // Removing someone else leaves it; removing the holder gives it back in the same change.
    r = applyChange(r, {RosterChange::Kind::Remove, RosterChange::Reason::Left, m(3)}, {1, 3},
                    DeviceId::fromNumber(1));
    EXPECT_EQ(r.baton, (protocol::Baton{DeviceId::fromNumber(2), 1}));
    r = applyChange(r, {RosterChange::Kind::Remove, RosterChange::Reason::Crashed, m(2)}, {1, 4},
                    DeviceId::fromNumber(1));
    EXPECT_EQ(r.baton, (protocol::Baton{DeviceId{}, 2}));
    EXPECT_EQ(r.members.size(), 1);
}

TEST(Roster, MajorityIsMoreThanHalf)
{
    EXPECT_EQ(majorityOf(1), 1);
    EXPECT_EQ(majorityOf(2), 2);
    EXPECT_EQ(majorityOf(3), 2);
    EXPECT_EQ(majorityOf(4), 3);
    EXPECT_EQ(majorityOf(8), 5);
}

TEST(Roster, StampsCompareEpochFirst)
{
    EXPECT_LT((RosterStamp{1, 9}), (RosterStamp{2, 1}));
    EXPECT_LT((RosterStamp{2, 1}), (RosterStamp{2, 2}));
}

#include "cobrowse/browsefollower.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::cobrowse;
using Outcome = BrowseFollower::Outcome;

namespace {

const DeviceId kSelf = DeviceId::fromNumber(1);
const DeviceId kAlice = DeviceId::fromNumber(2);
const DeviceId kBob = DeviceId::fromNumber(3);

protocol::BrowseNavigate nav(std::uint64_t gen, std::uint64_t seq, const char* url,
                             bool pushed = false)
{
    return {gen, seq, QString::fromUtf8(url), QStringLiteral("title"), pushed};
}

class Follower : public ::testing::Test {
protected:
    Follower() { f.setBaton({kAlice, 5}); }
    BrowseFollower f{kSelf};
};

} // namespace

TEST_F(Follower, TheLeadersPageIsShown)
{
    EXPECT_EQ(f.onNavigate(kAlice, nav(5, 1, "https://a.example/")).outcome, Outcome::Shown);
    ASSERT_TRUE(f.shown());
    EXPECT_EQ(f.shown()->url, "https://a.example/");
    EXPECT_EQ(f.shown()->by, kAlice);
}

TEST_F(Follower, OnlyTheLeaderOfTheCurrentGenerationMovesTheBrowser)
{
    const auto bob = f.onNavigate(kBob, nav(5, 1, "https://bob.example/"));
    EXPECT_EQ(bob.outcome, Outcome::Ignored);
    EXPECT_TRUE(bob.reason.contains("Only the leader"));
    const auto old = f.onNavigate(kAlice, nav(4, 9, "https://old.example/"));
    EXPECT_EQ(old.outcome, Outcome::Ignored);
    EXPECT_TRUE(old.reason.contains("older baton"));
    EXPECT_FALSE(f.shown());
}

TEST_F(Follower, ARepeatOrALateEventChangesNothing)
{
    ASSERT_EQ(f.onNavigate(kAlice, nav(5, 2, "https://two.example/")).outcome, Outcome::Shown);
    EXPECT_EQ(f.onNavigate(kAlice, nav(5, 2, "https://two.example/")).outcome, Outcome::Ignored);
    EXPECT_EQ(f.onNavigate(kAlice, nav(5, 1, "https://one.example/")).outcome, Outcome::Ignored);
    EXPECT_EQ(f.shown()->url, "https://two.example/");
}

TEST_F(Follower, FollowOffNotesTheLeadersPageAndJumpGoesThere)
{
    f.onNavigate(kAlice, nav(5, 1, "https://a.example/"));
    EXPECT_FALSE(f.setFollow(false));
    EXPECT_EQ(f.onNavigate(kAlice, nav(5, 2, "https://b.example/")).outcome, Outcome::Noted);
    EXPECT_EQ(f.shown()->url, "https://a.example/");
    EXPECT_EQ(f.leaderPage()->url, "https://b.example/");
    const auto jumped = f.jumpToLeader();
    ASSERT_TRUE(jumped);
    EXPECT_EQ(jumped->url, "https://b.example/");
    EXPECT_FALSE(f.following());
    f.onNavigate(kAlice, nav(5, 3, "https://c.example/"));
    const auto back = f.setFollow(true);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->url, "https://c.example/");
}

TEST_F(Follower, APushFromAMemberIsACardAndFromTheLeaderAForcedNavigation)
{
    f.setFollow(false);
    EXPECT_EQ(f.onNavigate(kBob, nav(5, 1, "https://card.example/", true)).outcome, Outcome::Card);
    EXPECT_FALSE(f.shown());
    EXPECT_EQ(f.onNavigate(kAlice, nav(5, 1, "https://forced.example/", true)).outcome,
              Outcome::Shown);
    EXPECT_EQ(f.shown()->url, "https://forced.example/");
    EXPECT_TRUE(f.shown()->pushed);
}

TEST_F(Follower, UnsafeAddressesAreRefusedEvenFromTheLeader)
{
    const auto r = f.onNavigate(kAlice, nav(5, 1, "file:///home/alice/.ssh/id_ed25519"));
    EXPECT_EQ(r.outcome, Outcome::Refused);
    EXPECT_FALSE(r.reason.isEmpty());
    EXPECT_FALSE(f.shown());
    EXPECT_FALSE(f.leaderPage());
    EXPECT_EQ(f.onNavigate(kBob, nav(5, 1, "javascript:alert(1)", true)).outcome, Outcome::Refused);
}

TEST_F(Follower, ABlockedDomainIsNotShownButTheLeadersPlaceIsKnown)
{
    ASSERT_TRUE(f.blocklist().add("blocked.example"));
    const auto r = f.onNavigate(kAlice, nav(5, 1, "https://www.blocked.example/"));
    EXPECT_EQ(r.outcome, Outcome::Noted);
    EXPECT_TRUE(r.reason.contains("blocked"));
    EXPECT_FALSE(f.shown());
    EXPECT_EQ(f.leaderPage()->url, "https://www.blocked.example/");
    EXPECT_FALSE(f.jumpToLeader());
}

TEST_F(Follower, ScrollAppliesOnlyOnTheLeadersPageWhileFollowing)
{
    f.onNavigate(kAlice, nav(5, 1, "https://a.example/"));
    const protocol::BrowseScroll s{5, 2, 0, 5000};
    EXPECT_TRUE(f.onScroll(kAlice, s));
    EXPECT_FALSE(f.onScroll(kAlice, s)) << "a repeat";
    EXPECT_FALSE(f.onScroll(kBob, {5, 3, 0, 100})) << "not the leader";
    f.setFollow(false);
    EXPECT_FALSE(f.onScroll(kAlice, {5, 4, 0, 6000}));
    EXPECT_EQ(f.leaderScroll()->y, 6000u) << "remembered for a jump";
}

TEST_F(Follower, ANewBatonGenerationHandsTheBrowserToTheNewLeader)
{
    f.onNavigate(kAlice, nav(5, 1, "https://alice.example/"));
    f.setBaton({kBob, 6});
    EXPECT_EQ(f.onNavigate(kAlice, nav(5, 2, "https://late.example/")).outcome, Outcome::Ignored);
    EXPECT_EQ(f.onNavigate(kBob, nav(6, 1, "https://bob.example/")).outcome, Outcome::Shown);
    f.setBaton({kAlice, 5}); // an older roster's baton never comes back
    EXPECT_EQ(f.baton().holder, kBob);
}

TEST_F(Follower, OurOwnEventsNeverMoveUs)
{
    f.setBaton({kSelf, 7});
    EXPECT_EQ(f.onNavigate(kSelf, nav(7, 1, "https://me.example/")).outcome, Outcome::Ignored);
}

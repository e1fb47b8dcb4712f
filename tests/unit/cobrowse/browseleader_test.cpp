#include "cobrowse/browseleader.h"

#include "protocol/limits.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::cobrowse;

TEST(BrowseLeader, EveryEventGetsTheNextSeq)
{
    BrowseLeader leader;
    leader.resumeAfter(41);
    EXPECT_EQ(leader.navigate("https://a.example/", "A", 3).seq, 42u);
    const auto s = leader.scroll(10, 20, 3, 1000);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->seq, 43u);
    EXPECT_EQ(leader.navigate("https://b.example/", "B", 3, true).seq, 44u);
    EXPECT_EQ(leader.lastSeq(), 44u);
}

TEST(BrowseLeader, ScrollIsRateLimitedAndTheLastPositionWins)
{
    BrowseLeader leader({.scrollIntervalMs = 100});
    ASSERT_TRUE(leader.scroll(0, 100, 1, 1000));
    EXPECT_FALSE(leader.scroll(0, 200, 1, 1020));
    EXPECT_FALSE(leader.scroll(0, 300, 1, 1050));
    EXPECT_EQ(leader.nextWake(), 1100);
    EXPECT_FALSE(leader.onTick(1099));
    const auto held = leader.onTick(1100);
    ASSERT_TRUE(held);
    EXPECT_EQ(held->y, 300u);
    EXPECT_FALSE(leader.nextWake());
}

TEST(BrowseLeader, ANavigationDropsAHeldScrollOfTheOldPage)
{
    BrowseLeader leader;
    ASSERT_TRUE(leader.scroll(0, 100, 1, 1000));
    EXPECT_FALSE(leader.scroll(0, 900, 1, 1010));
    leader.navigate("https://next.example/", "Next", 1);
    EXPECT_FALSE(leader.onTick(2000));
}

TEST(BrowseLeader, ScrollBeyondThePageIsClampedAndLongTitlesAreCut)
{
    BrowseLeader leader;
    const auto s = leader.scroll(20000, 10001, 1, 0);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->x, protocol::limits::kScrollFull);
    EXPECT_EQ(s->y, protocol::limits::kScrollFull);
    const auto n = leader.navigate("https://a.example/", QString(1000, QChar(0x00e9)), 1);
    EXPECT_LE(std::size_t(n.title.toUtf8().size()), protocol::limits::kMaxPageTitleBytes);
    EXPECT_GT(n.title.size(), 100);
}

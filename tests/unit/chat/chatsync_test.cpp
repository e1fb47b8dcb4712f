#include "chat/chatsync.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::chat;
using protocol::ChatMessage;

namespace {

const DeviceId kSelf = DeviceId::fromNumber(1);
const DeviceId kPeer = DeviceId::fromNumber(2);
const DeviceId kJoiner = DeviceId::fromNumber(3);

ChatMessage msg(std::uint64_t sender, std::uint64_t seq, std::uint64_t lamport)
{
    return ChatMessage{DeviceId::fromNumber(sender), seq, lamport, AccountId::fromNumber(sender),
                       QStringLiteral("m"),          {}};
}

} // namespace

TEST(ChatSync, NewcomersGetFloorsForTheirCutOnlyWhileNew)
{
    ChatSync sync(kSelf);
    sync.record(msg(2, 1, 1));
    sync.record(msg(2, 2, 5));
    sync.sawJoin(kJoiner, 3, 1000);
    sync.sawJoin(kJoiner, 9, 1500); // first sight counts
    EXPECT_EQ(sync.cutOf(kJoiner, 2000), 3u);
    const auto hw = sync.marksFor(kJoiner, 2000);
    ASSERT_EQ(hw.floors.size(), 1);
    EXPECT_EQ(hw.floors[0].seq, 1u) << "seq 2 (lamport 5) comes after the cut";
    EXPECT_TRUE(sync.marksFor(kPeer, 2000).floors.isEmpty()) << "members get no floors";
    EXPECT_TRUE(sync.marksFor(kJoiner, 1000 + ChatSync::kNewcomerMs + 1).floors.isEmpty());
    sync.sawJoin(kSelf, 3, 1000);
    EXPECT_FALSE(sync.cutOf(kSelf, 1000));
}

TEST(ChatSync, AnswersAHighWaterOnlyWhenThePeerLacksSomethingAndNotTooOften)
{
    ChatSync sync(kSelf);
    sync.record(msg(2, 1, 1));
    const protocol::HighWater same{{{DeviceId::fromNumber(2), 1}}, {}};
    const protocol::HighWater behind{{{DeviceId::fromNumber(2), 0}}, {}};
    EXPECT_FALSE(sync.onHighWater(kPeer, same, 0)) << "nothing to tell";
    EXPECT_TRUE(sync.onHighWater(kPeer, behind, 0));
    EXPECT_FALSE(sync.onHighWater(kPeer, behind, 500)) << "rate-limited: no ping-pong";
    EXPECT_TRUE(sync.onHighWater(kPeer, behind, 1000 + ChatSync::kReplyIntervalMs));
    sync.sawJoin(kJoiner, 1, 0);
    EXPECT_TRUE(sync.onHighWater(kJoiner, same, 10)) << "a newcomer always gets its floors";
}

TEST(ChatSync, PullsTheGapFromThePeerThatHasItAndTheSmSendsHistoryOnce)
{
    ChatSync sync(kSelf);
    sync.record(msg(2, 2, 4));
    EXPECT_EQ(sync.highWater(DeviceId::fromNumber(2)), 0u);
    (void)sync.onHighWater(kPeer, protocol::HighWater{{{DeviceId::fromNumber(2), 2}}, {}}, 0);
    const auto pulls = sync.plan(0);
    ASSERT_EQ(pulls.size(), 1);
    EXPECT_EQ(pulls[0].from, kPeer);
    EXPECT_EQ(pulls[0].request.fromSeq, 1u);
    EXPECT_EQ(pulls[0].request.toSeq, 1u);
    (void)sync.onHighWater(DeviceId::fromNumber(4),
                           protocol::HighWater{{{DeviceId::fromNumber(2), 2}}, {}}, 0);
    EXPECT_TRUE(sync.plan(100).isEmpty()) << "the first pull is still being answered";
    // After the timeout it asks again (AntiEntropy may first start a fresh round of peers).
    auto again = sync.plan(ChatSync::kPullTimeoutMs + 1);
    if (again.isEmpty()) again = sync.plan(ChatSync::kPullTimeoutMs + 1);
    EXPECT_EQ(again.size(), 1) << "asked again after a while";
    sync.record(msg(2, 1, 2));
    EXPECT_TRUE(sync.plan(ChatSync::kPullTimeoutMs + 2).isEmpty()) << "nothing missing";
    EXPECT_TRUE(sync.takeGapBroadcast(0));
    EXPECT_FALSE(sync.takeGapBroadcast(ChatSync::kGapHighWaterMs - 1));
    EXPECT_TRUE(sync.takeHistoryTurn(kJoiner));
    EXPECT_FALSE(sync.takeHistoryTurn(kJoiner));
}

#include "chat/conversationlog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace plenum;
using namespace plenum::chat;
using protocol::ChatMessage;

namespace {

ChatMessage msg(std::uint64_t sender, std::uint64_t seq, std::uint64_t lamport)
{
    ChatMessage m;
    m.sender = DeviceId::fromNumber(sender);
    m.seq = seq;
    m.lamport = lamport;
    m.text = QStringLiteral("%1/%2").arg(sender).arg(seq);
    return m;
}

// A run of a chat among `senders` devices: each send ticks the sender's Lamport clock past
// what it has seen, as ChatSender does; deliveries are random, so clocks interleave.
std::vector<ChatMessage> history(std::mt19937_64& rng, int senders, int count)
{
    std::vector<std::uint64_t> clock(senders, 0), seq(senders, 0);
    std::vector<ChatMessage> out;
    for (int i = 0; i < count; ++i) {
        const int s = int(rng() % senders);
        ChatMessage m = msg(s + 1, ++seq[s], ++clock[s]);
        out.push_back(m);
        for (int r = 0; r < senders; ++r)
            if (rng() % 2) clock[r] = std::max(clock[r], m.lamport);
    }
    return out;
}

} // namespace

TEST(ConversationLog, SameOrderOnEveryReplicaRegardlessOfArrival)
{
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        SCOPED_TRACE(seed);
        std::mt19937_64 rng(seed);
        const auto all = history(rng, 4, 200);
        std::vector<std::vector<ChatMessage>> replicas;
        for (int r = 0; r < 5; ++r) {
            auto arrival = all;
            std::shuffle(arrival.begin(), arrival.end(), rng);
            // Some messages arrive twice (retries, anti-entropy).
            for (int d = 0; d < 20; ++d)
                arrival.push_back(all[rng() % all.size()]);
            ConversationLog log;
            for (const auto& m : arrival)
                log.insert(m);
            replicas.push_back(log.messages());
        }
        ASSERT_EQ(replicas[0].size(), all.size());
        EXPECT_TRUE(
            std::is_sorted(replicas[0].begin(), replicas[0].end(), ConversationLog::before));
        for (const auto& r : replicas)
            EXPECT_EQ(r, replicas[0]);
    }
}

TEST(ConversationLog, DuplicateSenderAndSeqIsIgnored)
{
    ConversationLog log;
    EXPECT_TRUE(log.insert(msg(1, 1, 5)).added);
    ChatMessage again = msg(1, 1, 9);
    again.text = QStringLiteral("a different body with the same id");
    EXPECT_FALSE(log.insert(again).added);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log.messages()[0].lamport, 5u);
    EXPECT_TRUE(log.contains(DeviceId::fromNumber(1), 1));
    EXPECT_FALSE(log.contains(DeviceId::fromNumber(1), 2));
}

TEST(ConversationLog, LateMessageIsInsertedAtItsPlaceNotAppended)
{
    ConversationLog log;
    log.insert(msg(1, 1, 1));
    log.insert(msg(1, 2, 3));
    log.insert(msg(2, 2, 4));
    const auto late = log.insert(msg(2, 1, 2));
    EXPECT_TRUE(late.added);
    EXPECT_EQ(late.index, 1u);
    EXPECT_EQ(log.messages()[1].sender, DeviceId::fromNumber(2));
    EXPECT_EQ(log.maxLamport(), 4u);
}

TEST(ConversationLog, EqualLamportIsOrderedByDeviceId)
{
    ConversationLog log;
    log.insert(msg(9, 1, 7));
    log.insert(msg(3, 1, 7));
    EXPECT_EQ(log.messages()[0].sender, DeviceId::fromNumber(3));
    EXPECT_EQ(log.messages()[1].sender, DeviceId::fromNumber(9));
}

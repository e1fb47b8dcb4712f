#include "chat/antientropy.h"
#include "chat/visibility.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

using namespace plenum;
using namespace plenum::chat;
using protocol::ChatMessage;
using protocol::HighWater;

namespace {

DeviceId dev(std::uint64_t n)
{
    return DeviceId::fromNumber(n);
}

// One simulated peer: its anti-entropy state and what it holds on "disk".
struct Peer {
    explicit Peer(DeviceId id) : id(id), ae(id) {}
    DeviceId id;
    AntiEntropy ae;
    std::map<std::pair<DeviceId, std::uint64_t>, ChatMessage> held;

    void receive(const ChatMessage& m)
    {
        if (held.emplace(std::pair{m.sender, m.seq}, m).second)
            ae.record(m.sender, m.seq, m.lamport);
    }
    // Answers a CHAT_PULL as a node would, with copyFor() deciding what may be shared.
    std::vector<ChatMessage> serve(const DeviceId& requester, const protocol::ChatPull& p) const
    {
        std::vector<ChatMessage> out;
        for (std::uint64_t s = p.fromSeq; s <= p.toSeq; ++s) {
            auto it = held.find({p.sender, s});
            if (it == held.end()) continue;
            if (auto copy = copyFor(it->second, requester)) out.push_back(*copy);
        }
        return out;
    }
};

// Every peer tells every other its marks, then pulls; repeated until nothing is pulled.
int syncRounds(std::vector<Peer>& peers, int maxRounds)
{
    for (int round = 1; round <= maxRounds; ++round) {
        for (auto& a : peers)
            for (auto& b : peers)
                if (a.id != b.id) b.ae.onHighWater(a.id, a.ae.marks());
        bool pulled = false;
        for (auto& p : peers) {
            for (const Pull& pull : p.ae.plan()) {
                pulled = true;
                for (auto& q : peers)
                    if (q.id == pull.from)
                        for (const auto& m : q.serve(p.id, pull.request))
                            p.receive(m);
            }
        }
        if (!pulled) return round;
    }
    return -1;
}

} // namespace

TEST(AntiEntropy, HighWaterIsTheEndOfTheContiguousRun)
{
    AntiEntropy ae(dev(1));
    ae.record(dev(2), 1, 1);
    ae.record(dev(2), 2, 2);
    ae.record(dev(2), 4, 6);
    EXPECT_EQ(ae.highWater(dev(2)), 2u);
    ae.record(dev(2), 3, 5);
    EXPECT_EQ(ae.highWater(dev(2)), 4u);
    const HighWater hw = ae.marks();
    ASSERT_EQ(hw.marks.size(), 1);
    EXPECT_EQ(hw.marks[0].seq, 4u);
    EXPECT_TRUE(hw.floors.isEmpty());
}

TEST(AntiEntropy, AHoleIsAGapUntilItIsFilled)
{
    AntiEntropy ae(dev(1));
    EXPECT_FALSE(ae.hasGaps());
    ae.record(dev(2), 1, 1);
    ae.record(dev(2), 2, 2);
    EXPECT_FALSE(ae.hasGaps());
    ae.record(dev(2), 4, 6);
    EXPECT_TRUE(ae.hasGaps());
    ae.record(dev(2), 3, 5);
    EXPECT_FALSE(ae.hasGaps());
}

TEST(AntiEntropy, BehindWhileAPeerHoldsMoreThanWeDo)
{
    AntiEntropy ae(dev(1));
    ae.record(dev(2), 1, 1);
    EXPECT_FALSE(ae.behind());
    HighWater hw;
    hw.marks.append({dev(2), 3});
    ae.onHighWater(dev(3), hw);
    EXPECT_TRUE(ae.behind());
    ae.record(dev(2), 2, 2);
    ae.record(dev(2), 3, 3);
    EXPECT_FALSE(ae.behind());
}

TEST(AntiEntropy, PullsOnlyTheMissingRunsFromThePeerWithTheHighestMark)
{
    AntiEntropy ae(dev(1));
    for (std::uint64_t s : {1, 2, 5, 6})
        ae.record(dev(9), s, s);
    ae.onHighWater(dev(2), HighWater{{{dev(9), 6}}, {}});
    ae.onHighWater(dev(3), HighWater{{{dev(9), 9}}, {}});
    const auto pulls = ae.plan();
    ASSERT_EQ(pulls.size(), 2);
    EXPECT_EQ(pulls[0].from, dev(3));
    EXPECT_EQ(pulls[0].request.fromSeq, 3u);
    EXPECT_EQ(pulls[0].request.toSeq, 4u);
    EXPECT_EQ(pulls[1].request.fromSeq, 7u);
    EXPECT_EQ(pulls[1].request.toSeq, 9u);
}

TEST(AntiEntropy, AsksAnotherPeerWhenTheFirstCannotAnswer)
{
    AntiEntropy ae(dev(1));
    ae.onHighWater(dev(2), HighWater{{{dev(9), 3}}, {}});
    ae.onHighWater(dev(3), HighWater{{{dev(9), 2}}, {}});
    EXPECT_EQ(ae.plan().front().from, dev(2));
    // dev(2) answered nothing (it holds only stubs): the next plan tries dev(3).
    EXPECT_EQ(ae.plan().front().from, dev(3));
    ae.record(dev(9), 1, 1); // progress: dev(2) is the best again
    EXPECT_EQ(ae.plan().front().from, dev(2));
}

TEST(AntiEntropy, AllReplicasConvergeAfterLossesIncludingSideChats)
{
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        SCOPED_TRACE(seed);
        std::mt19937_64 rng(seed);
        std::vector<Peer> peers;
        for (int i = 1; i <= 5; ++i)
            peers.emplace_back(dev(i));
        std::vector<ChatMessage> sent;
        std::map<int, std::uint64_t> seq;
        std::uint64_t lamport = 0;
        for (int i = 0; i < 150; ++i) {
            const int s = int(rng() % peers.size());
            ChatMessage m;
            m.sender = peers[s].id;
            m.seq = ++seq[s];
            m.lamport = ++lamport;
            m.text = QStringLiteral("m%1").arg(i);
            if (rng() % 4 == 0) m.recipients = {peers[(s + 1) % peers.size()].id};
            sent.push_back(m);
            peers[s].receive(m);
            for (auto& p : peers) {
                if (p.id == m.sender || rng() % 3 == 0) continue; // a third is lost
                p.receive(mayRead(m, p.id) ? m : stubOf(m));
            }
        }
        ASSERT_GT(syncRounds(peers, 30), 0) << "did not converge";
        for (const auto& p : peers)
            for (const auto& m : sent) {
                auto it = p.held.find({m.sender, m.seq});
                ASSERT_NE(it, p.held.end());
                if (mayRead(m, p.id))
                    EXPECT_EQ(it->second.text, m.text);
                else
                    EXPECT_TRUE(isStub(it->second)) << "side-chat text leaked";
            }
    }
}

TEST(AntiEntropy, JoinerIsOwedOnlyWhatComesAfterItsCut)
{
    std::vector<Peer> peers;
    for (int i = 1; i <= 3; ++i)
        peers.emplace_back(dev(i));
    std::uint64_t lamport = 0;
    auto say = [&](std::size_t who, std::uint64_t seq, std::vector<std::size_t> to) {
        ChatMessage m{peers[who].id, seq, ++lamport, AccountId{}, QStringLiteral("x"), {}};
        peers[who].receive(m);
        for (auto t : to)
            peers[t].receive(m);
        return m;
    };
    for (std::uint64_t s = 1; s <= 10; ++s)
        say(0, s, {1, 2});
    const std::uint64_t cut = lamport; // the ROSTER that admits dev(4) commits here
    peers.emplace_back(dev(4));
    peers[3].ae.joinedAt(cut);
    say(0, 11, {1, 2});   // the joiner missed this one
    say(1, 1, {0, 2, 3}); // and got this one
    EXPECT_TRUE(peers[3].ae.plan().isEmpty()) << "no pulls before any floors arrived";

    // Members tell the joiner their marks with floors for its cut.
    for (std::size_t m = 0; m < 3; ++m)
        peers[3].ae.onHighWater(peers[m].id, peers[m].ae.marks(cut));
    const auto pulls = peers[3].ae.plan();
    ASSERT_EQ(pulls.size(), 1);
    EXPECT_EQ(pulls[0].request.sender, dev(1));
    EXPECT_EQ(pulls[0].request.fromSeq, 11u);
    EXPECT_EQ(pulls[0].request.toSeq, 11u);
}

// A session with no message yet: members' HIGH_WATER is empty, and the joiner must not wait
// for floors forever (it would never pull a later gap).
TEST(AntiEntropy, JoinerOfAnEmptySessionStopsWaitingForFloors)
{
    AntiEntropy joiner(dev(9));
    joiner.joinedAt(0);
    joiner.onHighWater(dev(1), AntiEntropy(dev(1)).marks(0));
    joiner.record(dev(1), 2, 5); // seq 1 was lost on the way
    joiner.onHighWater(dev(2), protocol::HighWater{{{dev(1), 2}}, {}});
    const auto pulls = joiner.plan();
    ASSERT_EQ(pulls.size(), 1);
    EXPECT_EQ(pulls[0].from, dev(2));
    EXPECT_EQ(pulls[0].request.fromSeq, 1u);
}

TEST(Visibility, PullAnswersFollowSideChatRules)
{
    ChatMessage side{dev(1), 4, 9, AccountId{}, QStringLiteral("psst"), {dev(2)}};
    EXPECT_EQ(copyFor(side, dev(2)), side);
    EXPECT_TRUE(isStub(*copyFor(side, dev(3))));
    EXPECT_FALSE(copyFor(stubOf(side), dev(2))) << "a stub holder never answers for a side-chat";
    ChatMessage everyone{dev(1), 5, 10, AccountId{}, QStringLiteral("hi"), {}};
    EXPECT_EQ(copyFor(everyone, dev(3)), everyone);
    EXPECT_FALSE(isStub(everyone));
}

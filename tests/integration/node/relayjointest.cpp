// Relayed signaling for joins (issue 11, DESIGN §3): a joiner's ICE offers to the members and
// their answers travel sealed over the SM's links, not the DHT; without a relay the DHT still
// carries them; a relay that tampers with or replays what it carries is caught by the
// recipient and the join still completes (through the DHT fallback).
#include "peergroup.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

using namespace plenum::testsupport;

namespace {

QJsonObject signaling(PeerProcess* p)
{
    auto stats = p->ask({{"cmd", "stats"}}, "stats");
    EXPECT_TRUE(stats.has_value()) << p->name.toStdString() << " answered no stats";
    return stats ? stats->value("signaling").toObject() : QJsonObject{};
}

int sentTo(const QJsonObject& s, const char* path, PeerProcess* to)
{
    return s.value(path).toObject().value(to->device).toInt();
}

// Alice (the SM) invites `joiner` into the group `peers`; true once every roster lists it.
bool join(PeerGroup& group, std::vector<PeerProcess*>& peers, PeerProcess* joiner)
{
    peers[0]->send({{"cmd", "invite"}, {"account", joiner->account}, {"device", joiner->device}});
    auto r = peers[0]->waitEvent("invite_result", 20000);
    if (!r || r->value("code").toInt() != 200) return false;
    peers.push_back(joiner);
    return group.rostersEqual(peers, int(peers.size()), 20000);
}

} // namespace

TEST(RelayJoin, JoinerSignalsMembersThroughTheSm)
{
    PeerGroup group;
    auto peers = group.session({"alice", "bob", "carol"});
    ASSERT_EQ(peers.size(), 3u);
    PeerProcess* dave = group.add("dave");
    ASSERT_TRUE(join(group, peers, dave));

    const QJsonObject d = signaling(dave);
    for (PeerProcess* member : {peers[1], peers[2]}) {
        SCOPED_TRACE(member->name.toStdString());
        EXPECT_EQ(sentTo(d, "dht_sent_to", member), 0) << "the joiner used the DHT for a member";
        EXPECT_GT(sentTo(d, "relay_sent_to", member), 0);
        // The member's answer went back through the relay as well.
        const QJsonObject m = signaling(member);
        EXPECT_EQ(sentTo(m, "dht_sent_to", dave), 0);
        EXPECT_GT(sentTo(m, "relay_sent_to", dave), 0);
    }
    // First contact with the SM itself is the DHT's job (no link to relay over yet).
    EXPECT_GT(sentTo(d, "dht_sent_to", peers[0]), 0);
    EXPECT_EQ(d.value("fallbacks").toInt(), 0);
    EXPECT_GE(signaling(peers[0]).value("forwarded_for_others").toInt(), 4);
}

TEST(RelayJoin, FallsBackToTheDhtWithoutARelay)
{
    PeerGroup group;
    auto peers = group.session({"alice", "bob"});
    ASSERT_EQ(peers.size(), 2u);
    ASSERT_TRUE(peers[0]->ask({{"cmd", "relay"}, {"on", false}}, "relay").has_value());
    PeerProcess* carol = group.add("carol");
    ASSERT_TRUE(join(group, peers, carol));

    const QJsonObject c = signaling(carol);
    EXPECT_GT(sentTo(c, "dht_sent_to", peers[1]), 0) << "the fallback must use the DHT";
    EXPECT_GE(c.value("fallbacks").toInt(), 1);
    EXPECT_GE(signaling(peers[0]).value("refused_for_others").toInt(), 1);
}

TEST(RelayJoin, TamperingOrReplayingRelayIsCaughtAndTheJoinCompletes)
{
    PeerGroup group;
    auto peers = group.session({"alice", "bob"});
    ASSERT_EQ(peers.size(), 2u);

    // A relay that flips a byte: the envelope no longer opens (or its signature fails).
    ASSERT_TRUE(peers[0]->ask({{"cmd", "relay"}, {"tamper", "flip"}}, "relay").has_value());
    PeerProcess* carol = group.add("carol");
    ASSERT_TRUE(join(group, peers, carol));
    EXPECT_GE(signaling(peers[1]).value("rejected").toInt(), 1) << "bob accepted a tampered offer";
    EXPECT_GE(signaling(carol).value("fallbacks").toInt(), 1);

    // A relay that forwards every envelope twice: the copy is refused by the replay memory,
    // and the join goes through the relay all the same.
    ASSERT_TRUE(peers[0]->ask({{"cmd", "relay"}, {"tamper", "replay"}}, "relay").has_value());
    PeerProcess* dave = group.add("dave");
    ASSERT_TRUE(join(group, peers, dave));
    const QJsonObject d = signaling(dave);
    EXPECT_GE(d.value("rejected").toInt(), 1) << "dave accepted a replayed answer";
    EXPECT_EQ(d.value("fallbacks").toInt(), 0);
    EXPECT_EQ(sentTo(d, "dht_sent_to", peers[1]), 0);

    // The group still works: chat reaches everyone.
    ASSERT_TRUE(dave->ask({{"cmd", "say"}, {"text", "after the hostile relay"}}, "sent"));
    for (PeerProcess* p : {peers[1], peers[2]})
        EXPECT_TRUE(
            p->waitEvent([](auto& e) { return isChat(e, "after the hostile relay"); }, 10000))
            << p->name.toStdString();
}

// Issue 11's goal, as a generous bound: the eighth member (seven links) is in every member's
// committed roster within a second of the invite. join_bench measures the real figure (idle
// loopback: p50 ~100 ms, p95 ~105 ms; beside two CPU hogs p95 up to ~180 ms).
TEST(RelayJoin, TheEighthMemberIsInEveryRosterWithinASecond)
{
    PeerGroup group;
    auto peers = group.session({"p0", "p1", "p2", "p3", "p4", "p5", "p6"});
    ASSERT_EQ(peers.size(), 7u);
    PeerProcess* joiner = group.add("p7");
    ASSERT_NE(joiner, nullptr);
    const qint64 t0 = testClockMs();
    ASSERT_TRUE(join(group, peers, joiner));
    qint64 last = 0;
    for (PeerProcess* p : peers)
        last = std::max(last, p->lastRoster().value("_ms").toInteger());
    std::printf("{\"join_of_8th_member_ms\": %lld}\n", static_cast<long long>(last - t0));
    EXPECT_LT(last - t0, 1000) << "from the invite to the last member's roster event";
}

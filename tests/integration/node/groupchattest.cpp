#include "peergroup.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <algorithm>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

// Issue 6, priority 1: create, invite (SM) and refer (non-SM); every roster equal; chat
// reaches everyone and the sender sees it delivered to all.
TEST(NodeGroup, FivePeersCreateInviteReferAndChat)
{
    PeerGroup group;
    auto* a = group.add("alice");
    auto* b = group.add("bob");
    auto* c = group.add("carol");
    auto* d = group.add("dave");
    auto* e = group.add("erin");
    // dave is invited by bob and erin by carol, who are not the SM: REFERs.
    const QString sid = group.buildSession({a, b, c, d, e}, {0, 0, 0, 1, 2});
    ASSERT_FALSE(sid.isEmpty());
    ASSERT_TRUE(group.rostersEqual({a, b, c, d, e}, 5, 10000));
    EXPECT_EQ(a->lastRoster().value("sm").toString(), a->device);

    auto sent = a->ask({{"cmd", "say"}, {"text", "hello all"}}, "sent");
    ASSERT_TRUE(sent.has_value());
    for (auto* p : {b, c, d, e})
        EXPECT_TRUE(p->waitEvent([](auto& ev) { return isChat(ev, "hello all"); }, 5000))
            << p->name.toStdString() << " did not get the message";
    auto delivered = a->waitEvent("delivered", 5000);
    ASSERT_TRUE(delivered.has_value());
    EXPECT_EQ(delivered->value("id"), sent->value("id"));
    EXPECT_TRUE(delivered->value("failed").toArray().isEmpty());

    auto fromDave = d->ask({{"cmd", "say"}, {"text", "dave here"}}, "sent");
    ASSERT_TRUE(fromDave.has_value());
    for (auto* p : {a, b, c, e})
        EXPECT_TRUE(p->waitEvent([](auto& ev) { return isChat(ev, "dave here"); }, 5000));
    EXPECT_TRUE(d->waitEvent("delivered", 5000).has_value());
}

// Issue 6, priority 2: kill -9 of the SM; a new SM and equal rosters within 1.5 s (default
// liveness: link down after 1 s of silence); chat continues.
TEST(NodeGroup, KilledSmIsReplacedAndChatContinues)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol"});
    ASSERT_EQ(peers.size(), 3u);
    auto *a = peers[0], *b = peers[1], *c = peers[2];

    QElapsedTimer t;
    t.start();
    a->kill();
    QString detail;
    ASSERT_TRUE(group.rostersEqual({b, c}, 2, 5000, &detail));
    const qint64 failoverMs = t.elapsed();
    std::printf("{\"failover_ms\": %lld}\n", static_cast<long long>(failoverMs));
    EXPECT_NE(b->lastRoster().value("sm").toString(), a->device);
    EXPECT_LE(failoverMs, 1500) << detail.toStdString();

    ASSERT_TRUE(b->ask({{"cmd", "say"}, {"text", "after failover"}}, "sent").has_value());
    EXPECT_TRUE(c->waitEvent([](auto& e) { return isChat(e, "after failover"); }, 5000));
    EXPECT_TRUE(b->waitEvent("delivered", 5000).has_value());
}

// Issue 6, priority 4: a side-chat reaches only its recipients.
TEST(NodeGroup, SideChatReachesOnlyItsRecipients)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol"});
    ASSERT_EQ(peers.size(), 3u);
    auto *a = peers[0], *b = peers[1], *c = peers[2];

    ASSERT_TRUE(
        a->ask({{"cmd", "say"}, {"text", "just for bob"}, {"to", QJsonArray{b->account}}}, "sent")
            .has_value());
    auto got = b->waitEvent([](auto& e) { return isChat(e, "just for bob"); }, 5000);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(got->value("private").toBool());
    // A public message after it: once carol has that, the private one would have arrived too.
    ASSERT_TRUE(a->ask({{"cmd", "say"}, {"text", "for everyone"}}, "sent").has_value());
    EXPECT_TRUE(c->waitEvent([](auto& e) { return isChat(e, "for everyone"); }, 5000));
    EXPECT_TRUE(b->waitEvent([](auto& e) { return isChat(e, "for everyone"); }, 5000));
    for (const auto& e : c->events())
        EXPECT_FALSE(isChat(e, "just for bob")) << "carol saw bob's side-chat";
    EXPECT_FALSE(historyHas(c, "just for bob"));
    EXPECT_TRUE(historyHas(c, "for everyone"));
    EXPECT_TRUE(historyHas(b, "just for bob"));
    EXPECT_TRUE(historyHas(a, "just for bob"));
    // alice's link traffic: the side-chat's text went to bob's link only (carol got a stub).
    auto stats = a->ask({{"cmd", "stats"}}, "stats");
    ASSERT_TRUE(stats.has_value());
    const QJsonObject sentTo = stats->value("chat_sent_to").toObject();
    EXPECT_EQ(sentTo.value(b->device).toInt(), 2);
    EXPECT_EQ(sentTo.value(c->device).toInt(), 1);

    // Typing reaches the others, rate-limited, and is cleared by sending.
    a->send({{"cmd", "type"}, {"text", "dra"}});
    a->send({{"cmd", "type"}, {"text", "draft"}});
    EXPECT_TRUE(c->waitEvent(
        [](auto& e) { return e.value("event") == "typing" && e.value("text") == "draft"; }, 3000));
    ASSERT_TRUE(a->ask({{"cmd", "say"}, {"text", "draft"}}, "sent").has_value());
    EXPECT_TRUE(c->waitEvent(
        [](auto& e) { return e.value("event") == "typing" && e.value("text") == ""; }, 3000));
}

// The SM's graceful leave hands over at once (BYE, no failure detection needed).
TEST(NodeGroup, LeavingSmHandsOverQuickly)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol"});
    ASSERT_EQ(peers.size(), 3u);
    auto *a = peers[0], *b = peers[1], *c = peers[2];
    QElapsedTimer t;
    t.start();
    a->send({{"cmd", "leave"}});
    QString detail;
    ASSERT_TRUE(group.rostersEqual({b, c}, 2, 3000, &detail));
    const qint64 seenByTestMs = t.elapsed();
    const auto left = a->waitEvent("left", 2000);
    ASSERT_TRUE(left.has_value());
    EXPECT_NE(b->lastRoster().value("sm").toString(), a->device);
    // From alice's leaving to the later of bob's and carol's new roster, on the peers' own
    // clock: the test's reading of their output on a loaded machine is not the hand-over.
    const qint64 leftAtUs = left->value("at_us").toInteger();
    qint64 handoverUs = 0;
    for (auto* p : {b, c}) {
        const auto events = p->events();
        const auto roster = std::find_if(events.begin(), events.end(), [&](const QJsonObject& e) {
            return e.value("event") == "roster" && e.value("at_us").toInteger() >= leftAtUs &&
                   e.value("members").toArray().size() == 2;
        });
        ASSERT_NE(roster, events.end()) << p->name.toStdString();
        handoverUs = std::max(handoverUs, roster->value("at_us").toInteger() - leftAtUs);
    }
    const qint64 handoverMs = handoverUs / 1000;
    std::printf("{\"handover_ms\": %lld, \"seen_by_test_ms\": %lld}\n",
                static_cast<long long>(handoverMs), static_cast<long long>(seenByTestMs));
    // The target is 100 ms (measured: 20-50 ms, the bid window plus one round trip); the bound
    // here leaves room for a loaded 2-core CI machine.
    EXPECT_LE(handoverMs, 200) << detail.toStdString();
}

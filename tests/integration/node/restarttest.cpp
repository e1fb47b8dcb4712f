#include "peergroup.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

// Issue 6, priority 3: a peer restarted with the same profile keeps its identity and history.
TEST(NodeRestart, RestartedPeerKeepsIdentityAndHistory)
{
    PeerGroup group;
    auto* a = group.add("alice");
    auto* b = group.add("bob");
    const QString sid = group.buildSession({a, b});
    ASSERT_FALSE(sid.isEmpty());
    ASSERT_TRUE(group.rostersEqual({a, b}, 2, 10000));
    for (const char* text : {"one", "two", "three"}) {
        ASSERT_TRUE(a->ask({{"cmd", "say"}, {"text", text}}, "sent").has_value());
        ASSERT_TRUE(b->waitEvent(
            [&](auto& e) { return e.value("event") == "chat" && e.value("text") == text; }, 5000));
    }
    ASSERT_TRUE(b->ask({{"cmd", "say"}, {"text", "four"}}, "sent").has_value());
    ASSERT_TRUE(b->waitEvent("delivered", 5000).has_value());

    const QString account = b->account, device = b->device;
    ASSERT_TRUE(b->quit()) << "quit did not exit 0";
    ASSERT_TRUE(group.restart(b));
    EXPECT_EQ(b->account, account);
    EXPECT_EQ(b->device, device);
    auto who = b->ask({{"cmd", "whoami"}}, "whoami");
    ASSERT_TRUE(who.has_value());
    EXPECT_EQ(who->value("device").toString(), device);
    EXPECT_EQ(who->value("name").toString(), "bob");

    // b left with BYE on quit: it is no longer in the session, its history still is on disk.
    auto h = b->ask({{"cmd", "history"}, {"sid", sid}, {"limit", 10}}, "history");
    ASSERT_TRUE(h.has_value()) << "no history event (no session restored?)";
    QStringList texts;
    for (const auto& m : h->value("messages").toArray())
        texts.append(m.toObject().value("text").toString());
    EXPECT_EQ(texts, QStringList({"one", "two", "three", "four"}));
}

// A crashed member (kill -9) comes back with its identity and history, rejoins the session
// from its record on disk, and receives what is said afterwards.
TEST(NodeRestart, KilledMemberRestartsIntoTheSessionWithItsHistory)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol"});
    ASSERT_EQ(peers.size(), 3u);
    auto *a = peers[0], *b = peers[1], *c = peers[2];
    ASSERT_TRUE(a->ask({{"cmd", "say"}, {"text", "before the crash"}}, "sent").has_value());
    ASSERT_TRUE(a->waitEvent("delivered", 5000).has_value());

    const QString device = b->device;
    b->kill();
    ASSERT_TRUE(group.restart(b));
    EXPECT_EQ(b->device, device);
    auto h = b->ask({{"cmd", "history"}, {"limit", 10}}, "history");
    ASSERT_TRUE(h.has_value()) << "the session was not restored";
    ASSERT_EQ(h->value("messages").toArray().size(), 1);
    EXPECT_EQ(h->value("messages").toArray().at(0).toObject().value("text").toString(),
              "before the crash");
    ASSERT_TRUE(group.rostersEqual({a, b, c}, 3, 10000));
    ASSERT_TRUE(a->ask({{"cmd", "say"}, {"text", "after the crash"}}, "sent").has_value());
    EXPECT_TRUE(b->waitEvent(
        [](auto& e) { return e.value("event") == "chat" && e.value("text") == "after the crash"; },
        5000));
}

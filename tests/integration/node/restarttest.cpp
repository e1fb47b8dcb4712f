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
    ASSERT_FALSE(group.buildSession({a, b}).isEmpty());
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

    auto h = b->ask({{"cmd", "history"}, {"limit", 10}}, "history");
    ASSERT_TRUE(h.has_value()) << "no history event (no session restored?)";
    QStringList texts;
    for (const auto& m : h->value("messages").toArray())
        texts.append(m.toObject().value("text").toString());
    EXPECT_EQ(texts, QStringList({"one", "two", "three", "four"}));
}

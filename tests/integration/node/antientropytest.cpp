#include "peergroup.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

// §5.1 rule 8: a sender that reached only one member before it was killed; after its removal
// the members exchange high-water marks and the others pull the message from that member.
TEST(NodeAntiEntropy, MessageOfAKilledSenderReachesEveryLiveMember)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol", "sam"});
    ASSERT_EQ(peers.size(), 4u);
    auto *a = peers[0], *b = peers[1], *c = peers[2], *s = peers[3];
    for (auto* lost : {b, c})
        s->send({{"cmd", "fault"}, {"drop_chat_to", lost->device}});
    ASSERT_TRUE(s->ask({{"cmd", "say"}, {"text", "last words"}}, "sent").has_value());
    ASSERT_TRUE(a->waitEvent([](auto& e) { return isChat(e, "last words"); }, 5000));
    s->kill();

    for (auto* p : {b, c}) {
        auto got = p->waitEvent([](auto& e) { return isChat(e, "last words"); }, 8000);
        ASSERT_TRUE(got.has_value()) << p->name.toStdString() << " never got it";
        EXPECT_EQ(got->value("device").toString(), s->device);
    }
    ASSERT_TRUE(group.rostersEqual({a, b, c}, 3, 5000));
    for (auto* p : {a, b, c})
        EXPECT_EQ(historyTexts(p), QStringList{"last words"}) << p->name.toStdString();
}

// A gap seen while the sender is alive: its next message shows the hole, and the receiver
// pulls the missing one from a member that has it, in the right place.
TEST(NodeAntiEntropy, AGapInASendersSequenceIsPulledFromAnotherMember)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol"});
    ASSERT_EQ(peers.size(), 3u);
    auto *a = peers[0], *b = peers[1], *c = peers[2];
    b->send({{"cmd", "fault"}, {"drop_chat_to", c->device}});
    ASSERT_TRUE(b->ask({{"cmd", "say"}, {"text", "one"}}, "sent").has_value());
    ASSERT_TRUE(a->waitEvent([](auto& e) { return isChat(e, "one"); }, 5000));
    b->send({{"cmd", "fault"}, {"drop_chat_to", c->device}, {"on", false}});
    ASSERT_TRUE(b->ask({{"cmd", "say"}, {"text", "two"}}, "sent").has_value());
    ASSERT_TRUE(c->waitEvent([](auto& e) { return isChat(e, "two"); }, 5000));
    ASSERT_TRUE(c->waitEvent([](auto& e) { return isChat(e, "one"); }, 5000))
        << "the hole was not filled";
    EXPECT_EQ(historyTexts(c), QStringList({"one", "two"}));
}

// DESIGN §6: a joiner receives the session's recent history from the SM (everyone's
// messages, no side-chats), stored before it is shown, and then what is said after.
TEST(NodeAntiEntropy, JoinerReceivesRecentHistoryWithoutSideChats)
{
    PeerGroup group;
    auto* a = group.add("alice");
    auto* b = group.add("bob");
    auto* c = group.add("carol");
    ASSERT_FALSE(group.buildSession({a, b}).isEmpty());
    ASSERT_TRUE(group.rostersEqual({a, b}, 2, 10000));
    for (auto* p : {a, b, a}) {
        const QString text = "before " + p->name;
        ASSERT_TRUE(p->ask({{"cmd", "say"}, {"text", text}}, "sent").has_value());
        ASSERT_TRUE((p == a ? b : a)->waitEvent([&](auto& e) { return isChat(e, text); }, 5000));
    }
    ASSERT_TRUE(
        b->ask({{"cmd", "say"}, {"text", "secret"}, {"to", QJsonArray{a->account}}}, "sent"));
    ASSERT_TRUE(a->waitEvent([](auto& e) { return isChat(e, "secret"); }, 5000));

    a->send({{"cmd", "invite"}, {"account", c->account}, {"device", c->device}});
    ASSERT_TRUE(a->waitEvent("invite_result", 15000).has_value());
    ASSERT_TRUE(group.rostersEqual({a, b, c}, 3, 10000));
    for (const QString text : {"before alice", "before bob"})
        EXPECT_TRUE(c->waitEvent([&](auto& e) { return isChat(e, text); }, 5000))
            << text.toStdString();
    ASSERT_TRUE(b->ask({{"cmd", "say"}, {"text", "after"}}, "sent").has_value());
    ASSERT_TRUE(c->waitEvent([](auto& e) { return isChat(e, "after"); }, 5000));
    EXPECT_EQ(historyTexts(c),
              QStringList({"before alice", "before bob", "before alice", "after"}));
}

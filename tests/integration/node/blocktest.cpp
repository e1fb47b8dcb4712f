#include "peergroup.h"

#include <QElapsedTimer>
#include <QJsonArray>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

// DESIGN §4: blocking looks like being offline. The blocked inviter gets 480 ("offline"),
// and once unblocked the same invitation goes through.
TEST(NodeBlock, BlockedInviterSeesOfflineUntilUnblocked)
{
    PeerGroup group;
    auto* a = group.add("alice");
    auto* b = group.add("bob");
    auto blocked = b->ask({{"cmd", "block"}, {"account", a->account}}, "contacts");
    ASSERT_TRUE(blocked.has_value());
    ASSERT_EQ(blocked->value("contacts").toArray().size(), 1);
    EXPECT_TRUE(blocked->value("contacts").toArray().at(0).toObject().value("blocked").toBool());

    auto session = a->ask({{"cmd", "create"}}, "session");
    ASSERT_TRUE(session.has_value());
    a->send({{"cmd", "invite"}, {"account", b->account}, {"device", b->device}});
    // Bob's mailbox drops the blocked account's request unanswered (issue 13), so Alice sees
    // exactly what an offline device gives: 480 when her invitation times out (15 s).
    auto refused = a->waitEvent("invite_result", 25000);
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(refused->value("code").toInt(), 480);
    EXPECT_TRUE(refused->value("reason").toString().contains("ffline"))
        << refused->value("reason").toString().toStdString();
    EXPECT_FALSE(b->waitEvent("invited", 200).has_value()) << "bob was not even asked";

    ASSERT_TRUE(b->ask({{"cmd", "unblock"}, {"account", a->account}}, "contacts").has_value());
    a->send({{"cmd", "invite"}, {"account", b->account}, {"device", b->device}});
    auto accepted = a->waitEvent("invite_result", 15000);
    ASSERT_TRUE(accepted.has_value());
    EXPECT_EQ(accepted->value("code").toInt(), 200);
    EXPECT_TRUE(group.rostersEqual({a, b}, 2, 10000));
}

// A member that blocks another drops its chat (as if offline); the others still get it, and
// the block survives a restart.
TEST(NodeBlock, ChatFromABlockedMemberIsDroppedAndTheBlockIsKept)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol"});
    ASSERT_EQ(peers.size(), 3u);
    auto *a = peers[0], *b = peers[1], *c = peers[2];
    ASSERT_TRUE(c->ask({{"cmd", "block"}, {"account", b->account}}, "contacts").has_value());

    ASSERT_TRUE(b->ask({{"cmd", "say"}, {"text", "from bob"}}, "sent").has_value());
    EXPECT_TRUE(a->waitEvent([](auto& e) { return isChat(e, "from bob"); }, 5000));
    EXPECT_FALSE(c->waitEvent([](auto& e) { return isChat(e, "from bob"); }, 1000));
    ASSERT_TRUE(a->ask({{"cmd", "say"}, {"text", "from alice"}}, "sent").has_value());
    EXPECT_TRUE(c->waitEvent([](auto& e) { return isChat(e, "from alice"); }, 5000));

    ASSERT_TRUE(c->quit());
    ASSERT_TRUE(group.restart(c));
    auto contacts = c->ask({{"cmd", "contacts"}}, "contacts");
    ASSERT_TRUE(contacts.has_value());
    ASSERT_EQ(contacts->value("contacts").toArray().size(), 1);
    const auto entry = contacts->value("contacts").toArray().at(0).toObject();
    EXPECT_EQ(entry.value("account").toString(), b->account);
    EXPECT_TRUE(entry.value("blocked").toBool());
}

// Lazy loading: "history" with before_lamport/before_device returns the messages just
// before that one, oldest first (Node::historyBefore).
TEST(NodeHistory, HistoryBeforeAMessagePagesBackwards)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob"});
    ASSERT_EQ(peers.size(), 2u);
    auto *a = peers[0], *b = peers[1];
    for (int i = 1; i <= 6; ++i) {
        auto* from = i % 2 ? a : b;
        const QString text = QString("m%1").arg(i);
        ASSERT_TRUE(from->ask({{"cmd", "say"}, {"text", text}}, "sent").has_value());
        ASSERT_TRUE((from == a ? b : a)->waitEvent([&](auto& e) { return isChat(e, text); }, 5000));
    }
    auto last = b->ask({{"cmd", "history"}, {"limit", 2}}, "history");
    ASSERT_TRUE(last.has_value());
    const auto page = last->value("messages").toArray();
    ASSERT_EQ(page.size(), 2);
    EXPECT_EQ(page.at(0).toObject().value("text").toString(), "m5");
    const auto oldest = page.at(0).toObject();
    auto older = b->ask({{"cmd", "history"},
                         {"limit", 3},
                         {"before_lamport", oldest.value("lamport")},
                         {"before_device", oldest.value("device")}},
                        "history");
    ASSERT_TRUE(older.has_value());
    QStringList texts;
    for (const auto& m : older->value("messages").toArray())
        texts.append(m.toObject().value("text").toString());
    EXPECT_EQ(texts, QStringList({"m2", "m3", "m4"}));
}

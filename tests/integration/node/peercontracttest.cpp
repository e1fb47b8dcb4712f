#include "peergroup.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

// Bad input never stops a peer: each bad line gets an "error" event and the next command
// is still answered.
TEST(NodePeerContract, MalformedLinesAreErrorsAndThePeerKeepsRunning)
{
    PeerGroup group;
    auto* a = group.add("alice");
    a->sendRaw("this is not json");
    ASSERT_TRUE(a->waitEvent("error", 3000).has_value());
    a->send({{"nocmd", 1}});
    auto e1 = a->waitEvent("error", 3000);
    ASSERT_TRUE(e1.has_value());
    a->send({{"cmd", "fly"}});
    auto e2 = a->waitEvent("error", 3000);
    ASSERT_TRUE(e2.has_value());
    EXPECT_EQ(e2->value("cmd").toString(), "fly");
    a->send({{"cmd", "say"}, {"text", "nobody to talk to"}});
    auto e3 = a->waitEvent("error", 3000);
    ASSERT_TRUE(e3.has_value()) << "say without a session must be refused";
    auto who = a->ask({{"cmd", "whoami"}}, "whoami");
    ASSERT_TRUE(who.has_value());
    EXPECT_EQ(who->value("account").toString(), a->account);
    EXPECT_EQ(who->value("class").toString(), "desktop");
    EXPECT_TRUE(a->quit());
}

// Attack (on ourselves): a 20 KB `say` was stored and reported "sent", then every peer refused
// it (16 KiB limit). Now the sender refuses it with a reason, and nothing is stored.
TEST(NodePeerContract, SayWithA20KbTextIsRefusedAtTheSenderNotStoredOrSent)
{
    PeerGroup group;
    auto* a = group.add("alice");
    auto session = a->ask({{"cmd", "create"}}, "session");
    ASSERT_TRUE(session.has_value());
    const QString sid = session->value("sid").toString();
    a->send({{"cmd", "say"}, {"sid", sid}, {"text", QString(20 * 1024, QLatin1Char('x'))}});
    auto refused = a->waitEvent("error", 3000);
    ASSERT_TRUE(refused.has_value()) << "a 20 KB message must be refused at the sender";
    EXPECT_EQ(refused->value("cmd").toString(), "say");
    EXPECT_TRUE(refused->value("message").toString().contains("too long"))
        << refused->value("message").toString().toStdString();
    // 16 KiB of UTF-8 is still fine, and only it is in the history.
    ASSERT_TRUE(
        a->ask({{"cmd", "say"}, {"sid", sid}, {"text", QString(16 * 1024, QLatin1Char('y'))}},
               "sent")
            .has_value());
    auto history = a->ask({{"cmd", "history"}, {"sid", sid}}, "history");
    ASSERT_TRUE(history.has_value());
    EXPECT_EQ(history->value("messages").toArray().size(), 1);
    EXPECT_TRUE(a->quit());
}

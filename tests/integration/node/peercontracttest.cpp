#include "peergroup.h"

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

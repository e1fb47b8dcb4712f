#include "net/iceservertext.h"

#include <gtest/gtest.h>

using namespace plenum::net;

TEST(IceServerText, StunNeedsALiteralAddressAndAPort)
{
    auto s = parseStunServer(QStringLiteral("10.0.0.1:3478"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->ip, QStringLiteral("10.0.0.1"));
    EXPECT_EQ(s->port, 3478);
    EXPECT_TRUE(parseStunServer(QStringLiteral("::1:19302"))); // the last ':' splits the port
    EXPECT_FALSE(parseStunServer(QStringLiteral("stun.example.org:3478"))); // no DNS
    EXPECT_FALSE(parseStunServer(QStringLiteral("10.0.0.1")));
    EXPECT_FALSE(parseStunServer(QStringLiteral("10.0.0.1:0")));
    EXPECT_FALSE(parseStunServer(QStringLiteral("10.0.0.1:65536")));
    EXPECT_FALSE(parseStunServer(QString()));
}

TEST(IceServerText, TurnSplitsUserPasswordAndServer)
{
    auto t = parseTurnServer(QStringLiteral("alice:p:a@ss@100.64.0.1:3478"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->username, QStringLiteral("alice"));
    EXPECT_EQ(t->password, QStringLiteral("p:a@ss"));
    EXPECT_EQ(t->ip, QStringLiteral("100.64.0.1"));
    EXPECT_EQ(t->port, 3478);
    EXPECT_FALSE(parseTurnServer(QStringLiteral(":pass@100.64.0.1:3478"))); // no user
    EXPECT_FALSE(parseTurnServer(QStringLiteral("100.64.0.1:3478")));       // no credentials
    EXPECT_FALSE(parseTurnServer(QStringLiteral("alice:pass@turn.example:3478")));
}

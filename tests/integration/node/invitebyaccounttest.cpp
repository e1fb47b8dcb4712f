#include "peergroup.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

namespace {

int membersOfAccount(const QJsonObject& roster, const QString& account)
{
    int n = 0;
    for (const auto& m : roster.value("members").toArray())
        if (m.toObject().value("account").toString() == account) ++n;
    return n;
}

} // namespace

// DESIGN §2: inviting an account rings all of its online devices (found through its presence
// on the DHT); the first to accept joins and the others are cancelled.
TEST(NodeInvite, InviteByAccountRingsItsDevicesAndOneJoins)
{
    PeerGroup group;
    auto* a = group.add("alice");
    auto* b = group.add("bob");
    auto code = b->ask({{"cmd", "pair_code"}}, "pair_code");
    ASSERT_TRUE(code.has_value());
    auto* phone = group.add("bob-phone", {"--pair", code->value("code").toString()});
    ASSERT_EQ(phone->account, b->account);

    ASSERT_TRUE(a->ask({{"cmd", "create"}}, "session").has_value());
    a->send({{"cmd", "invite"}, {"account", b->account}}); // no device: from presence
    auto result = a->waitEvent("invite_result", 15000);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->value("code").toInt(), 200)
        << result->value("reason").toString().toStdString();
    EXPECT_EQ(result->value("target").toString(), b->account);
    const QString joined = result->value("device").toString();
    EXPECT_TRUE(joined == b->device || joined == phone->device);

    auto* in = joined == b->device ? b : phone;
    auto* other = joined == b->device ? phone : b;
    ASSERT_TRUE(group.rostersEqual({a, in}, 2, 10000));
    EXPECT_EQ(membersOfAccount(a->lastRoster(), b->account), 1);
    EXPECT_TRUE(other->waitEvent("invited", 1000).has_value()) << "both devices rang";
    EXPECT_TRUE(other->lastRoster().isEmpty()) << "the other device did not join";
}

// An account with no device online: the inviter hears "offline" once the presence wait ends.
TEST(NodeInvite, InviteByAccountWithNoDeviceOnlineIsOffline)
{
    PeerGroup group;
    auto* a = group.add("alice");
    ASSERT_TRUE(a->ask({{"cmd", "create"}}, "session").has_value());
    const QString nobody = QString(64, QLatin1Char('7'));
    a->send({{"cmd", "invite"}, {"account", nobody}});
    auto result = a->waitEvent("invite_result", 10000);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->value("code").toInt(), 480);
    EXPECT_EQ(result->value("target").toString(), nobody);
}

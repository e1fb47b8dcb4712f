#include "peergroup.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

// Issue 6: a fresh device B pairs into A's account with A's code; B then speaks for A's
// account (whoami), holds A's contacts, and both list both devices.
TEST(NodePairing, FreshDeviceJoinsTheAccountWithItsContacts)
{
    PeerGroup group;
    auto* a = group.add("alice");
    auto* b = group.add("alice-laptop");
    auto* c = group.add("carol");
    ASSERT_TRUE(a->ask({{"cmd", "add_contact"}, {"account", c->account}}, "contacts"));
    ASSERT_TRUE(a->ask({{"cmd", "block"}, {"account", "ab" + c->account.mid(2)}}, "contacts"));

    auto code = a->ask({{"cmd", "pair_code"}}, "pair_code");
    ASSERT_TRUE(code.has_value());
    const QString deviceB = b->device;
    b->send({{"cmd", "pair"}, {"code", code->value("code")}});
    auto paired = b->waitEvent(
        [](auto& e) {
            return e.value("event") == "paired" || e.value("event") == "pairing_failed";
        },
        15000);
    ASSERT_TRUE(paired.has_value());
    ASSERT_EQ(paired->value("event").toString(), "paired")
        << paired->value("reason").toString().toStdString();
    EXPECT_EQ(paired->value("account").toString(), a->account);
    auto onA = a->waitEvent("device_paired", 5000);
    ASSERT_TRUE(onA.has_value());
    EXPECT_EQ(onA->value("device").toString(), deviceB);

    auto who = b->ask({{"cmd", "whoami"}}, "whoami");
    ASSERT_TRUE(who.has_value());
    EXPECT_EQ(who->value("account").toString(), a->account);
    EXPECT_EQ(who->value("device").toString(), deviceB) << "the device keeps its own key";
    EXPECT_EQ(who->value("name").toString(), "alice");

    auto contacts = b->ask({{"cmd", "contacts"}}, "contacts");
    ASSERT_TRUE(contacts.has_value());
    QStringList accounts;
    for (const auto& v : contacts->value("contacts").toArray())
        accounts.append(v.toObject().value("account").toString());
    EXPECT_TRUE(accounts.contains(c->account)) << "A's contacts arrive on B";
    EXPECT_EQ(accounts.size(), 2) << "and A's blocks";

    for (auto* p : {a, b}) {
        auto devices = p->ask({{"cmd", "devices"}}, "devices");
        ASSERT_TRUE(devices.has_value());
        EXPECT_EQ(devices->value("devices").toArray().size(), 2) << p->name.toStdString();
    }

    // The paired identity is on disk: a restart keeps it.
    ASSERT_TRUE(b->quit());
    ASSERT_TRUE(group.restart(b));
    EXPECT_EQ(b->account, a->account);
    EXPECT_EQ(b->device, deviceB);

    // The same from the command line: with --pair, "ready" names the paired account.
    auto second = b->ask({{"cmd", "pair_code"}}, "pair_code");
    ASSERT_TRUE(second.has_value()) << "any paired device can pair the next one";
    auto* tablet = group.add("alice-tablet", {"--pair", second->value("code").toString()});
    EXPECT_EQ(tablet->account, a->account);
    EXPECT_TRUE(b->waitEvent("device_paired", 5000).has_value());
}

// `pair` is refused on a profile that already has contacts (or history, or sessions), with
// a reason, and the device keeps its account.
TEST(NodePairing, PairingAProfileInUseIsRefused)
{
    PeerGroup group;
    auto* a = group.add("alice");
    auto* b = group.add("bob");
    ASSERT_TRUE(b->ask({{"cmd", "add_contact"}, {"account", a->account}}, "contacts"));
    auto code = a->ask({{"cmd", "pair_code"}}, "pair_code");
    ASSERT_TRUE(code.has_value());
    auto refused = b->ask({{"cmd", "pair"}, {"code", code->value("code")}}, "error");
    ASSERT_TRUE(refused.has_value());
    EXPECT_TRUE(refused->value("message").toString().contains("contacts"))
        << refused->value("message").toString().toStdString();
    auto who = b->ask({{"cmd", "whoami"}}, "whoami");
    EXPECT_NE(who->value("account").toString(), a->account);
}

#include "identity/contactlist.h"
#include "identity/plenumlink.h"

#include <QCborArray>
#include <QCborMap>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

TEST(PlenumLink, FormatsAndParsesBack)
{
    PlenumLink link{AccountId::fromNumber(0xabcdef), QStringLiteral("Zoë & co")};
    const QString text = link.toString();
    EXPECT_TRUE(text.startsWith(QStringLiteral("plenum:account/000000")));
    auto back = PlenumLink::parse(text);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back->account, link.account);
    EXPECT_EQ(back->displayName, link.displayName);
    auto bare =
        PlenumLink::parse(QStringLiteral("  PLENUM:account/") + link.account.toHex().toUpper());
    ASSERT_TRUE(bare.ok()) << bare.error().toStdString();
    EXPECT_EQ(bare->account, link.account);
    EXPECT_TRUE(bare->displayName.isEmpty());
}

TEST(PlenumLink, BadLinksAreRefusedWithAReason)
{
    const QString hex = AccountId::fromNumber(1).toHex();
    for (const QString& bad :
         {QStringLiteral("https://example.org"), QStringLiteral("plenum:account/1234"),
          QStringLiteral("plenum:account/") + hex + QStringLiteral("00"),
          QStringLiteral("plenum:account/") + hex.left(63) + u'g',
          QStringLiteral("plenum:account/") + hex + QStringLiteral("?name=") + QString(100, u'x'),
          QStringLiteral("plenum:account/") + QString(600, u'a')}) {
        auto r = PlenumLink::parse(bad);
        EXPECT_FALSE(r.ok()) << bad.toStdString();
        if (!r.ok()) {
            EXPECT_FALSE(r.error().isEmpty());
        }
    }
}

TEST(ContactList, AddByIdOrLinkAndBlock)
{
    ContactList c;
    ASSERT_TRUE(c.add(AccountId::fromNumber(1), QStringLiteral("Bob")).ok());
    ASSERT_TRUE(
        c.addFromLink(PlenumLink{AccountId::fromNumber(2), QStringLiteral("Carol")}.toString())
            .ok());
    EXPECT_FALSE(c.addFromLink(u"plenum:nope").ok());
    EXPECT_FALSE(c.add(AccountId{}, QStringLiteral("nobody")).ok());
    EXPECT_EQ(c.all().size(), 2);
    EXPECT_EQ(c.find(AccountId::fromNumber(2))->displayName, QStringLiteral("Carol"));
    EXPECT_FALSE(c.isBlocked(AccountId::fromNumber(1)));
    ASSERT_TRUE(c.setBlocked(AccountId::fromNumber(1), true).ok());
    EXPECT_TRUE(c.isBlocked(AccountId::fromNumber(1)));
    // Blocking a stranger records them, and unblocking works.
    ASSERT_TRUE(c.setBlocked(AccountId::fromNumber(3), true).ok());
    EXPECT_TRUE(c.isBlocked(AccountId::fromNumber(3)));
    ASSERT_TRUE(c.setBlocked(AccountId::fromNumber(3), false).ok());
    EXPECT_FALSE(c.isBlocked(AccountId::fromNumber(3)));
    EXPECT_TRUE(c.remove(AccountId::fromNumber(2)));
    EXPECT_FALSE(c.remove(AccountId::fromNumber(2)));
}

TEST(ContactList, CborRoundTripAndMergeKeepBlocks)
{
    ContactList a;
    ASSERT_TRUE(a.add(AccountId::fromNumber(1), QStringLiteral("Bob")).ok());
    ASSERT_TRUE(a.setBlocked(AccountId::fromNumber(4), true).ok());
    auto back = ContactList::fromCbor(QCborValue::fromCbor(a.toCbor().toCbor()));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->all().size(), 2);
    EXPECT_TRUE(back->isBlocked(AccountId::fromNumber(4)));
    ContactList b;
    ASSERT_TRUE(b.add(AccountId::fromNumber(4), QStringLiteral("Dan")).ok());
    b.mergeFrom(a);
    EXPECT_TRUE(b.isBlocked(AccountId::fromNumber(4)));
    EXPECT_TRUE(b.contains(AccountId::fromNumber(1)));
    EXPECT_FALSE(ContactList::fromCbor(QCborValue(42)).ok());
    QCborArray bad;
    bad.append(QCborMap{{QStringLiteral("id"), QByteArray("short")}});
    EXPECT_FALSE(ContactList::fromCbor(bad).ok());
}

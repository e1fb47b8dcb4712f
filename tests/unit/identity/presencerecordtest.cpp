#include "identity/presencerecord.h"
#include "identity/dhtconfig.h"
#include "testaccounts.h"

#include <QCborArray>
#include <QCborMap>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

namespace {

PresenceRecord sample(const Profile& p)
{
    PresenceRecord r;
    r.displayName = QStringLiteral("Alice");
    r.deviceName = p.device.name();
    r.state = PresenceState::Busy;
    r.deviceClass = DeviceClass::Phone;
    r.accountDevices = {p.device.id()};
    r.published = QDateTime::fromSecsSinceEpoch(1'800'000'000);
    r.expires = r.published.addSecs(120);
    return r;
}

} // namespace

TEST(PresenceRecord, RoundTripsAndNamesItsDevice)
{
    const Profile alice =
        testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("phone"));
    auto r = PresenceRecord::decode(sample(alice).encode(alice.device), alice.account.id());
    ASSERT_TRUE(r.ok()) << r.error().toStdString();
    EXPECT_EQ(r->device, alice.device.id());
    EXPECT_EQ(r->state, PresenceState::Busy);
    EXPECT_EQ(r->deviceClass, DeviceClass::Phone);
    EXPECT_EQ(r->deviceName, QStringLiteral("phone"));
    EXPECT_TRUE(r->isLive(r->published.addSecs(60)));
    EXPECT_FALSE(r->isLive(r->published.addSecs(121)));
}

TEST(PresenceRecord, TamperedOrForeignRecordsAreRejected)
{
    const Profile alice =
        testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("phone"));
    const Profile bob = testsupport::testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc"));
    QByteArray bytes = sample(alice).encode(alice.device);
    // Published under Alice's key by Bob: belongs to another account.
    auto foreign = PresenceRecord::decode(sample(bob).encode(bob.device), alice.account.id());
    ASSERT_FALSE(foreign.ok());
    EXPECT_TRUE(foreign.error().contains("another account")) << foreign.error().toStdString();
    // Flip the state byte inside the signed part.
    const qsizetype pos = bytes.indexOf("state") + 5;
    bytes[pos] = static_cast<char>(bytes[pos] ^ 0x01);
    auto tampered = PresenceRecord::decode(bytes, alice.account.id());
    ASSERT_FALSE(tampered.ok());
    EXPECT_FALSE(PresenceRecord::decode("junk", alice.account.id()).ok());
    EXPECT_FALSE(
        PresenceRecord::decode(QByteArray(PresenceRecord::kMaxEncoded + 1, 'x'), alice.account.id())
            .ok());
    // A revoked device's presence is ignored.
    EXPECT_FALSE(PresenceRecord::decode(sample(alice).encode(alice.device), alice.account.id(),
                                        {alice.device.id()})
                     .ok());
}

// "Continue here" (issue 15): a device lists the sessions it is live in, signed with the rest
// of its record; the list is bounded in count and title length, on both ends.
TEST(PresenceRecord, CarriesTheLiveSessionsBounded)
{
    const Profile alice =
        testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("phone"));
    PresenceRecord rec = sample(alice);
    rec.sessions = {{SessionId::fromNumber(7), QStringLiteral("Bob and Carol")},
                    {SessionId::fromNumber(8), QStringLiteral("Dan")}};
    auto r = PresenceRecord::decode(rec.encode(alice.device), alice.account.id());
    ASSERT_TRUE(r.ok()) << r.error().toStdString();
    EXPECT_EQ(r->sessions, rec.sessions);

    // encode() keeps the first kMaxLiveSessions and cuts long titles.
    rec.sessions.clear();
    for (int i = 0; i < PresenceRecord::kMaxLiveSessions + 5; ++i)
        rec.sessions.append({SessionId::fromNumber(100 + i), QString(80, QChar('x'))});
    r = PresenceRecord::decode(rec.encode(alice.device), alice.account.id());
    ASSERT_TRUE(r.ok()) << r.error().toStdString();
    EXPECT_EQ(r->sessions.size(), PresenceRecord::kMaxLiveSessions);
    EXPECT_EQ(r->sessions.front().title.size(), PresenceRecord::kMaxTitleChars);

    // A record signed with more than that (another implementation) is refused in words.
    const auto resigned = [&](const QCborValue& sessions) {
        const QCborMap outer = QCborValue::fromCbor(sample(alice).encode(alice.device)).toMap();
        QCborMap inner =
            QCborValue::fromCbor(outer.value(QStringLiteral("inner")).toByteArray()).toMap();
        if (sessions.isUndefined())
            inner.remove(QStringLiteral("sessions"));
        else
            inner.insert(QStringLiteral("sessions"), sessions);
        const QByteArray bytes = inner.toCborValue().toCbor();
        return QCborMap{{QStringLiteral("inner"), bytes},
                        {QStringLiteral("sig"), alice.device.deviceKey().sign(bytes)}}
            .toCborValue()
            .toCbor();
    };
    QCborArray many;
    for (int i = 0; i <= PresenceRecord::kMaxLiveSessions; ++i)
        many.append(QCborArray{SessionId::fromNumber(i).toBytes(), QStringLiteral("t")});
    auto tooMany = PresenceRecord::decode(resigned(many), alice.account.id());
    ASSERT_FALSE(tooMany.ok());
    EXPECT_TRUE(tooMany.error().contains("too many live sessions"))
        << tooMany.error().toStdString();
    const QCborArray longTitle{
        QCborArray{SessionId::fromNumber(1).toBytes(), QString(49, QChar('y'))}};
    EXPECT_FALSE(PresenceRecord::decode(resigned(longTitle), alice.account.id()).ok());
    const QCborArray badSid{QCborArray{QByteArray("short"), QStringLiteral("t")}};
    EXPECT_FALSE(PresenceRecord::decode(resigned(badSid), alice.account.id()).ok());
    // Without the field (an older version): no live sessions.
    auto none = PresenceRecord::decode(resigned(QCborValue()), alice.account.id());
    ASSERT_TRUE(none.ok()) << none.error().toStdString();
    EXPECT_TRUE(none->sessions.isEmpty());
}

TEST(DhtConfig, UsersGetLanDiscoveryAndTestsGetAnIsolatedLoopbackNetwork)
{
    const DhtConfig user = DhtConfig::forUser();
    EXPECT_TRUE(user.lanDiscovery);
    EXPECT_FALSE(user.bootstrap.isEmpty());
    EXPECT_EQ(user.networkId, 0u);
    const DhtConfig test = DhtConfig::isolated({QStringLiteral("127.0.0.1:4222")}, 77);
    EXPECT_FALSE(test.lanDiscovery);
    EXPECT_EQ(test.bindAddress, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(test.networkId, 77u);
    EXPECT_TRUE(test.noNameResolution);
}

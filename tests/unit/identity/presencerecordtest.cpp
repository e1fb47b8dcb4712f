#include "identity/presencerecord.h"
#include "identity/dhtconfig.h"
#include "testaccounts.h"

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

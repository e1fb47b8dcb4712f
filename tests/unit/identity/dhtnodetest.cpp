#include "identity/dhtnode.h"
#include "helddhtport.h"
#include "testaccounts.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

// An isolated node must never resolve names: a host name as bootstrap is refused up front.
TEST(DhtNode, IsolatedNodeRefusesHostNamesAsBootstrap)
{
    const Profile p = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("pc"));
    DhtNode node;
    auto s = node.start(DhtConfig::isolated({QStringLiteral("bootstrap.jami.net:4222")}, 99),
                        p.device.deviceKey(), p.device.deviceCertificate());
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().contains("IP addresses")) << s.error().toStdString();
    EXPECT_FALSE(node.isRunning());
    auto noPort = node.start(DhtConfig::isolated({QStringLiteral("127.0.0.1")}, 99),
                             p.device.deviceKey(), p.device.deviceCertificate());
    EXPECT_FALSE(noPort.ok());
}

// A port another program holds is named in the error (the GUI shows it): OpenDHT's own words,
// "Can't bind socket", do not say which one.
TEST(DhtNode, APortInUseIsNamedInTheError)
{
    const Profile p = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("pc"));
    testsupport::HeldDhtPort held;
    ASSERT_TRUE(held.hold());
    DhtConfig config = DhtConfig::isolated({}, 99);
    config.port = held.port();
    DhtNode node;
    auto s = node.start(config, p.device.deviceKey(), p.device.deviceCertificate());
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error(),
              QStringLiteral("UDP port %1 is already in use by another program").arg(held.port()));
    EXPECT_FALSE(node.isRunning());
    held.release();
    DhtNode again;
    EXPECT_TRUE(again.start(config, p.device.deviceKey(), p.device.deviceCertificate()).ok())
        << "the port is free again";
}

// The test command runs every test with DhtConfig::kPrivateOnlyVariable set: a test that
// forgot to ask for a private DHT (the app's and plenum-peer's default is the public one, with
// LAN discovery) fails to start instead of reaching the internet or the LAN.
TEST(DhtNode, UnderThePrivateOnlySwitchOnlyAPrivateDhtStarts)
{
    qputenv(DhtConfig::kPrivateOnlyVariable, "1"); // however this binary is run
    const Profile p = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("pc"));
    auto refused = [&](const DhtConfig& c) {
        DhtNode node;
        auto s = node.start(c, p.device.deviceKey(), p.device.deviceCertificate());
        EXPECT_EQ(node.isRunning(), s.ok());
        return s.ok() ? QString() : s.error();
    };
    EXPECT_TRUE(refused(DhtConfig::forUser()).contains("public DHT"));
    DhtConfig named = DhtConfig::forUser();
    named.networkId = 99;
    EXPECT_TRUE(refused(named).contains("literal addresses"));
    DhtConfig lan = DhtConfig::isolated({}, 99);
    lan.lanDiscovery = true;
    EXPECT_TRUE(refused(lan).contains("LAN discovery")) << refused(lan).toStdString();
    EXPECT_EQ(refused(DhtConfig::isolated({}, 99)), QString()) << "a private DHT starts";
    qunsetenv(DhtConfig::kPrivateOnlyVariable); // the control: without the switch
    EXPECT_EQ(refused(lan), QString());
    qputenv(DhtConfig::kPrivateOnlyVariable, "1");
}

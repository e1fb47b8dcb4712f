#include "identity/dhtnode.h"
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

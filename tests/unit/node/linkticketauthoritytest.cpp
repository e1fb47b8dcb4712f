#include "node/linkticketauthority.h"

#include "testaccounts.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::node;

TEST(LinkTicketAuthority, VerifiesOnlyWithALearnedMatchingKey)
{
    auto alice = testsupport::testProfile(0, "Alice", "laptop");
    auto bob = testsupport::testProfile(1, "Bob", "pc");
    LinkTicketAuthority signer(&alice.device.deviceKey());
    LinkTicketAuthority checker(&bob.device.deviceKey());
    const QByteArray data("ticket bytes");
    const QByteArray sig = signer.sign(data);

    EXPECT_FALSE(checker.verify(alice.device.id(), data, sig)) << "unknown signer accepted";
    // A key that does not hash to the claimed device is not learned.
    checker.learn(alice.device.id(), bob.device.deviceCertificate().publicKeyDer());
    EXPECT_FALSE(checker.knows(alice.device.id()));
    checker.learn(alice.device.id(), alice.device.deviceCertificate().publicKeyDer());
    EXPECT_TRUE(checker.verify(alice.device.id(), data, sig));
    EXPECT_FALSE(checker.verify(alice.device.id(), "other bytes", sig));
    EXPECT_FALSE(checker.verify(bob.device.id(), data, sig));
}

TEST(LinkTicketAuthority, RecordingVerifierLearnsTheDeviceOfAVerifiedChain)
{
    auto alice = testsupport::testProfile(0, "Alice", "laptop");
    auto bob = testsupport::testProfile(1, "Bob", "pc");
    LinkTicketAuthority checker(&bob.device.deviceKey());
    QList<QByteArray> der;
    for (const auto& c : alice.device.chain())
        der.append(c.toDer());
    bool refuse = true;
    auto verifier = checker.recording([&](const QList<QByteArray>&) -> Result<net::PeerIdentity> {
        if (refuse) return fail("refused");
        return net::PeerIdentity{alice.device.id(), alice.account.id()};
    });
    EXPECT_FALSE(verifier(der).ok());
    EXPECT_FALSE(checker.knows(alice.device.id())) << "a refused chain taught a key";
    EXPECT_FALSE(checker.accountOf(alice.device.id())) << "a refused chain taught an account";
    refuse = false;
    ASSERT_TRUE(verifier(der).ok());
    EXPECT_TRUE(checker.knows(alice.device.id()));
    // Identity binding (issue 13): the session core reads the account from here.
    EXPECT_EQ(checker.accountOf(alice.device.id()), alice.account.id());
    LinkTicketAuthority signer(&alice.device.deviceKey());
    EXPECT_TRUE(checker.verify(alice.device.id(), "x", signer.sign("x")));
}

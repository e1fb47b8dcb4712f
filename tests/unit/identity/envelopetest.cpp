#include "identity/envelopeopener.h"
#include "testaccounts.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

namespace {

class Envelope : public ::testing::Test {
protected:
    void SetUp() override
    {
        alice = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("laptop"));
        bob = testsupport::testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc"));
        bobPhone = DeviceIdentity::create(QStringLiteral("phone"), bob.account).value();
    }
    QByteArray sealToBob(RequestKind kind, const QByteArray& body)
    {
        return SealedEnvelope::seal(alice.device.deviceKey(), alice.device.deviceChain(),
                                    bob.device.id(), bob.device.deviceCertificate().publicKeyDer(),
                                    kind, body, 1234)
            .value();
    }
    Profile alice, bob;
    DeviceIdentity bobPhone;
};

} // namespace

TEST_F(Envelope, RecipientOpensAndAuthenticatesTheSender)
{
    auto opener = EnvelopeOpener::create(bob.device.deviceKey()).value();
    auto env = opener.open(sealToBob(RequestKind::Invitation, "join us"));
    ASSERT_TRUE(env.ok()) << env.error().toStdString();
    EXPECT_EQ(env->kind, RequestKind::Invitation);
    EXPECT_EQ(env->body, QByteArray("join us"));
    EXPECT_EQ(env->sender, alice.device.id());
    ASSERT_TRUE(env->chain.has_value());
    EXPECT_EQ(env->chain->account, alice.account.id());
    EXPECT_EQ(env->sentMs, 1234);
}

TEST_F(Envelope, TamperedPayloadIsRejected)
{
    auto opener = EnvelopeOpener::create(bob.device.deviceKey()).value();
    const QByteArray sealed = sealToBob(RequestKind::Signal, QByteArray(300, 's'));
    int rejected = 0;
    for (qsizetype pos : {qsizetype(0), qsizetype(10), sealed.size() / 2, sealed.size() - 1}) {
        QByteArray t = sealed;
        t[pos] = static_cast<char>(t[pos] ^ 0x20);
        if (!opener.open(t).ok()) ++rejected;
    }
    EXPECT_EQ(rejected, 4);
    EXPECT_FALSE(opener.open(sealed.left(sealed.size() - 5)).ok());
    EXPECT_FALSE(opener.open({}).ok());
}

TEST_F(Envelope, PayloadForAnotherDeviceIsUnreadable)
{
    auto phoneOpener = EnvelopeOpener::create(bobPhone.deviceKey()).value();
    auto r = phoneOpener.open(sealToBob(RequestKind::Invitation, "for the pc only"));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("cannot be decrypted")) << r.error().toStdString();
}

TEST_F(Envelope, ReaddressedPayloadIsRejected)
{
    // Sealed to the phone's key but naming the pc as recipient: the phone must refuse it.
    auto sealed = SealedEnvelope::seal(alice.device.deviceKey(), alice.device.deviceChain(),
                                       bob.device.id(), bobPhone.deviceCertificate().publicKeyDer(),
                                       RequestKind::Invitation, "x", 1);
    auto r = EnvelopeOpener::create(bobPhone.deviceKey()).value().open(sealed.value());
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("another device")) << r.error().toStdString();
}

TEST_F(Envelope, ForgedSenderChainIsRejected)
{
    // Signed by Bob's phone but carrying Alice's chain.
    auto sealed = SealedEnvelope::seal(
        bobPhone.deviceKey(), alice.device.deviceChain(), bob.device.id(),
        bob.device.deviceCertificate().publicKeyDer(), RequestKind::Invitation, "x", 1);
    auto r = EnvelopeOpener::create(bob.device.deviceKey()).value().open(sealed.value());
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("other than its sender")) << r.error().toStdString();
}

TEST_F(Envelope, RevokedSenderIsRejected)
{
    auto opener = EnvelopeOpener::create(bob.device.deviceKey()).value();
    auto r = opener.open(sealToBob(RequestKind::Invitation, "x"), {alice.device.id()});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("revoked")) << r.error().toStdString();
}

TEST_F(Envelope, OnlyPairingRequestsMayComeWithoutAChain)
{
    auto guestKey = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    EXPECT_FALSE(SealedEnvelope::seal(guestKey, {}, bob.device.id(),
                                      bob.device.deviceCertificate().publicKeyDer(),
                                      RequestKind::Invitation, "x", 1)
                     .ok());
    auto sealed = SealedEnvelope::seal(guestKey, {}, bob.device.id(),
                                       bob.device.deviceCertificate().publicKeyDer(),
                                       RequestKind::PairingRequest, "pair me", 1);
    auto env = EnvelopeOpener::create(bob.device.deviceKey()).value().open(sealed.value());
    ASSERT_TRUE(env.ok()) << env.error().toStdString();
    EXPECT_FALSE(env->chain.has_value());
    EXPECT_EQ(env->sender.toBytes(), crypto::sha256(guestKey.publicKeyDer()));
}

TEST_F(Envelope, OversizedBodyIsRefused)
{
    EXPECT_FALSE(
        SealedEnvelope::seal(alice.device.deviceKey(), alice.device.deviceChain(), bob.device.id(),
                             bob.device.deviceCertificate().publicKeyDer(), RequestKind::Signal,
                             QByteArray(SealedEnvelope::kMaxBody + 1, 'x'), 1)
            .ok());
}

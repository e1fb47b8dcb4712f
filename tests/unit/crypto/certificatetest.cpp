#include "crypto/certificate.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::crypto;

namespace {

// RSA-4096 takes ~0.3 s to generate: one account per test binary.
class Chain : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        accountKey_ = new PrivateKey(PrivateKey::generate(KeyKind::Rsa4096).value());
        otherAccountKey_ = new PrivateKey(PrivateKey::generate(KeyKind::Rsa2048).value());
        accountCert_ = new Certificate(
            issueCertificate(*accountKey_, "alice", CertRole::Account, nullptr, *accountKey_)
                .value());
        otherAccountCert_ =
            new Certificate(issueCertificate(*otherAccountKey_, "mallory", CertRole::Account,
                                             nullptr, *otherAccountKey_)
                                .value());
    }
    static void TearDownTestSuite()
    {
        delete accountKey_;
        delete otherAccountKey_;
        delete accountCert_;
        delete otherAccountCert_;
    }
    void SetUp() override
    {
        deviceKey = PrivateKey::generate(KeyKind::Rsa2048).value();
        linkKey = PrivateKey::generate(KeyKind::Ed25519).value();
        deviceCert =
            issueCertificate(deviceKey, "laptop", CertRole::Device, accountCert_, *accountKey_)
                .value();
        linkCert =
            issueCertificate(linkKey, "link", CertRole::Link, &deviceCert, deviceKey).value();
    }

    static PrivateKey* accountKey_;
    static PrivateKey* otherAccountKey_;
    static Certificate* accountCert_;
    static Certificate* otherAccountCert_;
    PrivateKey deviceKey;
    PrivateKey linkKey;
    Certificate deviceCert;
    Certificate linkCert;
};
PrivateKey* Chain::accountKey_ = nullptr;
PrivateKey* Chain::otherAccountKey_ = nullptr;
Certificate* Chain::accountCert_ = nullptr;
Certificate* Chain::otherAccountCert_ = nullptr;

} // namespace

TEST_F(Chain, ValidChainVerifiesAndYieldsTheRightIds)
{
    auto v = verifyChain({linkCert, deviceCert, *accountCert_});
    ASSERT_TRUE(v.ok()) << v.error().toStdString();
    EXPECT_EQ(v->device.toBytes(), sha256(deviceKey.publicKeyDer()));
    EXPECT_EQ(v->account.toBytes(), sha256(accountKey_->publicKeyDer()));
    EXPECT_EQ(v->device, deviceIdOf(deviceCert));
    EXPECT_EQ(v->account, accountIdOf(*accountCert_));
    EXPECT_EQ(v->link, linkCert);
    EXPECT_EQ(deviceCert.commonName(), "laptop");
    EXPECT_EQ(deviceCert.role(), CertRole::Device);
    EXPECT_EQ(linkCert.role(), CertRole::Link);
    EXPECT_EQ(accountCert_->role(), CertRole::Account);
}

TEST_F(Chain, CertificatesRoundTripThroughDerAndPem)
{
    auto der = Certificate::fromDer(deviceCert.toDer());
    ASSERT_TRUE(der.ok());
    EXPECT_EQ(der.value(), deviceCert);
    auto pem = Certificate::fromPem(linkCert.toPem());
    ASSERT_TRUE(pem.ok());
    EXPECT_EQ(pem.value(), linkCert);
    EXPECT_EQ(pem->keyId(), sha256(linkKey.publicKeyDer()));
    EXPECT_FALSE(Certificate::fromDer("garbage").ok());
    EXPECT_FALSE(Certificate::fromDer({}).ok());
}

TEST_F(Chain, DeviceNotSignedByTheClaimedAccountIsRejected)
{
    auto v = verifyChain({linkCert, deviceCert, *otherAccountCert_});
    ASSERT_FALSE(v.ok());
    EXPECT_TRUE(v.error().contains("not signed by the account")) << v.error().toStdString();
}

TEST_F(Chain, LinkNotSignedByTheDeviceIsRejected)
{
    auto strangerKey = PrivateKey::generate(KeyKind::Rsa2048).value();
    auto strangerCert =
        issueCertificate(strangerKey, "stranger", CertRole::Device, accountCert_, *accountKey_)
            .value();
    auto foreignLink =
        issueCertificate(linkKey, "link", CertRole::Link, &strangerCert, strangerKey).value();
    auto v = verifyChain({foreignLink, deviceCert, *accountCert_});
    ASSERT_FALSE(v.ok());
    EXPECT_TRUE(v.error().contains("link certificate is not signed")) << v.error().toStdString();
}

TEST_F(Chain, RevokedDeviceIsRejected)
{
    auto v = verifyChain({linkCert, deviceCert, *accountCert_}, {deviceIdOf(deviceCert)});
    ASSERT_FALSE(v.ok());
    EXPECT_TRUE(v.error().contains("revoked")) << v.error().toStdString();
    EXPECT_TRUE(verifyChain({linkCert, deviceCert, *accountCert_}, {DeviceId::fromNumber(7)}).ok());
}

TEST_F(Chain, ExpiredCertificateIsRejected)
{
    auto expiredLink = issueCertificate(linkKey, "link", CertRole::Link, &deviceCert, deviceKey,
                                        std::chrono::days(-1))
                           .value();
    auto v = verifyChain({expiredLink, deviceCert, *accountCert_});
    ASSERT_FALSE(v.ok());
    EXPECT_TRUE(v.error().contains("expired")) << v.error().toStdString();

    auto expiredDevice = issueCertificate(deviceKey, "laptop", CertRole::Device, accountCert_,
                                          *accountKey_, std::chrono::days(-1))
                             .value();
    auto link2 =
        issueCertificate(linkKey, "link", CertRole::Link, &expiredDevice, deviceKey).value();
    auto v2 = verifyChain({link2, expiredDevice, *accountCert_});
    ASSERT_FALSE(v2.ok());
    EXPECT_TRUE(v2.error().contains("device certificate has expired")) << v2.error().toStdString();
}

TEST_F(Chain, RolesCannotBeSwapped)
{
    // A link certificate in the device position, with a "link" signed by it.
    auto extraKey = PrivateKey::generate(KeyKind::Ed25519).value();
    auto underLink = issueCertificate(extraKey, "x", CertRole::Link, &linkCert, linkKey);
    if (underLink.ok()) {
        EXPECT_FALSE(verifyChain({underLink.value(), linkCert, *accountCert_}).ok());
    }
    // The device certificate presented as the link, and the account as the device.
    EXPECT_FALSE(verifyChain({deviceCert, deviceCert, *accountCert_}).ok());
    EXPECT_FALSE(verifyChain({linkCert, *accountCert_, *accountCert_}).ok());
    // A device certificate issued with the Link role by the account cannot act as a device.
    auto linkRoleDevice =
        issueCertificate(deviceKey, "laptop", CertRole::Link, accountCert_, *accountKey_).value();
    auto v = verifyChain({linkCert, linkRoleDevice, *accountCert_});
    ASSERT_FALSE(v.ok());
    EXPECT_TRUE(v.error().contains("not a device certificate")) << v.error().toStdString();
    // A device certificate cannot stand in for the account.
    EXPECT_FALSE(verifyChain({linkCert, deviceCert, deviceCert}).ok());
}

TEST_F(Chain, WrongChainLengthIsRejected)
{
    EXPECT_FALSE(verifyChain({deviceCert, *accountCert_}).ok());
    EXPECT_FALSE(verifyChain({}).ok());
    auto d = verifyDeviceChain({deviceCert, *accountCert_});
    ASSERT_TRUE(d.ok()) << d.error().toStdString();
    EXPECT_EQ(d->device, deviceIdOf(deviceCert));
    EXPECT_TRUE(d->link.isNull());
}

TEST_F(Chain, CertificateVerifiesSignaturesOfItsKey)
{
    const QByteArray sig = linkKey.sign("payload");
    EXPECT_TRUE(linkCert.verifySignature("payload", sig));
    EXPECT_FALSE(deviceCert.verifySignature("payload", sig));
}

TEST_F(Chain, ParsedAndFreshCertificatesChainTogether)
{
    auto parsedDevice = Certificate::fromDer(deviceCert.toDer()).value();
    auto parsedAccount = Certificate::fromPem(accountCert_->toPem()).value();
    EXPECT_TRUE(verifyChain({linkCert, parsedDevice, *accountCert_}).ok());
    EXPECT_TRUE(verifyChain({linkCert, deviceCert, parsedAccount}).ok());
    auto forKey = issueCertificateForKey(deviceKey.publicKeyDer(), "laptop", CertRole::Device,
                                         parsedAccount, *accountKey_);
    ASSERT_TRUE(forKey.ok()) << forKey.error().toStdString();
    EXPECT_EQ(deviceIdOf(forKey.value()), deviceIdOf(deviceCert));
    EXPECT_TRUE(verifyChain({linkCert, forKey.value(), *accountCert_}).ok());
}

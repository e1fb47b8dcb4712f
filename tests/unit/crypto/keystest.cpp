#include "crypto/keys.h"

#include <gtest/gtest.h>

using namespace plenum::crypto;

TEST(Keys, Ed25519RoundTripsThroughPem)
{
    auto key = PrivateKey::generate(KeyKind::Ed25519);
    ASSERT_TRUE(key.ok()) << key.error().toStdString();
    const QByteArray pem = key->toPem();
    ASSERT_TRUE(pem.startsWith("-----BEGIN PRIVATE KEY-----"));
    auto back = PrivateKey::fromPem(pem);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back->kind(), KeyKind::Ed25519);
    EXPECT_EQ(back->publicKeyDer(), key->publicKeyDer());
    EXPECT_EQ(back->toPem(), pem);
}

TEST(Keys, Rsa2048RoundTripsThroughPemAndKeepsItsKind)
{
    auto key = PrivateKey::generate(KeyKind::Rsa2048);
    ASSERT_TRUE(key.ok());
    auto back = PrivateKey::fromPem(key->toPem());
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back->kind(), KeyKind::Rsa2048);
    EXPECT_EQ(back->publicKeyDer(), key->publicKeyDer());
}

TEST(Keys, GarbagePemIsRefusedWithAReason)
{
    auto bad =
        PrivateKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_FALSE(bad.error().isEmpty());
    EXPECT_FALSE(PrivateKey::fromPem({}).ok());
    EXPECT_FALSE(PrivateKey::fromPem(QByteArray(100000, 'A')).ok());
}

TEST(Keys, SignaturesVerifyAndTamperingIsDetected)
{
    for (auto kind : {KeyKind::Ed25519, KeyKind::Rsa2048}) {
        auto key = PrivateKey::generate(kind);
        ASSERT_TRUE(key.ok());
        const QByteArray msg = "hello plenum";
        const QByteArray sig = key->sign(msg);
        ASSERT_FALSE(sig.isEmpty());
        EXPECT_TRUE(verifySignature(key->publicKeyDer(), msg, sig));
        EXPECT_FALSE(verifySignature(key->publicKeyDer(), "hello plenuM", sig));
        QByteArray badSig = sig;
        badSig[3] = static_cast<char>(badSig[3] ^ 1);
        EXPECT_FALSE(verifySignature(key->publicKeyDer(), msg, badSig));
        auto other = PrivateKey::generate(kind);
        EXPECT_FALSE(verifySignature(other->publicKeyDer(), msg, sig));
    }
    EXPECT_FALSE(verifySignature("not a key", "x", "y"));
}

TEST(Keys, Sha256MatchesKnownVectorAndRandomBytesDiffer)
{
    EXPECT_EQ(sha256("abc").toHex(),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(randomBytes(32).size(), 32);
    EXPECT_NE(randomBytes(32), randomBytes(32));
}

#include "identity/pairinghost.h"
#include "identity/qrcode.h"
#include "testaccounts.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

namespace {

const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000);

PairingRequest requestFor(const PairingCode& code, const crypto::PrivateKey& key)
{
    return PairingRequest{key.publicKeyDer(), QStringLiteral("phone"),
                          code.proofFor(key.publicKeyDer())};
}

} // namespace

TEST(PairingCode, TextRoundTripsAndBadTextIsRefused)
{
    PairingHost host(DeviceId::fromNumber(5));
    const PairingCode code = host.createCode(t0);
    auto parsed = PairingCode::parse(code.toText());
    ASSERT_TRUE(parsed.ok()) << parsed.error().toStdString();
    EXPECT_EQ(parsed->host, DeviceId::fromNumber(5));
    EXPECT_EQ(parsed->secret, code.secret);
    EXPECT_EQ(code.expires, t0.addSecs(600));
    EXPECT_FALSE(PairingCode::parse(u"plenum-pair:1234:abc").ok());
    EXPECT_FALSE(PairingCode::parse(u"hello").ok());
    EXPECT_FALSE(PairingCode::parse(code.toText() + QStringLiteral("AAAA")).ok());
    EXPECT_FALSE(PairingCode::parse(QString(5000, u'p')).ok());
}

TEST(PairingHost, RightCodeIsAcceptedOnce)
{
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    PairingHost host(DeviceId::fromNumber(5));
    const PairingCode code = host.createCode(t0);
    const auto guestCode = PairingCode::parse(code.toText()).value();
    EXPECT_TRUE(host.check(requestFor(guestCode, key), t0.addSecs(30)).ok());
    auto again = host.check(requestFor(guestCode, key), t0.addSecs(60));
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(again.error().contains("no pairing code")) << again.error().toStdString();
}

TEST(PairingHost, WrongCodeIsRefusedWithAReason)
{
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    PairingHost host(DeviceId::fromNumber(5));
    PairingCode code = host.createCode(t0);
    code.secret[0] = static_cast<char>(code.secret[0] ^ 1);
    auto r = host.check(requestFor(code, key), t0.addSecs(1));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), QStringLiteral("the pairing code is wrong"));
    // A proof made for another key does not work for this key.
    PairingCode real = host.createCode(t0);
    auto other = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    PairingRequest stolen = requestFor(real, other);
    stolen.devicePublicKeyDer = key.publicKeyDer();
    EXPECT_FALSE(host.check(stolen, t0.addSecs(3)).ok());
}

TEST(PairingHost, ExpiredCodeIsRefused)
{
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    PairingHost host(DeviceId::fromNumber(5));
    const PairingCode code = host.createCode(t0);
    EXPECT_TRUE(host.hasLiveCode(t0.addSecs(599)));
    EXPECT_FALSE(host.hasLiveCode(t0.addSecs(600)));
    auto r = host.check(requestFor(code, key), t0.addSecs(601));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("expired")) << r.error().toStdString();
}

TEST(PairingHost, AttemptsAreRateLimitedAndASenderIsRefusedAfterFiveFailures)
{
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    PairingHost host(DeviceId::fromNumber(5));
    const PairingCode code = host.createCode(t0);
    PairingCode wrong = code;
    wrong.secret[1] = static_cast<char>(wrong.secret[1] ^ 0x40);
    ASSERT_FALSE(host.check(requestFor(wrong, key), t0.addSecs(1)).ok());
    // Too soon after the previous attempt: refused even with the right code.
    auto fast = host.check(requestFor(code, key), t0.addSecs(1).addMSecs(200));
    ASSERT_FALSE(fast.ok());
    EXPECT_TRUE(fast.error().contains("wait")) << fast.error().toStdString();
    for (int i = 2; i <= 5; ++i)
        EXPECT_FALSE(host.check(requestFor(wrong, key), t0.addSecs(2 * i)).ok());
    auto refused = host.check(requestFor(code, key), t0.addSecs(30));
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().contains("too many wrong attempts"))
        << refused.error().toStdString();
}

// Attack: anyone who knows the host sent five wrong proofs and burned the code, or kept trying
// once a second so the rightful device always hit the (global) one-second limit. Now the
// limits are per sender: the stranger locks out only itself.
TEST(PairingHostAttack, StrangerCannotBurnOrHoldTheCodeWithBadProofs)
{
    auto mallory = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    auto phone = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    PairingHost host(DeviceId::fromNumber(5));
    const PairingCode code = host.createCode(t0);
    PairingCode guess = code;
    guess.secret[0] = static_cast<char>(guess.secret[0] ^ 0x10);
    for (int i = 0; i < 6; ++i)
        EXPECT_FALSE(host.check(requestFor(guess, mallory), t0.addSecs(1 + i)).ok());
    // Mallory's seventh attempt lands 1 ms before the phone's: the phone is not held up.
    EXPECT_FALSE(host.check(requestFor(guess, mallory), t0.addSecs(20)).ok());
    auto ok = host.check(requestFor(code, phone), t0.addSecs(20).addMSecs(1));
    EXPECT_TRUE(ok.ok()) << ok.error().toStdString();
}

TEST(PairingGrant, GrantGivesTheNewDeviceACertifiedIdentityAndTheAccountData)
{
    Profile host = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("laptop"));
    ASSERT_TRUE(host.contacts.add(AccountId::fromNumber(7), QStringLiteral("Bob")).ok());
    ASSERT_TRUE(host.contacts.setBlocked(AccountId::fromNumber(8), true).ok());
    host.preferences.insert(QStringLiteral("ring"), true);
    auto newKey = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    auto req = PairingRequest::decode(
        PairingRequest{newKey.publicKeyDer(), QStringLiteral("phone"), QByteArray(32, 'p')}
            .encode());
    ASSERT_TRUE(req.ok());
    auto cert = host.account.certifyDevice(req->devicePublicKeyDer, req->deviceName);
    ASSERT_TRUE(cert.ok()) << cert.error().toStdString();
    auto grant = PairingGrant::decode(PairingGrant::from(host, cert.value()).encode());
    ASSERT_TRUE(grant.ok()) << grant.error().toStdString();
    auto p = grant->toProfile(std::move(newKey));
    ASSERT_TRUE(p.ok()) << p.error().toStdString();
    EXPECT_EQ(p->account.id(), host.account.id());
    EXPECT_EQ(p->device.name(), QStringLiteral("phone"));
    EXPECT_NE(p->device.id(), host.device.id());
    EXPECT_EQ(p->account.devices().size(), 2);
    EXPECT_TRUE(p->contacts.contains(AccountId::fromNumber(7)));
    EXPECT_TRUE(p->contacts.isBlocked(AccountId::fromNumber(8)));
    EXPECT_TRUE(p->preferences.value(QStringLiteral("ring")).toBool());
    EXPECT_TRUE(crypto::verifyChain(p->device.chain()).ok());
    // The new device holds the account key and can therefore pair the next one.
    EXPECT_EQ(p->account.key().publicKeyDer(), host.account.key().publicKeyDer());
}

TEST(PairingGrant, GrantForAnotherKeyIsRefused)
{
    Profile host = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("laptop"));
    auto k1 = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    auto k2 = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    auto cert = host.account.certifyDevice(k1.publicKeyDer(), QStringLiteral("phone")).value();
    auto p = PairingGrant::from(host, cert).toProfile(std::move(k2));
    ASSERT_FALSE(p.ok());
    EXPECT_TRUE(p.error().contains("different device key")) << p.error().toStdString();
    EXPECT_FALSE(PairingGrant::decode("garbage").ok());
    EXPECT_FALSE(PairingGrant::decode(QByteArray(PairingGrant::kMaxEncoded + 1, 'x')).ok());
}

TEST(QrCode, PairingCodeRendersAsAMatrixSvgAndPbm)
{
    PairingHost host(DeviceId::fromNumber(5));
    auto qr = QrCode::encode(host.createCode(t0).toText().toUtf8());
    ASSERT_TRUE(qr.ok()) << qr.error().toStdString();
    EXPECT_GE(qr->size(), 21);
    EXPECT_EQ((qr->size() - 17) % 4, 0); // QR versions are 17 + 4v modules wide
    // The three finder patterns: dark 7x7 corners.
    EXPECT_TRUE(qr->dark(0, 0));
    EXPECT_TRUE(qr->dark(qr->size() - 1, 0));
    EXPECT_TRUE(qr->dark(0, qr->size() - 1));
    EXPECT_FALSE(qr->dark(1, 1));
    const QByteArray pbm = qr->toPbm(4);
    EXPECT_TRUE(pbm.startsWith("P1\n" + QByteArray::number(qr->size() + 8)));
    EXPECT_TRUE(qr->toSvg().contains("<svg"));
    EXPECT_FALSE(QrCode::encode({}).ok());
}

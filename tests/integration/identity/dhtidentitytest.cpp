#include "dhttestnet.h"

#include "identity/pairingrequester.h"
#include "identity/pairingresponder.h"
#include "identity/profilestore.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;
using namespace plenum::testsupport;

namespace {

class DhtIdentity : public ::testing::Test {
protected:
    void SetUp() override
    {
        Profile alice = testProfile(0, QStringLiteral("Alice"), QStringLiteral("laptop"));
        auto phone = DeviceIdentity::create(QStringLiteral("phone"), alice.account).value();
        Profile alicePhone;
        alicePhone.account = testAccount(0, QStringLiteral("Alice"));
        alicePhone.device = std::move(phone);
        aliceLaptop = net.join(std::move(alice));
        this->alicePhone = net.join(std::move(alicePhone));
        bob = net.join(testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc")));
    }
    AccountId aliceId() const { return aliceLaptop->profile.account.id(); }
    AccountId bobId() const { return bob->profile.account.id(); }

    DhtTestNet net;
    std::unique_ptr<TestDevice> aliceLaptop, alicePhone, bob;
};

} // namespace

TEST_F(DhtIdentity, EachSeesTheOthersPresenceChangeWithinTwoSeconds)
{
    bob->presence->watch(aliceId());
    aliceLaptop->presence->watch(bobId());
    alicePhone->presence->watch(bobId());
    QElapsedTimer t;
    t.start();
    aliceLaptop->presence->publish(PresenceState::Online, DeviceClass::Laptop, "Alice", {});
    bob->presence->publish(PresenceState::Online, DeviceClass::Desktop, "Bob", {});
    ASSERT_TRUE(
        waitFor([&] { return bob->presence->stateOf(aliceId()) == PresenceState::Online; }, 2000));
    ASSERT_TRUE(waitFor(
        [&] { return aliceLaptop->presence->stateOf(bobId()) == PresenceState::Online; }, 2000));
    ASSERT_TRUE(waitFor(
        [&] { return alicePhone->presence->stateOf(bobId()) == PresenceState::Online; }, 2000));
    EXPECT_LT(t.elapsed(), 2000);

    t.restart();
    bob->presence->publish(PresenceState::Busy, DeviceClass::Desktop, "Bob", {});
    ASSERT_TRUE(waitFor(
        [&] { return aliceLaptop->presence->stateOf(bobId()) == PresenceState::Busy; }, 2000))
        << "Busy did not arrive within 2 s";
    EXPECT_LT(t.elapsed(), 2000);

    // The phone comes online too: Bob sees both of Alice's devices, with their classes.
    alicePhone->presence->publish(PresenceState::Away, DeviceClass::Phone, "Alice", {});
    ASSERT_TRUE(waitFor([&] { return bob->presence->devicesOf(aliceId()).size() == 2; }, 2000));
    for (const PresenceRecord& r : bob->presence->devicesOf(aliceId()))
        EXPECT_EQ(r.deviceClass, r.device == alicePhone->profile.device.id() ? DeviceClass::Phone
                                                                             : DeviceClass::Laptop);
    EXPECT_EQ(bob->presence->stateOf(aliceId()), PresenceState::Online);

    t.restart();
    aliceLaptop->presence->publish(PresenceState::Offline, DeviceClass::Laptop, "Alice", {});
    ASSERT_TRUE(
        waitFor([&] { return bob->presence->stateOf(aliceId()) == PresenceState::Away; }, 2000));
    EXPECT_LT(t.elapsed(), 2000);
}

TEST_F(DhtIdentity, SignedInvitationReachesTheRightDeviceAndOnlyIt)
{
    // An eavesdropper listening on the phone's inbox key gets the value but cannot open it.
    QList<DhtValue> sniffed;
    aliceLaptop->node->listen(DeviceMailbox::inboxKey(alicePhone->profile.device.id()),
                              [&](const QList<DhtValue>& v) { sniffed += v; });
    Status sent = fail("pending");
    bool done = false;
    bob->mailbox->send(alicePhone->profile.device.id(), RequestKind::Invitation, "come talk",
                       [&](Status s) {
                           sent = s;
                           done = true;
                       });
    ASSERT_TRUE(waitFor([&] { return !alicePhone->received.isEmpty(); }, 3000));
    const OpenedEnvelope& e = alicePhone->received.first();
    EXPECT_EQ(e.kind, RequestKind::Invitation);
    EXPECT_EQ(e.body, QByteArray("come talk"));
    EXPECT_EQ(e.sender, bob->profile.device.id());
    ASSERT_TRUE(e.chain.has_value());
    EXPECT_EQ(e.chain->account, bobId());
    ASSERT_TRUE(waitFor([&] { return done; }, 3000));
    EXPECT_TRUE(sent.ok()) << sent.error().toStdString();
    ASSERT_TRUE(waitFor([&] { return !sniffed.isEmpty(); }, 2000));
    auto opener = EnvelopeOpener::create(aliceLaptop->profile.device.deviceKey()).value();
    EXPECT_FALSE(opener.open(sniffed.first().data).ok());
    waitFor([] { return false; }, 200);
    EXPECT_TRUE(aliceLaptop->received.isEmpty());
    EXPECT_EQ(alicePhone->received.size(), 1); // delivered once
}

TEST_F(DhtIdentity, BlockedSenderIsTreatedAsOffline)
{
    ASSERT_TRUE(alicePhone->profile.contacts.setBlocked(bobId(), true).ok());
    bool done = false;
    bob->mailbox->send(alicePhone->profile.device.id(), RequestKind::Invitation, "hello?",
                       [&](Status) { done = true; });
    ASSERT_TRUE(waitFor([&] { return done; }, 3000));
    waitFor([] { return false; }, 300);
    EXPECT_TRUE(alicePhone->received.isEmpty());
    // Unblocked, the next one arrives.
    ASSERT_TRUE(alicePhone->profile.contacts.setBlocked(bobId(), false).ok());
    bob->mailbox->send(alicePhone->profile.device.id(), RequestKind::Invitation, "now?");
    ASSERT_TRUE(waitFor([&] { return !alicePhone->received.isEmpty(); }, 3000));
    EXPECT_EQ(alicePhone->received.first().body, QByteArray("now?"));
}

TEST_F(DhtIdentity, TamperedValueInAMailboxIsRejected)
{
    const auto target = alicePhone->profile.device.id();
    auto sealed =
        SealedEnvelope::seal(bob->profile.device.deviceKey(), bob->profile.device.deviceChain(),
                             target, alicePhone->profile.device.deviceCertificate().publicKeyDer(),
                             RequestKind::Invitation, "hi", QDateTime::currentMSecsSinceEpoch())
            .value();
    sealed[sealed.size() / 2] = static_cast<char>(sealed[sealed.size() / 2] ^ 1);
    bob->node->put(DeviceMailbox::inboxKey(target), sealed, 0, false, false);
    ASSERT_TRUE(waitFor([&] { return !alicePhone->rejected.isEmpty(); }, 3000));
    EXPECT_TRUE(alicePhone->received.isEmpty());
}

TEST_F(DhtIdentity, SecondDevicePairsOverTheDht)
{
    PairingResponder responder(aliceLaptop->mailbox, &aliceLaptop->profile);
    QStringList refusals;
    QObject::connect(&responder, &PairingResponder::pairingRefused,
                     [&](const QString& r) { refusals << r; });
    const PairingCode code = responder.createCode();

    // The new device: a fresh key, a self-signed DHT identity, an uncertified mailbox.
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    auto selfCert =
        crypto::issueCertificate(key, "pairing", crypto::CertRole::Device, nullptr, key).value();
    DhtNode node;
    ASSERT_TRUE(node.start(net.config(), key, selfCert).ok());
    ASSERT_TRUE(waitFor([&] { return node.isConnected(); }, 5000));
    auto* mailbox = DeviceMailbox::createUncertified(&node, key, &node).value();
    mailbox->start();
    PairingRequester requester(mailbox, &key);
    QStringList failures;
    bool paired = false;
    QObject::connect(&requester, &PairingRequester::paired, [&] { paired = true; });
    QObject::connect(&requester, &PairingRequester::failed,
                     [&](const QString& r) { failures << r; });

    // A wrong code first: refused with a reason on the host, nothing granted.
    PairingCode wrong = code;
    wrong.secret[0] = static_cast<char>(wrong.secret[0] ^ 1);
    ASSERT_TRUE(requester.start(wrong.toText(), "tablet").ok());
    ASSERT_TRUE(waitFor([&] { return !refusals.isEmpty(); }, 3000));
    EXPECT_EQ(refusals.first(), QStringLiteral("the pairing code is wrong"));
    EXPECT_FALSE(paired);

    waitFor([] { return false; }, 1100); // the host's rate limit: 1 attempt per second
    ASSERT_TRUE(requester.start(code.toText(), "tablet").ok());
    ASSERT_TRUE(waitFor([&] { return paired || !failures.isEmpty(); }, 5000));
    ASSERT_TRUE(paired) << failures.join("; ").toStdString();
    auto profile = requester.takeProfile(std::move(key));
    ASSERT_TRUE(profile.ok()) << profile.error().toStdString();
    EXPECT_EQ(profile->account.id(), aliceId());
    EXPECT_TRUE(crypto::verifyChain(profile->device.chain()).ok());
    EXPECT_TRUE(aliceLaptop->profile.account.devices().size() >= 2);
    QTemporaryDir dir;
    ASSERT_TRUE(ProfileStore(dir.path()).adopt(profile.value()).ok());
    EXPECT_EQ(ProfileStore(dir.path()).load()->device.id(), profile->device.id());
}

#include "dhttestnet.h"

#include "identity/dhtsignaling.h"
#include "identity/linktrust.h"
#include "net/controllink.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;
using namespace plenum::testsupport;

// First contact: Alice and Bob have no link; the ICE offer/answer and candidates travel
// through each other's DHT mailboxes, and a real TLS link comes up with checked chains.
TEST(DhtSignaling, OfferAnswerOverTheDhtBringsUpARealLink)
{
    DhtTestNet net;
    auto alice = net.join(testProfile(0, QStringLiteral("Alice"), QStringLiteral("laptop")));
    auto bob = net.join(testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc")));
    DhtSignaling aliceSig(alice->mailbox), bobSig(bob->mailbox);

    net::ControlLinkConfig config;
    config.ice.allowLoopback = true;
    config.ice.stunPacingMs = 5;
    config.connectTimeoutMs = 8000;
    auto aliceCreds = LinkTrust::credentialsOf(alice->profile.device);
    auto bobCreds = LinkTrust::credentialsOf(bob->profile.device);
    ASSERT_TRUE(aliceCreds.ok() && bobCreds.ok());
    const DeviceId aliceId = alice->profile.device.id(), bobId = bob->profile.device.id();

    net::ControlLink a(aliceCreds.value(), LinkTrust::verifier(), bobId, config);
    std::unique_ptr<net::ControlLink> b;
    a.setSignalSender([&](const QByteArray& bytes) { aliceSig.send(bobId, bytes); });
    QObject::connect(&aliceSig, &net::Signaling::received,
                     [&](const DeviceId& from, const QByteArray& bytes) {
                         auto m = net::SignalMessage::decode(bytes);
                         if (from == bobId && m) a.handleSignal(m.value());
                     });
    QObject::connect(
        &bobSig, &net::Signaling::received, [&](const DeviceId& from, const QByteArray& bytes) {
            auto m = net::SignalMessage::decode(bytes);
            if (from != aliceId || !m) return;
            if (m->type == net::SignalMessage::Type::Offer) {
                b = std::make_unique<net::ControlLink>(bobCreds.value(), LinkTrust::verifier(),
                                                       aliceId, config);
                b->setSignalSender([&](const QByteArray& out) { bobSig.send(aliceId, out); });
                ASSERT_TRUE(b->acceptOffer(m.value()).ok());
            } else if (b) {
                b->handleSignal(m.value());
            }
        });
    bool aUp = false;
    QString downReason;
    QObject::connect(&a, &net::ControlLink::linkUp, [&] { aUp = true; });
    QObject::connect(&a, &net::ControlLink::linkDown, [&](const QString& r) { downReason = r; });
    int toAlice = 0, toBob = 0;
    QObject::connect(&aliceSig, &net::Signaling::received, [&] { ++toAlice; });
    QObject::connect(&bobSig, &net::Signaling::received,
                     [&](const DeviceId&, const QByteArray& m) { ++toBob; });
    ASSERT_TRUE(a.connectToPeer(1).ok());
    ASSERT_TRUE(
        waitFor([&] { return aUp && b && b->state() == net::ControlLink::State::Up; }, 10000))
        << "link did not come up over DHT signaling: to Alice " << toAlice << ", to Bob " << toBob
        << ", b " << (b ? int(b->state()) : -1) << ", a " << int(a.state()) << ", "
        << downReason.toStdString() << ", rejected " << alice->rejected.join(';').toStdString()
        << bob->rejected.join(';').toStdString() << " failed sends " << aliceSig.failedSends();
    EXPECT_EQ(a.peerIdentity().device, bobId);
    EXPECT_EQ(a.peerIdentity().account, bob->profile.account.id());
    EXPECT_EQ(b->peerIdentity().account, alice->profile.account.id());
    QByteArray got;
    QObject::connect(b.get(), &net::ControlLink::message, [&](const QByteArray& m) { got = m; });
    ASSERT_TRUE(a.send("hello over a DHT-signalled link").ok());
    ASSERT_TRUE(waitFor([&] { return !got.isEmpty(); }, 3000));
    EXPECT_EQ(got, QByteArray("hello over a DHT-signalled link"));
    EXPECT_EQ(aliceSig.failedSends() + bobSig.failedSends(), 0);
}

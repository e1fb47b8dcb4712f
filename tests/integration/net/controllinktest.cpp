// Two control links on loopback (LinkPair): TLS up, ordered bulk messages, media
// datagrams, SRTP key export, wrong-device refusal, clean close, pings, back-pressure.
#include "linkpair.h"

#include "net/pacedreceive.h"

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QtEndian>

using namespace plenum;
using namespace plenum::net;
using namespace plenum::net::test;

TEST(LinkPair, TlsComesUpOnBothEndsWithPeerIdentity)
{
    LinkPair pair;
    pair.start();
    ASSERT_TRUE(pair.waitUp()) << pair.ea.reason.toStdString() << " / "
                               << pair.eb.reason.toStdString();
    EXPECT_EQ(pair.a->peerIdentity().device, LinkPair::identityB().device);
    EXPECT_EQ(pair.a->peerIdentity().account, LinkPair::identityB().account);
    EXPECT_EQ(pair.b->peerIdentity().device, LinkPair::identityA().device);
    EXPECT_EQ(pair.a->selectedPairType(), QStringLiteral("host/host"));
    EXPECT_NE(pair.a->isControlling(), pair.b->isControlling());
    std::printf("{\"connect_ms\": %lld, \"pair\": \"%s\"}\n", qlonglong(pair.connectMs),
                qPrintable(pair.a->selectedPairType()));
}

TEST(LinkPair, OneMegabyteOfMessagesArrivesInOrder)
{
    LinkPair pair;
    pair.start();
    ASSERT_TRUE(pair.waitUp());
    constexpr int kCount = 1024;
    constexpr int kSize = 1024;
    for (int i = 0; i < kCount; ++i) {
        QByteArray m(kSize, char('a' + i % 26));
        qToBigEndian<quint32>(quint32(i), m.data());
        ASSERT_TRUE(pair.a->send(m).ok());
    }
    ASSERT_TRUE(waitFor([&] { return pair.eb.messages.size() >= kCount; }, 10000))
        << pair.eb.messages.size();
    ASSERT_EQ(pair.eb.messages.size(), kCount);
    for (int i = 0; i < kCount; ++i) {
        const QByteArray& m = pair.eb.messages[i];
        ASSERT_EQ(m.size(), kSize);
        ASSERT_EQ(qFromBigEndian<quint32>(m.constData()), quint32(i));
        ASSERT_EQ(m.back(), char('a' + i % 26));
    }
    EXPECT_FALSE(pair.ea.down || pair.eb.down);
}

TEST(LinkPair, TenThousandPacedMediaDatagramsArrive)
{
    LinkPair pair;
    pair.start();
    ASSERT_TRUE(pair.waitUp());
    ASSERT_TRUE(pair.a->startMedia().ok());
    ASSERT_TRUE(waitFor([&] { return pair.ea.mediaUp && pair.eb.mediaUp; }, 5000));
    constexpr int kCount = 10000;
    constexpr int kPerTurn = 50; // FACTS.md: a burst overflows the receive buffer
    int sent = 0;
    QTimer pacer;
    pacer.setInterval(1);
    QObject::connect(&pacer, &QTimer::timeout, [&] {
        for (int i = 0; i < kPerTurn && sent < kCount; ++i, ++sent) {
            QByteArray d(160, char(sent));
            qToBigEndian<quint32>(quint32(sent), d.data());
            // Both directions: A->B even-numbered, B->A odd... keep it simple: both send all.
            pair.a->sendMedia(d);
            pair.b->sendMedia(d);
        }
        // Read on the same beat, as a call's playback pull reads (PacedReceive).
        PacedReceive::drain();
        if (sent >= kCount) pacer.stop();
    });
    pacer.start();
    waitFor([&] { return pair.eb.datagrams >= kCount && pair.ea.datagrams >= kCount; }, 15000);
    EXPECT_EQ(pair.eb.datagrams, kCount);
    EXPECT_EQ(pair.ea.datagrams, kCount);
    EXPECT_EQ(qFromBigEndian<quint32>(pair.eb.lastDatagram.constData()), quint32(kCount - 1));
}

namespace {
// Sends `count` datagrams A -> B once both media ends are up; B's count before any drain.
int mediaWithoutDrain(LinkPair& pair, int count, QElapsedTimer* sinceSent = nullptr)
{
    pair.start();
    if (!pair.waitUp() || !pair.a->startMedia().ok()) return -1;
    if (!waitFor([&] { return pair.ea.mediaUp && pair.eb.mediaUp; }, 5000)) return -1;
    for (int i = 0; i < count; ++i)
        pair.a->sendMedia(QByteArray(160, char(i)));
    if (sinceSent) sinceSent->start();
    // Time enough for the event loop to read them had it been watching the socket.
    waitFor([] { return false; }, 200);
    return pair.eb.datagrams;
}
} // namespace

TEST(LinkPair, ConnectedMediaIsReadOnTheBeatNotAsItArrives)
{
    PacedReceive::setFallbackMs(60000); // only the explicit drain reads
    LinkPair pair;
    QElapsedTimer sinceSent;
    const int beforeDrain = mediaWithoutDrain(pair, 5, &sinceSent);
    ASSERT_GE(beforeDrain, 0) << "media did not come up";
    EXPECT_EQ(beforeDrain, 0) << "a paced stream woke the event loop for its datagrams";
    QList<qint64> ageUs; // read time minus the arrival time each datagram carries
    QObject::connect(pair.b.get(), &ControlLink::mediaDatagram,
                     [&](const QByteArray&, qint64 arrivedUs) {
                         ageUs.append(PacedReceive::clockUs() - arrivedUs);
                     });
    const qint64 waitedUs = sinceSent.nsecsElapsed() / 1000;
    PacedReceive::drain();
    EXPECT_EQ(pair.eb.datagrams, 5) << "one drain reads everything queued";
    // Each carries when it reached the host (the kernel's stamp), not when the drain read it.
    ASSERT_EQ(ageUs.size(), 5);
    for (qint64 age : ageUs)
        EXPECT_GT(age, waitedUs / 2) << "the arrival time is the drain's";
    EXPECT_FALSE(pair.ea.down || pair.eb.down);

    // Nothing drains (no call pulls): the fallback beat reads what comes.
    PacedReceive::setFallbackMs(PacedReceive::kDefaultFallbackMs);
    PacedReceive::drain(); // re-arms the fallback at the new interval
    pair.a->sendMedia(QByteArray(160, 'x'));
    EXPECT_TRUE(waitFor([&] { return pair.eb.datagrams == 6; }, 5000));

    // The control: read as each datagram arrives when pacing is off.
    ControlLinkConfig config = loopbackConfig();
    config.pacedMediaReceive = false;
    PacedReceive::setFallbackMs(60000);
    LinkPair eventDriven(config);
    EXPECT_EQ(mediaWithoutDrain(eventDriven, 5), 5);
    PacedReceive::setFallbackMs(PacedReceive::kDefaultFallbackMs);
}

TEST(LinkPair, SrtpKeysAreEqualAcrossEndsAndDifferPerDirection)
{
    LinkPair pair;
    pair.start();
    ASSERT_TRUE(pair.waitUp());
    auto ka = pair.a->srtpKeys(30);
    auto kb = pair.b->srtpKeys(30);
    ASSERT_TRUE(ka.ok() && kb.ok());
    EXPECT_EQ(ka->local.size(), 30);
    EXPECT_EQ(ka->local, kb->remote);
    EXPECT_EQ(ka->remote, kb->local);
    EXPECT_NE(ka->local, ka->remote);
    // A new link exports new keys.
    LinkPair other;
    other.start();
    ASSERT_TRUE(other.waitUp());
    EXPECT_NE(other.a->srtpKeys(30)->local, ka->local);
}

TEST(LinkPair, WrongDeviceIsRefusedWithTheReasonOnBothEnds)
{
    LinkPair pair;
    // A expects a device that is not B; keep the roles consistent with B's view of A.
    const DeviceId a = LinkPair::identityA().device;
    const DeviceId b = LinkPair::identityB().device;
    DeviceId wrong =
        (a < b) ? *DeviceId::fromHex(QString(64, QLatin1Char('f'))) : DeviceId::fromNumber(1);
    pair.start(wrong);
    ASSERT_TRUE(pair.waitDown());
    EXPECT_FALSE(pair.ea.up);
    EXPECT_FALSE(pair.eb.up);
    EXPECT_TRUE(pair.ea.reason.contains(QStringLiteral("not to device")))
        << pair.ea.reason.toStdString();
    EXPECT_TRUE(pair.eb.reason.contains(QStringLiteral("refused"))) << pair.eb.reason.toStdString();
    std::printf("refusing side: %s\nrefused side: %s\n", qPrintable(pair.ea.reason),
                qPrintable(pair.eb.reason));
}

TEST(LinkPair, CleanCloseTellsThePeerWhy)
{
    LinkPair pair;
    pair.start();
    ASSERT_TRUE(pair.waitUp());
    pair.a->close(QStringLiteral("user left"));
    EXPECT_TRUE(pair.ea.down);
    ASSERT_TRUE(waitFor([&] { return pair.eb.down; }, 2000));
    EXPECT_TRUE(pair.eb.reason.contains(QStringLiteral("user left")))
        << pair.eb.reason.toStdString();
}

TEST(LinkPair, PingsCarryTheOwnersHeaderAndInterval)
{
    LinkPair pair;
    pair.start();
    ASSERT_TRUE(pair.waitUp());
    pair.a->setPingHeaderProvider([] { return QByteArrayLiteral("sid|7|42"); });
    pair.a->setSessionActive(true); // announces 250 ms at once
    ASSERT_TRUE(waitFor([&] { return pair.eb.pingHeaders.contains("sid|7|42"); }, 2000));
    EXPECT_EQ(pair.b->peerPingInterval(), 250);
    const int before = pair.eb.pingHeaders.size();
    ASSERT_TRUE(waitFor([&] { return pair.eb.pingHeaders.size() >= before + 2; }, 2000));
}

TEST(LinkPair, FullSendQueueRefusesThenDrains)
{
    ControlLinkConfig config = loopbackConfig();
    config.maxQueued = 256 * 1024;
    LinkPair pair(config);
    pair.start();
    ASSERT_TRUE(pair.waitUp());
    bool drained = false;
    QObject::connect(pair.a.get(), &ControlLink::writable, [&] { drained = true; });
    const QByteArray chunk(64 * 1024, 'x');
    int accepted = 0;
    while (pair.a->send(chunk).ok())
        ++accepted;
    // PseudoTCP takes about 60 KiB at once; the rest waits in our queue.
    EXPECT_GE(accepted, 3);
    EXPECT_LE(accepted, 8);
    EXPECT_FALSE(pair.a->send(chunk).ok());
    drained = false;
    ASSERT_TRUE(waitFor([&] { return drained; }, 5000));
    EXPECT_TRUE(pair.a->send(chunk).ok());
    ASSERT_TRUE(waitFor([&] { return pair.eb.messages.size() == accepted + 1; }, 5000));
}

TEST(LinkPair, OversizedMessageIsRefusedBeforeSending)
{
    ControlLinkConfig config = loopbackConfig();
    config.maxFrame = 1000;
    LinkPair pair(config);
    pair.start();
    ASSERT_TRUE(pair.waitUp());
    auto status = pair.a->send(QByteArray(1001, 'x'));
    ASSERT_FALSE(status.ok());
    EXPECT_TRUE(status.error().contains(QStringLiteral("limit")));
    EXPECT_TRUE(pair.a->send(QByteArray(1000, 'x')).ok());
}

TEST(LinkPair, ForgedChainIsRefusedWithTheVerifiersReason)
{
    using namespace plenum::crypto;
    // B's link certificate is signed by some other device's key, but B presents its own
    // device and account certificates: the chain does not hold together.
    auto accountKey = PrivateKey::generate(KeyKind::Ed25519).value();
    auto deviceKey = PrivateKey::generate(KeyKind::Ed25519).value();
    auto otherKey = PrivateKey::generate(KeyKind::Ed25519).value();
    auto linkKey = PrivateKey::generate(KeyKind::Ed25519).value();
    auto account =
        issueCertificate(accountKey, "F account", CertRole::Account, nullptr, accountKey).value();
    auto device =
        issueCertificate(deviceKey, "F device", CertRole::Device, &account, accountKey).value();
    auto other =
        issueCertificate(otherKey, "F device", CertRole::Device, &account, accountKey).value();
    auto link = issueCertificate(linkKey, "F link", CertRole::Link, &other, otherKey).value();
    TestIdentity forged;
    forged.device = deviceIdOf(device);
    // fromNative skips the local sanity check that fromIdentity does.
    forged.credentials =
        LinkCredentials::fromNative(forged.device, linkKey.native(),
                                    {link.native(), device.native(), account.native()})
            .value();
    LinkPair pair;
    pair.startWithB(forged, forged.device);
    ASSERT_TRUE(pair.waitDown());
    EXPECT_TRUE(pair.ea.reason.contains(QStringLiteral("chain is invalid")))
        << pair.ea.reason.toStdString();
    EXPECT_TRUE(pair.eb.reason.contains(QStringLiteral("refused"))) << pair.eb.reason.toStdString();
    std::printf("refusing side: %s\n", qPrintable(pair.ea.reason));
    // And the local check would not even have let B present it.
    EXPECT_FALSE(LinkCredentials::fromIdentity(linkKey, {link, device, account}).ok());
}

TEST(LinkPair, RevokedDeviceIsRefused)
{
    LinkPair pair;
    pair.verifierA = chainVerifier({LinkPair::identityB().device});
    pair.start();
    ASSERT_TRUE(pair.waitDown());
    EXPECT_FALSE(pair.ea.up || pair.eb.up);
    EXPECT_TRUE(pair.ea.reason.contains(QStringLiteral("invalid"))) << pair.ea.reason.toStdString();
    std::printf("refusing side: %s\n", qPrintable(pair.ea.reason));
}

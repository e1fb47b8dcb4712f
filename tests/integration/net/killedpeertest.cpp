// A peer process killed with SIGKILL: the link must go down within the liveness timeout
// (4 x 250 ms while a session is active, DESIGN §3), and this process keeps running.
#include "linkpair.h"
#include "linktestprocess.h"

#include "net/linkmanager.h"
#include "net/relaysignaling.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::net;
using namespace plenum::net::test;

TEST(KilledPeer, LinkGoesDownWithinTheLivenessTimeout)
{
    ensureApp();
    LinkTestProcess child({QStringLiteral("--loopback"), QStringLiteral("--ping-ms"),
                           QStringLiteral("250"), QStringLiteral("--name"),
                           QStringLiteral("child")});
    ASSERT_TRUE(child.started());
    const DeviceId childId = *DeviceId::fromHex(child.device());
    const TestIdentity& me = LinkPair::identityA();
    RelaySignaling relay(
        [&](DeviceId, QByteArray bytes) { child.command("signal " + bytes.toBase64()); });
    child.onSignal([&](const QByteArray& bytes) { relay.deliver(childId, bytes); });
    child.command("peer " + me.device.toHex().toLatin1());

    LinkManager manager(me.credentials, chainVerifier(), &relay, loopbackConfig());
    bool up = false, down = false;
    QString reason;
    QObject::connect(&manager, &LinkManager::linkUp, [&] { up = true; });
    QObject::connect(&manager, &LinkManager::linkDown, [&](DeviceId, const QString& r) {
        down = true;
        reason = r;
    });
    ControlLink* link = manager.connectTo(childId);
    link->setSessionActive(true);
    ASSERT_TRUE(waitFor([&] { return up || down; }, 5000)) << child.stderrText().toStdString();
    ASSERT_TRUE(up) << reason.toStdString();
    ASSERT_FALSE(child.waitEvent(QStringLiteral("up"), 3000).isEmpty());
    // Let both ends see each other's 250 ms announcement.
    ASSERT_TRUE(waitFor([&] { return link->peerPingInterval() == 250; }, 2000));

    QElapsedTimer clock;
    clock.start();
    child.kill();
    ASSERT_TRUE(waitFor([&] { return down; }, 3000));
    const qint64 ms = clock.elapsed();
    std::printf("{\"killed_peer_detected_ms\": %lld, \"reason\": \"%s\"}\n", qlonglong(ms),
                qPrintable(reason));
    EXPECT_LT(ms, 1500);
    EXPECT_GE(ms, 700); // not earlier than ~3 missed pings: no false alarms
}

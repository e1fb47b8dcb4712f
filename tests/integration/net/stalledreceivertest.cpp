// A receiver that was itself not scheduled for longer than the liveness timeout must not
// misread its own stall as the peer's silence (issue 14: calls of 6+ processes beside a CPU
// hog dropped every link of a starved process at once). The peer runs in its own process and
// keeps pinging; this process's event loop is blocked for 1.6 s (> 4 x 250 ms). On waking,
// the peer's pings wait in the socket beside the expired liveness timer, which GLib
// dispatches first: the link must read them before it judges.
#include "linkpair.h"
#include "linktestprocess.h"

#include "net/linkmanager.h"
#include "net/relaysignaling.h"

#include <QThread>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::net;
using namespace plenum::net::test;

TEST(StalledReceiver, DoesNotMisreadItsOwnStallAsThePeersSilence)
{
    ensureApp();
    // The child tolerates 40 of our intervals (10 s): our stall is real silence to it, and
    // this case is about our verdict, not its.
    LinkTestProcess child({QStringLiteral("--loopback"), QStringLiteral("--ping-ms"),
                           QStringLiteral("250"), QStringLiteral("--missed-pings"),
                           QStringLiteral("40"), QStringLiteral("--name"),
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
    ASSERT_TRUE(waitFor([&] { return up || down; }, 10000)) << child.stderrText().toStdString();
    ASSERT_TRUE(up) << reason.toStdString();
    ASSERT_TRUE(waitFor([&] { return link->peerPingInterval() == 250; }, 5000));

    // Blocks this thread's event loop as a starved process is blocked: nothing is read and
    // no timer runs; the child's pings queue in our socket meanwhile.
    QElapsedTimer stall;
    stall.start();
    QThread::msleep(1600);
    ASSERT_GE(stall.elapsed(), 4 * 250 + 200);
    // A few seconds of normal running after the stall: the link stays up.
    (void)waitFor([&] { return down; }, 3000);
    EXPECT_FALSE(down) << "the link went down after our own stall: " << reason.toStdString();
    ASSERT_FALSE(child.events().isEmpty());
    for (const QJsonObject& e : child.events())
        EXPECT_NE(e.value("event").toString(), QStringLiteral("down"))
            << e.value("reason").toString().toStdString();
}

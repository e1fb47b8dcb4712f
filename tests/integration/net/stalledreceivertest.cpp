// A receiver that was itself not scheduled for longer than the liveness timeout must not
// misread its own stall as the peer's silence (issue 14: calls of 6+ processes beside a CPU
// hog dropped every link of a starved process at once). The peer runs in its own process and
// keeps pinging; this process's event loop is blocked for 1.6 s (> 4 x 250 ms). On waking,
// the peer's pings wait in the socket beside the expired liveness timer, which GLib
// dispatches first: the link must read them before it judges.
#include "childlink.h"

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
    ChildLink l({QStringLiteral("--missed-pings"), QStringLiteral("40")});
    ASSERT_TRUE(l.connect(10000));

    // Blocks this thread's event loop as a starved process is blocked: nothing is read and
    // no timer runs; the child's pings queue in our socket meanwhile.
    QElapsedTimer stall;
    stall.start();
    QThread::msleep(1600);
    ASSERT_GE(stall.elapsed(), 4 * 250 + 200);
    // A few seconds of normal running after the stall: the link stays up.
    (void)waitFor([&] { return l.down; }, 3000);
    EXPECT_FALSE(l.down) << "the link went down after our own stall: " << l.reason.toStdString();
    ASSERT_FALSE(l.child.events().isEmpty());
    for (const QJsonObject& e : l.child.events())
        EXPECT_NE(e.value("event").toString(), QStringLiteral("down"))
            << e.value("reason").toString().toStdString();
}

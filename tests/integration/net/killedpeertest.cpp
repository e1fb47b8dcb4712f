// A peer process killed with SIGKILL: the link must go down within the liveness timeout
// (4 x 250 ms while a session is active, DESIGN §3), and this process keeps running.
#include "childlink.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::net;
using namespace plenum::net::test;

TEST(KilledPeer, LinkGoesDownWithinTheLivenessTimeout)
{
    ensureApp();
    ChildLink l;
    ASSERT_TRUE(l.connect(5000));
    ASSERT_FALSE(l.child.waitEvent(QStringLiteral("up"), 3000).isEmpty());

    QElapsedTimer clock;
    clock.start();
    l.child.kill();
    ASSERT_TRUE(waitFor([&] { return l.down; }, 3000));
    const qint64 ms = clock.elapsed();
    std::printf("{\"killed_peer_detected_ms\": %lld, \"reason\": \"%s\"}\n", qlonglong(ms),
                qPrintable(l.reason));
    EXPECT_LT(ms, 1500);
    EXPECT_GE(ms, 700); // not earlier than ~3 missed pings: no false alarms
}

// Issue 14: a member whose process stalls for longer than the 1 s silence rule (a laptop
// under a build, a phone between networks) loses its links, and links again when it wakes.
// Within the SM's grace the others never see it leave. Before, the SM and one other member
// that lost it removed it at once (DESIGN §4), and it rejoined: a removal and a readmission
// that every member's roster, presence record and call went through.
#include "peergroup.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sys/types.h>

using namespace plenum::testsupport;

TEST(NodeGroup, AMemberStalledForOneAndAHalfSecondsIsNotRemoved)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol", "dave"});
    ASSERT_EQ(peers.size(), 4u);
    PeerProcess* carol = peers[2];
    const qint64 t0 = testClockMs();

    ASSERT_EQ(::kill(static_cast<pid_t>(carol->pid()), SIGSTOP), 0);
    waitFor([] { return false; }, 1500);
    ASSERT_EQ(::kill(static_cast<pid_t>(carol->pid()), SIGCONT), 0);
    // Its links went down after 1 s of silence at every member; they come back once it runs.
    waitFor([] { return false; }, 5000);

    ASSERT_TRUE(group.rostersEqual(peers, 4, 10000));
    for (PeerProcess* p : peers) {
        if (p == carol) continue;
        for (const QJsonObject& e : p->events()) {
            if (e.value("event") != "roster" || e.value("_ms").toInteger() < t0) continue;
            EXPECT_TRUE(devicesIn(e).contains(carol->device))
                << p->name.toStdString() << " saw carol removed at "
                << e.value("_ms").toInteger() - t0 << " ms";
        }
    }
}

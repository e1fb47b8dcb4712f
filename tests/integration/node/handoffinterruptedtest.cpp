// Issue 15: "failure at any step leaves the session exactly as it was on A1, with a reason in
// words" — also when the step that fails is A1's own process. A push cut short by a crash
// before its seat was committed lived only in memory: the restarted A1 forgot it without a
// word (and a seat the SM committed afterwards was withdrawn with a warning about "a seat no
// hand-off here asked for"). A1 now keeps its pushes under way on disk (PendingPushFile).
#include "handoffsupport.h"
#include "peergroup.h"

#include <QFile>

#include <csignal>
#include <sys/types.h>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

namespace {

bool linkedTo(PeerProcess* p, const QString& device)
{
    auto stats = p->ask({{"cmd", "stats"}}, "stats", 2000);
    return stats && stats->value("links").toObject().contains(device);
}

} // namespace

// Bob, the SM, is stopped (SIGSTOP) so the seat cannot commit; A1 pushes and is killed once
// the push is on its disk; Bob runs again. The restarted A1 says the hand-off stopped, the
// session is as it was, nothing warns a second time, and the next push to the same device goes
// through. (A2's link is signalled through a member, so with Bob stopped A1 is killed while
// linking: measured in every run so far. Were the link up, the RESERVE would be on its way
// and the seat Bob commits for it would be withdrawn at the restart, silently.)
TEST(NodeHandoff, APushCutShortByACrashIsReportedAfterTheRestart)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build(8, true)); // Bob is the SM
    const QString record = s.a1->profileDir + QStringLiteral("/handoffs.rec");
    ASSERT_FALSE(QFile::exists(record));

    ASSERT_EQ(::kill(static_cast<pid_t>(s.bob->pid()), SIGSTOP), 0);
    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    // Well under the 1 s after which links to the stopped Bob would count as down.
    const bool recorded = waitFor([&] { return QFile::exists(record); }, 300);
    const bool reserveSent = recorded && waitFor([&] { return linkedTo(s.a1, s.a2->device); }, 300);
    s.a1->kill();
    ASSERT_EQ(::kill(static_cast<pid_t>(s.bob->pid()), SIGCONT), 0);
    ASSERT_TRUE(recorded) << "the push was not on A1's disk within 300 ms";
    std::printf("[ interrupted ] A2's link was %s up when A1 was killed\n",
                reserveSent ? "already" : "not yet");

    ASSERT_TRUE(s.group.restart(s.a1));
    auto failed = s.a1->waitEvent("handoff_failed", 10000);
    ASSERT_TRUE(failed.has_value()) << "the restarted A1 said nothing\n" << trail(s.a1);
    EXPECT_EQ(failed->value("reason").toString(), "Plenum closed before the hand-off could finish");
    EXPECT_EQ(failed->value("device").toString(), s.a2->device);
    EXPECT_EQ(failed->value("role").toString(), "pushed");
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000)) << trail(s.a1);
    EXPECT_FALSE(devicesIn(s.bob->lastRoster()).contains(s.a2->device));
    EXPECT_FALSE(QFile::exists(record)) << "the lost push is still on disk";

    // Told once: the withdrawal of a seat committed for it is no news to the user.
    waitFor([] { return false; }, 1500);
    for (const QJsonObject& e : s.a1->events())
        EXPECT_FALSE(e.value("event") == "warning" &&
                     e.value("text").toString().contains("no hand-off here asked for"))
            << e.value("text").toString().toStdString();

    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    ASSERT_TRUE(s.a2->waitEvent("handoff_offer", 20000)) << trail(s.a1) << "\n" << trail(s.a2);
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    auto done = outcome(s.a1, 30000);
    ASSERT_TRUE(done.has_value()) << trail(s.a1);
    ASSERT_EQ(done->value("event").toString(), "handoff_done") << trail(s.a1);
    ASSERT_TRUE(s.group.rostersEqual({s.a2, s.bob, s.carol}, 3, 15000));
    EXPECT_FALSE(QFile::exists(record)) << "a finished push is still on disk";
}

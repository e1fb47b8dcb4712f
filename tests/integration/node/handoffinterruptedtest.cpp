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
// linking: measured in every run so far. With the link up the RESERVE is on its way, and the
// seat Bob commits for it is withdrawn at the restart, silently: the test after this one.)
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

namespace {

// The seats a "roster" event lists (their devices).
QStringList seatsIn(const QJsonObject& roster)
{
    QStringList out;
    for (const auto& s : roster.value("seats").toArray())
        out.append(s.toObject().value("device").toString());
    return out;
}

} // namespace

// The same crash, with A2's link up so the RESERVE reaches Bob, the SM: Carol and Dave are
// stopped, so Bob and A1 are 2 of 4 and no majority can commit the seat (§5.1 rule 4) until
// after A1's restart. The seat then commits for a push nobody here drives any more: the
// restarted A1, which already said the hand-off stopped, withdraws it without a second word
// (NodeHandoff::onSeatEvent), and the session is as it was.
TEST(NodeHandoff, ASeatCommittedAfterTheRestartIsWithdrawnWithoutASecondWord)
{
    PeerGroup group;
    PeerProcess* a1 = group.add("alice");
    PeerProcess* bob = group.add("bob");
    PeerProcess* carol = group.add("carol");
    PeerProcess* dave = group.add("dave");
    const QString sid = group.buildSession({bob, a1, carol, dave});
    ASSERT_FALSE(sid.isEmpty());
    ASSERT_TRUE(group.rostersEqual({a1, bob, carol, dave}, 4, 15000));
    PeerProcess* a2 = pairPhone(group, a1);
    ASSERT_NE(a2, nullptr) << "Alice's phone was not paired";

    // A2's link is signalled through a member: brought up first, by a push A2 declines. Made
    // once A1 sees A2 online (else the push waits in A2's DHT mailbox and A2 links to Bob only).
    const bool online = waitFor(
        [&] {
            auto list = a1->ask({{"cmd", "devices"}}, "devices", 2000);
            if (!list) return false;
            for (const auto& d : list->value("devices").toArray())
                if (d.toObject().value("device") == a2->device)
                    return d.toObject().value("online").toBool();
            return false;
        },
        15000);
    ASSERT_TRUE(online) << "A1 never saw its phone online";
    a1->send({{"cmd", "handoff_push"}, {"sid", sid}, {"device", a2->device}});
    ASSERT_TRUE(a2->waitEvent("handoff_offer", 20000)) << trail(a1) << "\n" << trail(a2);
    a2->send({{"cmd", "handoff_answer"}, {"sid", sid}, {"accept", false}});
    ASSERT_TRUE(a1->waitEvent("handoff_failed", 10000)) << trail(a1);
    ASSERT_TRUE(waitFor([&] { return seatsIn(bob->lastRoster()).isEmpty(); }, 5000));
    ASSERT_TRUE(waitFor([&] { return linkedTo(a1, a2->device); }, 5000)) << trail(a1);

    ASSERT_EQ(::kill(static_cast<pid_t>(carol->pid()), SIGSTOP), 0);
    ASSERT_EQ(::kill(static_cast<pid_t>(dave->pid()), SIGSTOP), 0);
    const auto resume = [&] {
        ::kill(static_cast<pid_t>(carol->pid()), SIGCONT);
        ::kill(static_cast<pid_t>(dave->pid()), SIGCONT);
    };
    a1->send({{"cmd", "handoff_push"}, {"sid", sid}, {"device", a2->device}});
    const qint64 pushed = testClockMs();
    const bool linked = waitFor([&] { return linkedTo(a1, a2->device); }, 10000);
    if (!linked) resume();
    ASSERT_TRUE(linked) << "A2's link did not come up\n" << trail(a1);
    std::printf("[ seat after restart ] A2 linked %lld ms after the push\n",
                static_cast<long long>(testClockMs() - pushed));
    waitFor([] { return false; }, 300); // the RESERVE reaches Bob, who cannot commit it
    a1->kill();
    const bool restarted = group.restart(a1);
    resume();
    ASSERT_TRUE(restarted);
    const qint64 back = testClockMs();

    auto failed = a1->waitEvent(
        [&](const QJsonObject& e) {
            return e.value("event") == "handoff_failed" && e.value("_ms").toDouble() >= pushed;
        },
        10000);
    ASSERT_TRUE(failed.has_value()) << "the restarted A1 said nothing\n" << trail(a1);
    EXPECT_EQ(failed->value("reason").toString(), "Plenum closed before the hand-off could finish");

    // Bob committed the seat after A1 was back, and then its withdrawal.
    std::optional<qint64> seatAt, withdrawnAt;
    const bool seen = waitFor(
        [&] {
            for (const QJsonObject& e : bob->events()) {
                if (e.value("event") != "roster" || e.value("_ms").toDouble() < back) continue;
                const qint64 at = qint64(e.value("_ms").toDouble());
                if (seatsIn(e).contains(a2->device))
                    seatAt = seatAt.value_or(at);
                else if (seatAt)
                    withdrawnAt = withdrawnAt.value_or(at);
            }
            return withdrawnAt.has_value();
        },
        20000);
    ASSERT_TRUE(seatAt.has_value()) << "Bob committed no seat for A2 after A1's restart\n"
                                    << trail(a1) << "\n"
                                    << trail(bob);
    ASSERT_TRUE(seen) << "the seat committed after the restart was never withdrawn\n"
                      << trail(a1) << "\n"
                      << trail(bob);
    std::printf("[ seat after restart ] committed %lld ms after A1 was back, withdrawn %lld ms "
                "later\n",
                static_cast<long long>(*seatAt - back),
                static_cast<long long>(*withdrawnAt - *seatAt));

    ASSERT_TRUE(group.rostersEqual({a1, bob, carol, dave}, 4, 15000)) << trail(a1);
    EXPECT_FALSE(devicesIn(bob->lastRoster()).contains(a2->device));
    EXPECT_TRUE(seatsIn(bob->lastRoster()).isEmpty());
    int told = 0;
    for (const QJsonObject& e : a1->events()) {
        told += e.value("event") == "handoff_failed" && e.value("_ms").toDouble() >= pushed;
        EXPECT_FALSE(e.value("event") == "warning" &&
                     e.value("text").toString().contains("no hand-off here asked for"))
            << e.value("text").toString().toStdString();
    }
    EXPECT_EQ(told, 1) << trail(a1);
}

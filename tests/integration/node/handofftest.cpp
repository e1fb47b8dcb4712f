// Issue 15: a live chat session moves between two devices of Alice's account (real
// plenum-peer processes, private DHT on loopback). Bob and Carol see the roster change
// A1 -> A2 and never a roster without Alice; A2 has the history from before and a message
// sent during the hand-off; a declined offer and an unreachable A2 leave the session as it was
// with the reason in words; a pull brings the session back; an offline A2 gets the session
// through the DHT (store and forward) when it comes online within the seat's TTL.
#include "audiogap.h"
#include "callcheck.h"
#include "handoffsupport.h"
#include "peergroup.h"

#include "media/wavfile.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <algorithm>

using namespace plenum::testsupport;

TEST(NodeHandoff, PushMovesTheSessionWithItsHistoryAndPullBringsItBack)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    for (const QString& text : {QStringLiteral("before 1"), QStringLiteral("before 2")})
        ASSERT_TRUE(s.a1->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", text}}, "sent"));
    ASSERT_TRUE(s.bob->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "from bob before"}}, "sent"));
    ASSERT_TRUE(s.a1->waitEvent([](auto& e) { return isChat(e, "from bob before"); }, 10000));

    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    auto offer = s.a2->waitEvent("handoff_offer", 20000);
    ASSERT_TRUE(offer.has_value()) << "no offer on A2\n" << trail(s.a1) << "\n" << trail(s.a2);
    EXPECT_EQ(offer->value("sid").toString(), s.sid);
    EXPECT_EQ(offer->value("from").toString(), s.a1->device);
    // Bob speaks while the hand-off is under way: A2 must get it.
    ASSERT_TRUE(s.bob->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "during"}}, "sent"));
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});

    auto onA1 = outcome(s.a1, 30000);
    ASSERT_TRUE(onA1.has_value());
    ASSERT_EQ(onA1->value("event").toString(), "handoff_done")
        << onA1->value("reason").toString().toStdString();
    auto onA2 = outcome(s.a2, 30000);
    ASSERT_TRUE(onA2.has_value());
    ASSERT_EQ(onA2->value("event").toString(), "handoff_done")
        << onA2->value("reason").toString().toStdString();
    for (PeerProcess* p : {s.bob, s.carol})
        EXPECT_TRUE(waitRosterHas(p, s.a2->device, true, 15000)) << p->name.toStdString();
    ASSERT_TRUE(s.group.rostersEqual({s.a2, s.bob, s.carol}, 3, 15000));
    EXPECT_FALSE(devicesIn(s.bob->lastRoster()).contains(s.a1->device)) << "A1 left after";
    expectNobodySawLeave(s);
    // History: what was said before (from the snapshot) and during (from the members).
    QStringList texts;
    EXPECT_TRUE(historyHas(s.a2, {"before 1", "before 2", "from bob before", "during"}, &texts))
        << texts.join(" | ").toStdString();
    // A2 speaks in the session now.
    ASSERT_TRUE(s.a2->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "from the phone"}}, "sent"));
    EXPECT_TRUE(s.carol->waitEvent([](auto& e) { return isChat(e, "from the phone"); }, 10000));

    // "Continue here" without knowing the id: A1 sees through A2's presence which session A2
    // is live in, titled with the others' names, and pulls it back by that.
    std::optional<QJsonObject> listed;
    for (int i = 0; i < 60 && !listed; ++i) {
        if (auto ev = s.a1->ask({{"cmd", "live_sessions"}}, "live_sessions"))
            for (const auto& v : ev->value("sessions").toArray())
                if (v.toObject().value("sid").toString() == s.sid &&
                    v.toObject().value("device").toString() == s.a2->device)
                    listed = v.toObject();
        if (!listed) s.a1->waitEvent("never", 500);
    }
    ASSERT_TRUE(listed.has_value()) << "A2's presence never listed the session";
    const QString title = listed->value("title").toString();
    EXPECT_TRUE(title.contains("bob") && title.contains("carol")) << title.toStdString();
    EXPECT_EQ(listed->value("class").toString(), "phone");
    auto pulled = s.a1->ask({{"cmd", "handoff_pull"}, {"sid", listed->value("sid").toString()}},
                            "handoff_done", 40000);
    ASSERT_TRUE(pulled.has_value()) << "the pull did not complete";
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
    expectNobodySawLeave(s);
}

TEST(NodeHandoff, DeclinedOrOfflinePastItsTtlLeavesTheSessionAsItWas)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    QStringList before = devicesIn(s.bob->lastRoster());
    before.sort();

    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    auto offer = s.a2->waitEvent("handoff_offer", 20000);
    ASSERT_TRUE(offer.has_value());
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", false}});
    auto declined = outcome(s.a1, 20000);
    ASSERT_TRUE(declined.has_value());
    EXPECT_EQ(declined->value("event").toString(), "handoff_failed");
    EXPECT_TRUE(declined->value("reason").toString().contains("declined"))
        << declined->value("reason").toString().toStdString();
    // As it was: A1 still in, the same three devices everywhere; A1 still speaks.
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
    EXPECT_TRUE(devicesIn(s.bob->lastRoster()).contains(s.a1->device));
    EXPECT_FALSE(devicesIn(s.bob->lastRoster()).contains(s.a2->device));
    ASSERT_TRUE(s.a1->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "still here"}}, "sent"));
    EXPECT_TRUE(s.bob->waitEvent([](auto& e) { return isChat(e, "still here"); }, 10000));

    // A2 offline, and it stays offline past the seat's TTL: the snapshot waited in its DHT
    // mailbox, the push fails in words, nothing changes; A2 coming online afterwards is not
    // offered the stale hand-off.
    ASSERT_TRUE(s.a2->quit());
    s.a2->setExtraArgs({"--device-class", "phone"});
    s.a1->send(
        {{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}, {"ttl_ms", 6000}});
    ASSERT_TRUE(s.a1->waitEvent("handoff_stored", 30000)) << trail(s.a1);
    auto expired = outcome(s.a1, 60000);
    ASSERT_TRUE(expired.has_value());
    EXPECT_EQ(expired->value("event").toString(), "handoff_failed");
    EXPECT_EQ(expired->value("reason").toString(),
              "the other device did not come online within 6 s");
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
    EXPECT_TRUE(devicesIn(s.carol->lastRoster()).contains(s.a1->device));
    ASSERT_TRUE(s.group.restart(s.a2));
    EXPECT_FALSE(s.a2->waitEvent("handoff_offer", 8000).has_value()) << trail(s.a2);
    EXPECT_FALSE(devicesIn(s.bob->lastRoster()).contains(s.a2->device));
    ASSERT_TRUE(s.a1->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "after the expiry"}}, "sent"));
    EXPECT_TRUE(s.bob->waitEvent([](auto& e) { return isChat(e, "after the expiry"); }, 10000));
    expectNobodySawLeave(s);
    QStringList after = devicesIn(s.bob->lastRoster());
    after.sort();
    EXPECT_EQ(after, before) << "the members changed";
}

// Store and forward: A2 is offline at the push. A1 stores the signed snapshot in A2's DHT
// mailbox (the SM's INVITE waits there too); A2 comes online 20 s later, within the seat's
// default 60 s, finds both and completes the hand-off. The others never see Alice leave; A2
// has the history from the snapshot and what was said while it was offline.
TEST(NodeHandoff, AnOfflineDeviceCompletesTheHandoffFromTheDhtWhenItComesOnline)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    ASSERT_TRUE(s.a1->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "before"}}, "sent"));
    ASSERT_TRUE(s.a2->quit());
    s.a2->setExtraArgs({"--device-class", "phone"});

    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    auto stored = s.a1->waitEvent("handoff_stored", 30000);
    ASSERT_TRUE(stored.has_value()) << trail(s.a1);
    const qint64 left =
        qint64(stored->value("until_ms").toDouble()) - QDateTime::currentMSecsSinceEpoch();
    EXPECT_GT(left, 40000) << "the seat should live about 60 s from the push";
    EXPECT_LE(left, 61000);
    // 20 s offline; Bob speaks meanwhile; A1 is still in the session and has no outcome yet.
    EXPECT_FALSE(outcome(s.a1, 10000).has_value()) << trail(s.a1);
    ASSERT_TRUE(s.bob->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "while away"}}, "sent"));
    EXPECT_FALSE(outcome(s.a1, 10000).has_value()) << trail(s.a1);
    EXPECT_TRUE(devicesIn(s.bob->lastRoster()).contains(s.a1->device));

    ASSERT_TRUE(s.group.restart(s.a2));
    const qint64 online = testClockMs();
    auto offer = s.a2->waitEvent("handoff_offer", 20000);
    ASSERT_TRUE(offer.has_value()) << "no offer from the DHT\n"
                                   << trail(s.a1) << "\n"
                                   << trail(s.a2);
    EXPECT_EQ(offer->value("from").toString(), s.a1->device);
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    auto onA2 = outcome(s.a2, 30000);
    ASSERT_TRUE(onA2.has_value());
    ASSERT_EQ(onA2->value("event").toString(), "handoff_done") << trail(s.a2);
    auto onA1 = outcome(s.a1, 30000);
    ASSERT_TRUE(onA1.has_value());
    ASSERT_EQ(onA1->value("event").toString(), "handoff_done") << trail(s.a1);
    const qint64 onlineToDone = qint64(onA2->value("_ms").toDouble()) - online;
    std::printf("[ store and forward ] A2 online -> hand-off done on A2: %lld ms\n",
                static_cast<long long>(onlineToDone));
    // A1 dials A2 afresh when A2's presence comes online: A2 no longer waits out its 10 s
    // link bound behind A1's stale attempt (10.3 s before; about 1-2 s now).
    EXPECT_LT(onlineToDone, 7000) << trail(s.a1) << "\n" << trail(s.a2);
    ASSERT_TRUE(s.group.rostersEqual({s.a2, s.bob, s.carol}, 3, 15000));
    expectNobodySawLeave(s);
    QStringList texts;
    EXPECT_TRUE(historyHas(s.a2, {"before", "while away"}, &texts))
        << texts.join(" | ").toStdString();
}

// A push to an offline device that the user cancels before that device comes online: the
// snapshot still waits in the DHT (a stored value cannot be deleted) until its seat's expiry.
// A2 coming online afterwards must not offer the hand-off the user took back. Also when A1
// was killed and restarted between the push and the cancel (it resumes the push from its
// session record, not knowing whether it stored the snapshot).
namespace {

// A1 pushes to its phone A2 while A2 is offline: the snapshot waits in the DHT.
bool pushToOfflinePhone(AliceTwoDevices& s)
{
    if (!s.build() || !s.a2->quit()) return false;
    s.a2->setExtraArgs({"--device-class", "phone"});
    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    if (s.a1->waitEvent("handoff_stored", 30000)) return true;
    ADD_FAILURE() << "not stored\n" << trail(s.a1);
    return false;
}

void cancelStoredPush(bool a1Restarts)
{
    AliceTwoDevices s;
    ASSERT_TRUE(pushToOfflinePhone(s));
    if (a1Restarts) {
        s.a1->kill();
        ASSERT_TRUE(s.group.restart(s.a1));
        ASSERT_TRUE(s.a1->waitEvent("handoff_resumed", 5000)) << trail(s.a1);
        ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000)) << trail(s.a1);
    }
    s.a1->send({{"cmd", "handoff_cancel"}, {"sid", s.sid}});
    auto cancelled = outcome(s.a1, 20000);
    ASSERT_TRUE(cancelled.has_value()) << trail(s.a1);
    EXPECT_EQ(cancelled->value("event").toString(), "handoff_failed");
    s.a1->waitEvent("never", 1000); // A1 stores the withdrawal (a put to the local DHT)

    ASSERT_TRUE(s.group.restart(s.a2));
    EXPECT_FALSE(s.a2->waitEvent("handoff_offer", 10000).has_value()) << trail(s.a2);
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
    EXPECT_FALSE(devicesIn(s.bob->lastRoster()).contains(s.a2->device));
    expectNobodySawLeave(s);
}

} // namespace

TEST(NodeHandoff, ACancelledStoredPushIsNotOfferedWhenTheDeviceComesOnline)
{
    cancelStoredPush(false);
}

TEST(NodeHandoff, ACancelledStoredPushIsNotOfferedEvenAfterA1Restarted)
{
    cancelStoredPush(true);
}

namespace {

bool isWithdrawalWarning(const QJsonObject& e)
{
    return e.value("event") == QLatin1String("warning") &&
           e.value("text").toString().contains("could not be taken back");
}

} // namespace

// The withdrawal is a DHT put like any other, and a put can fail (no DHT node answered): it
// is tried again (2, 4, 8 s later) while the stored push could still be offered. Two puts
// fail here; the third lands, so A2 coming online is not offered the cancelled hand-off, and
// A1 has nothing to tell its user.
TEST(NodeHandoff, AWithdrawalWhosePutFailsIsTriedAgain)
{
    AliceTwoDevices s;
    ASSERT_TRUE(pushToOfflinePhone(s));
    ASSERT_TRUE(s.a1->ask({{"cmd", "fault"}, {"fail_handoff_stores", 2}}, "forged"));
    s.a1->send({{"cmd", "handoff_cancel"}, {"sid", s.sid}});
    auto cancelled = outcome(s.a1, 20000);
    ASSERT_TRUE(cancelled.has_value()) << trail(s.a1);
    EXPECT_EQ(cancelled->value("event").toString(), "handoff_failed");
    // The third attempt is 6 s after the first; a busy machine fires timers late, not early.
    EXPECT_FALSE(s.a1->waitEvent(isWithdrawalWarning, 9000).has_value()) << trail(s.a1);

    ASSERT_TRUE(s.group.restart(s.a2));
    EXPECT_FALSE(s.a2->waitEvent("handoff_offer", 10000).has_value()) << trail(s.a2);
    EXPECT_FALSE(devicesIn(s.bob->lastRoster()).contains(s.a2->device));
    expectNobodySawLeave(s);
}

// Every attempt fails (the DHT stays out of reach): A1's user is told, in words, that the
// hand-off waiting for the other device could not be taken back.
TEST(NodeHandoff, AWithdrawalThatNeverLandsIsToldInWords)
{
    AliceTwoDevices s;
    ASSERT_TRUE(pushToOfflinePhone(s));
    ASSERT_TRUE(s.a1->ask({{"cmd", "fault"}, {"fail_handoff_stores", 100}}, "forged"));
    s.a1->send({{"cmd", "handoff_cancel"}, {"sid", s.sid}});
    ASSERT_TRUE(outcome(s.a1, 20000).has_value()) << trail(s.a1);
    auto told = s.a1->waitEvent(isWithdrawalWarning, 30000); // after 2 + 4 + 8 s of retries
    ASSERT_TRUE(told.has_value()) << trail(s.a1);
    EXPECT_TRUE(told->value("text").toString().contains("4 attempts"))
        << told->value("text").toString().toStdString();
    // The session is as it was on A1.
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
}

namespace {

// A crash on A2 before it answered loses nothing either: nothing of an unanswered
// invitation is on A2's disk, so the restarted A2 has only what A1 sends again once their
// link is back (the snapshot). A2 links to the SM the snapshot names, and the SM, seeing the
// link come back while the seat waits for its answer, sends its INVITE again: A2 is offered
// the session again instead of the seat waiting out its 60 s (Session::resendSeatInvite).
// `stored`: A2 was offline at the push and read the snapshot from its DHT mailbox, which its
// replay memory then refuses to open again; A1 dials it once presence says it is online
// (HandoffMachine::onOnline). Without that dial the push in the test below was stored whenever
// A2's first presence reached A1 after the push, and A2 never saw the session again.
void a2KilledBeforeItAnswered(bool stored)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build(8, true)); // Bob is the SM
    ASSERT_TRUE(s.a1->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "before"}}, "sent"));
    s.a2->setExtraArgs({"--device-class", "phone"}); // paired already
    if (stored) {
        ASSERT_TRUE(s.a2->quit());
    }
    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    if (stored) {
        ASSERT_TRUE(s.a1->waitEvent("handoff_stored", 30000)) << trail(s.a1);
        ASSERT_TRUE(s.group.restart(s.a2));
    }
    ASSERT_TRUE(s.a2->waitEvent("handoff_offer", 15000)) << trail(s.a1) << "\n" << trail(s.a2);

    s.a2->kill();
    ASSERT_TRUE(s.group.restart(s.a2));
    const qint64 restarted = testClockMs();
    auto offer = s.a2->waitEvent("handoff_offer", 20000);
    ASSERT_TRUE(offer.has_value()) << "the restarted A2 was not offered the session again\n"
                                   << trail(s.a1) << "\n"
                                   << trail(s.a2) << "\n"
                                   << trail(s.bob);
    std::printf("[ A2 restarted ] restart -> offered again: %lld ms\n",
                static_cast<long long>(qint64(offer->value("_ms").toDouble()) - restarted));
    EXPECT_EQ(offer->value("from").toString(), s.a1->device);
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    auto onA2 = outcome(s.a2, 30000);
    ASSERT_TRUE(onA2.has_value()) << trail(s.a2);
    ASSERT_EQ(onA2->value("event").toString(), "handoff_done") << trail(s.a2);
    auto onA1 = outcome(s.a1, 30000);
    ASSERT_TRUE(onA1.has_value()) << trail(s.a1);
    EXPECT_EQ(onA1->value("event").toString(), "handoff_done") << trail(s.a1);
    ASSERT_TRUE(s.group.rostersEqual({s.a2, s.bob, s.carol}, 3, 15000));
    expectNobodySawLeave(s);
    QStringList texts;
    EXPECT_TRUE(historyHas(s.a2, {"before"}, &texts)) << texts.join(" | ").toStdString();
}

} // namespace

TEST(NodeHandoff, A2KilledBeforeItAnsweredIsOfferedTheSessionAgain)
{
    a2KilledBeforeItAnswered(false);
}

TEST(NodeHandoff, A2KilledAfterReadingAStoredPushIsOfferedTheSessionAgain)
{
    a2KilledBeforeItAnswered(true);
}

// A crash on A1 loses nothing (docs/handoff.md "A1 restarted"): A1 pushes to an offline A2,
// the snapshot waits in A2's mailbox, and A1 is killed (kill -9) and started again. Its
// session record holds the seat it asked for, so the restarted A1 goes on with the hand-off:
// A2 comes online, completes it from the DHT, and A1 reports the outcome of the push it made
// before the crash. With A1 the SM: restarted at once it is SM still, and starts the seat's
// admission again (its INVITE and tickets died with it); down until Bob and Carol elect
// another, the new SM invites A2 again, and A2, reading both INVITEs from its mailbox in any
// order, follows the newer (docs/session.md items 38 and 39).
enum class A1Was { Member, SmBackAtOnce, SmBackAfterAnElection };

class A1Killed : public ::testing::TestWithParam<A1Was> {};

TEST_P(A1Killed, WhileTheSnapshotWaitsItStillHearsTheOutcome)
{
    const A1Was was = GetParam();
    AliceTwoDevices s;
    ASSERT_TRUE(s.build(8, was == A1Was::Member));
    ASSERT_TRUE(s.a1->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "before"}}, "sent"));
    ASSERT_TRUE(s.a2->quit());
    s.a2->setExtraArgs({"--device-class", "phone"});
    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    ASSERT_TRUE(s.a1->waitEvent("handoff_stored", 30000)) << trail(s.a1);

    s.a1->kill();
    if (was == A1Was::SmBackAfterAnElection) {
        // Bob and Carol elect a new SM (epoch 2), which invites A2 again; then A2 comes online
        // while A1 is still down.
        const bool elected =
            s.bob
                ->waitEvent(
                    [](const QJsonObject& e) {
                        return e.value("event") == "roster" && e.value("epoch").toInteger() >= 2;
                    },
                    15000)
                .has_value();
        ASSERT_TRUE(elected) << "no new SM";
        ASSERT_TRUE(s.group.restart(s.a2));
        ASSERT_TRUE(s.group.restart(s.a1));
    } else {
        ASSERT_TRUE(s.group.restart(s.a1));
        auto resumed = s.a1->waitEvent("handoff_resumed", 5000);
        ASSERT_TRUE(resumed.has_value()) << trail(s.a1);
        EXPECT_EQ(resumed->value("device").toString(), s.a2->device);
        // A1 is back in the session (its record), the seat still lives.
        ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000)) << trail(s.a1);
        EXPECT_FALSE(outcome(s.a1, 3000).has_value()) << trail(s.a1);
        ASSERT_TRUE(s.group.restart(s.a2));
    }
    auto offer = s.a2->waitEvent("handoff_offer", 20000);
    ASSERT_TRUE(offer.has_value()) << "no offer from the DHT\n"
                                   << trail(s.a1) << "\n"
                                   << trail(s.a2);
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    auto onA2 = outcome(s.a2, 30000);
    ASSERT_TRUE(onA2.has_value());
    ASSERT_EQ(onA2->value("event").toString(), "handoff_done") << trail(s.a2) << "\n"
                                                               << trail(s.a1) << "\n"
                                                               << trail(s.bob);
    auto onA1 = outcome(s.a1, 30000);
    ASSERT_TRUE(onA1.has_value()) << "the restarted A1 never heard the outcome\n" << trail(s.a1);
    EXPECT_EQ(onA1->value("event").toString(), "handoff_done") << trail(s.a1);
    EXPECT_EQ(onA1->value("device").toString(), s.a2->device);
    EXPECT_EQ(onA1->value("role").toString(), "pushed");
    ASSERT_TRUE(s.group.rostersEqual({s.a2, s.bob, s.carol}, 3, 15000));
    expectNobodySawLeave(s);
    QStringList texts;
    EXPECT_TRUE(historyHas(s.a2, {"before"}, &texts)) << texts.join(" | ").toStdString();
}

INSTANTIATE_TEST_SUITE_P(NodeHandoff, A1Killed,
                         ::testing::Values(A1Was::Member, A1Was::SmBackAtOnce,
                                           A1Was::SmBackAfterAnElection),
                         [](const auto& info) {
                             switch (info.param) {
                             case A1Was::Member:
                                 return "AMember";
                             case A1Was::SmBackAtOnce:
                                 return "TheSmBackAtOnce";
                             default:
                                 return "TheSmBackAfterAnElection";
                             }
                         });

// A1 in the session's call: at the swap A2 takes its place in the call, and Bob's call lists
// Bob and A2 (A1 out); Bob never sees a roster without Alice. A1 and A2 speak a continuous
// signal; Bob records what it plays, and the longest silence around the swap is the gap Bob
// hears (printed as JSON). Make before break: A2's call streams run on standby before the
// swap, so the gap is a switch between two primed streams (measured 40 ms; without the
// standby A2 joined the call at the swap: 120-400 ms). The bound, 100 ms, holds under load;
// the goal (60 ms) is handoff_bench's figure.
TEST(NodeHandoff, TheCallMovesWithTheSession)
{
    QTemporaryDir dir;
    const QString signal = dir.filePath("alice.wav");
    ASSERT_TRUE(plenum::media::WavFile::write(signal, continuousSignal(2, kCallRate)).ok());
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    for (PeerProcess* p : {s.a1, s.a2})
        p->send({{"cmd", "audio_in"}, {"file", signal}, {"loop", true}});
    s.bob->send({{"cmd", "audio_out"}, {"file", dir.filePath("bob.wav")}});
    s.a1->send({{"cmd", "call_join"}, {"sid", s.sid}});
    s.bob->send({{"cmd", "call_join"}, {"sid", s.sid}});
    const QStringList before{s.a1->device, s.bob->device};
    ASSERT_TRUE(s.bob->waitEvent([&](auto& e) { return callHas(e, before); }, 15000));
    ASSERT_TRUE(s.bob->waitEvent(
        [&](auto& e) {
            return e.value("event") == "call_audio" && e.value("from") == s.a1->device;
        },
        15000))
        << "Bob never heard A1";
    s.bob->waitEvent("never", 1500); // Alice speaks to Bob a while before the swap

    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    ASSERT_TRUE(s.a2->waitEvent("handoff_offer", 20000)) << trail(s.a1) << "\n" << trail(s.a2);
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    auto done = outcome(s.a2, 30000);
    const qint64 swapNs = steadyClockNs();
    ASSERT_TRUE(done.has_value());
    ASSERT_EQ(done->value("event").toString(), "handoff_done") << trail(s.a2);
    const QStringList after{s.a2->device, s.bob->device};
    EXPECT_TRUE(s.bob->waitEvent([&](auto& e) { return callHas(e, after); }, 20000))
        << "Bob's call does not list A2 (and not A1)";
    EXPECT_TRUE(s.a2->waitEvent(
        [&](auto& e) { return callHas(e, after) && e.value("in_call").toBool(); }, 20000));
    expectNobodySawLeave(s);

    // A2's audio reaches Bob (its standby stream, primed before the swap and played from it),
    // a second more, then Bob's recording is closed and measured.
    ASSERT_TRUE(s.bob->waitEvent(
        [&](auto& e) {
            return e.value("event") == "call_audio" && e.value("from") == s.a2->device;
        },
        20000))
        << "Bob never heard A2";
    // Bob plays A2 from the swap on, not its standby stream before (he would hear Alice
    // twice): his call_audio from A2 comes with the roster that makes A2 a member (the same
    // turn; 50 ms for the pipe), not when A2's stream first reached him.
    qint64 rosterMs = -1, audioMs = -1;
    for (const QJsonObject& e : s.bob->events()) {
        if (rosterMs < 0 && e.value("event") == "roster" && devicesIn(e).contains(s.a2->device))
            rosterMs = e.value("_ms").toInteger();
        if (audioMs < 0 && e.value("event") == "call_audio" && e.value("from") == s.a2->device)
            audioMs = e.value("_ms").toInteger();
    }
    ASSERT_GE(rosterMs, 0);
    EXPECT_GE(audioMs + 50, rosterMs)
        << "Bob said he played A2 " << rosterMs - audioMs << " ms before it was a member";
    s.bob->waitEvent("never", 1000);
    const qint64 bobStartNs = audioStartNs(s.bob);
    ASSERT_GT(bobStartNs, 0);
    ASSERT_TRUE(leaveCall(s.bob));
    auto played = plenum::media::WavFile::read(dir.filePath("bob.wav"));
    ASSERT_TRUE(played.ok()) << played.error().toStdString();
    const qint64 swapAt = (swapNs - bobStartNs) * kCallRate / 1'000'000'000;
    ASSERT_GT(swapAt, 0);
    ASSERT_LT(size_t(swapAt), played->size());
    // From 1 s before the swap (A1 speaking for a while: the push came 1.5 s after Bob first
    // heard it, past the call's start-up) to 0.1 s before Bob left (A2 speaking).
    const size_t from = size_t(std::max<qint64>(0, swapAt - kCallRate));
    const size_t to = played->size() - size_t(kCallRate / 10);
    const AudioGap gap = longestGap(played.value(), from, to, kCallRate);
    std::printf("{\"handoff_audio_gap_ms\": %d, \"gap_starts_ms_after_swap_seen\": %lld, "
                "\"sound_fraction\": %.3f}\n",
                gap.longestMs, static_cast<long long>((gap.atSample - swapAt) * 1000 / kCallRate),
                gap.soundFraction);
    // Bob heard Alice before and after the swap: the gap ended (A2's audio reached Bob).
    EXPECT_GE(gap.longestMs, 0) << "Bob's audio never came back after the swap";
    EXPECT_LT(gap.longestMs, 100) << "the swap's gap; " << trail(s.a2);
    EXPECT_GT(gap.soundFraction, 0.5);
}

// A member in the call that is muted sends nothing at all (not even DTX's comfort noise), so
// A2's standby cannot hear from it: its stream being up is what tells. A2 checked that only
// when something else happened, and with nothing else it accepted after its 3 s wait, with
// a warning ("not ready within 3 s"). Now a stream coming up is checked at once.
TEST(NodeHandoff, AMutedMemberInTheCallDoesNotHoldUpTheHandoff)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    s.bob->send({{"cmd", "mute"}, {"on", true}});
    s.a1->send({{"cmd", "call_join"}, {"sid", s.sid}});
    s.bob->send({{"cmd", "call_join"}, {"sid", s.sid}});
    const QStringList before{s.a1->device, s.bob->device};
    ASSERT_TRUE(s.a1->waitEvent([&](auto& e) { return callHas(e, before); }, 15000));

    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    ASSERT_TRUE(s.a2->waitEvent("handoff_offer", 20000)) << trail(s.a1) << "\n" << trail(s.a2);
    const qint64 acceptedAt = testClockMs();
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    auto done = outcome(s.a2, 30000);
    ASSERT_TRUE(done.has_value());
    ASSERT_EQ(done->value("event").toString(), "handoff_done") << trail(s.a2);
    const qint64 tookMs = done->value("_ms").toInteger() - acceptedAt;
    std::printf("{\"handoff_with_a_muted_member_accept_to_done_ms\": %lld}\n",
                static_cast<long long>(tookMs));
    for (const QJsonObject& e : s.a2->events())
        EXPECT_FALSE(e.value("event") == "warning" &&
                     e.value("text").toString().contains("not ready"))
            << e.value("text").toString().toStdString();
    // Idle about 0.1 s; the 3 s wait it replaces is the line this bound draws.
    EXPECT_LT(tookMs, 2500) << trail(s.a2);
    expectNobodySawLeave(s);
    const QStringList after{s.a2->device, s.bob->device};
    EXPECT_TRUE(s.bob->waitEvent([&](auto& e) { return callHas(e, after); }, 20000));
}

// The gap measure itself: a continuous signal with a 100 ms hole reads as a 100 ms gap; no
// hole reads 0; a signal that stops and never resumes has no gap that ended.
TEST(AudioGap, MeasuresTheLongestSilenceBetweenSounds)
{
    std::vector<qint16> v = continuousSignal(2, kCallRate);
    EXPECT_EQ(longestGap(v, 0, v.size(), kCallRate).longestMs, 0);
    std::fill(v.begin() + kCallRate, v.begin() + kCallRate + kCallRate / 10, qint16(0));
    const AudioGap hole = longestGap(v, 0, v.size(), kCallRate);
    EXPECT_NEAR(hole.longestMs, 100, 10);
    EXPECT_NEAR(double(hole.atSample), double(kCallRate), kCallRate / 100.0);
    std::fill(v.begin() + kCallRate, v.end(), qint16(0));
    EXPECT_EQ(longestGap(v, 0, v.size(), kCallRate).longestMs, -1);
}

// A seat counts against capacity: a session with no room left refuses it in words, and A2 is
// not even asked.
TEST(NodeHandoff, AFullSessionRefusesTheSeat)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build(3));
    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    auto full = outcome(s.a1, 30000);
    ASSERT_TRUE(full.has_value());
    EXPECT_EQ(full->value("event").toString(), "handoff_failed");
    EXPECT_TRUE(full->value("reason").toString().contains("full"))
        << full->value("reason").toString().toStdString();
    EXPECT_FALSE(s.a2->waitEvent("handoff_offer", 2000).has_value());
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
    EXPECT_TRUE(devicesIn(s.bob->lastRoster()).contains(s.a1->device));
}

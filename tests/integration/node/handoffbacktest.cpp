// Issue 15: back and forth right after each swap. Alice pushes the session from her desktop
// (A1) to her phone (A2), as soon as that is done straight back to A1, and to A2 again
// (handoff_bench's alternation). Each time the device that comes in left the session and
// closed its links to the members a moment ago; the members must link to it again,
// signaling through the SM or the DHT, and every hand-off completes like the first.
#include "callcheck.h"
#include "handoffsupport.h"

#include <QElapsedTimer>
#include <QJsonArray>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

namespace {

// `from` pushes the session to `to`, which accepts; both end with handoff_done. `ms`: the
// push -> done on `to`. A push refused while the session elects its SM (A1 was the SM and
// left) is tried again, for up to `settleMs`.
::testing::AssertionResult handOff(AliceTwoDevices& s, PeerProcess* from, PeerProcess* to,
                                   qint64* ms, int settleMs = 0)
{
    qint64 sent = 0;
    std::optional<QJsonObject> offer;
    for (int waited = 0;; waited += 500) {
        sent = testClockMs();
        from->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", to->device}});
        const auto since = [&](const QJsonObject& e) { return e.value("_ms").toInteger() >= sent; };
        // Whichever comes first: the offer, or the push's failure. A fixed wait for the offer
        // (1.5 s) ended loaded runs whose offer came later, as if the push had failed.
        std::optional<QJsonObject> refused;
        QElapsedTimer waiting;
        waiting.start();
        while (!offer && !refused && waiting.elapsed() < 20000) {
            offer = to->waitEvent(
                [&](auto& e) { return since(e) && e.value("event") == "handoff_offer"; }, 100);
            if (!offer)
                refused = from->waitEvent(
                    [&](auto& e) { return since(e) && e.value("event") == "handoff_failed"; }, 10);
        }
        if (offer) break;
        if (!refused || !refused->value("reason").toString().contains("reconnecting") ||
            waited >= settleMs)
            return ::testing::AssertionFailure() << "no offer on " << to->name.toStdString() << "\n"
                                                 << trail(from) << "\n"
                                                 << trail(to);
        from->waitEvent("never", 500);
    }
    to->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    for (PeerProcess* p : {to, from}) {
        auto e = p->waitEvent(
            [&](const QJsonObject& e) {
                const QString n = e.value("event").toString();
                return e.value("_ms").toInteger() >= sent &&
                       (n == "handoff_done" || n == "handoff_failed");
            },
            30000);
        if (!e || e->value("event") != "handoff_done")
            return ::testing::AssertionFailure()
                   << p->name.toStdString() << ": "
                   << (e ? e->value("reason").toString().toStdString() : "no outcome") << "\n"
                   << trail(from) << "\n"
                   << trail(to) << "\n"
                   << trail(s.bob) << "\n"
                   << trail(s.carol);
        if (p == to) *ms = e->value("_ms").toInteger() - sent;
    }
    return ::testing::AssertionSuccess();
}

} // namespace

// It failed about one run in two alone, every run under load (issue 15, the way back): a
// member's answer to the returning device went through the SM, which had no link to it yet,
// and was never sent again ("could not reach bob"; SignalRouter took the device's crossing
// candidates for proof of delivery); or A1 pushed over the link A2 was closing and the
// snapshot was lost with it ("no offer"; HandoffMachine::onLinkDown).
TEST(NodeHandoff, PushedBackAndForthRightAfterEachSwapTheSessionFollows)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    ASSERT_TRUE(s.a1->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "before"}}, "sent"));
    // In a call with Bob (as handoff_bench's): each new device stands by in it before its swap.
    s.a1->send({{"cmd", "call_join"}, {"sid", s.sid}});
    s.bob->send({{"cmd", "call_join"}, {"sid", s.sid}});
    ASSERT_TRUE(s.bob->waitEvent(
        [&](auto& e) {
            return callHas(e, {s.a1->device, s.bob->device});
        },
        15000));

    qint64 there = 0, back = 0, again = 0;
    ASSERT_TRUE(handOff(s, s.a1, s.a2, &there));
    ASSERT_TRUE(s.group.rostersEqual({s.a2, s.bob, s.carol}, 3, 15000));
    ASSERT_TRUE(s.a2->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "on the phone"}}, "sent"));
    // Straight back: A1 was the SM, so the others elect another first (a push meanwhile is
    // refused in words and tried again; that is not what this test is about).
    ASSERT_TRUE(handOff(s, s.a2, s.a1, &back, 10000));
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
    EXPECT_FALSE(devicesIn(s.bob->lastRoster()).contains(s.a2->device)) << "A2 left after";
    // And to the phone again: A2 comes back to members it was linked to a moment ago (its
    // first links to them were signaled through the SM; that route must not outlive them).
    ASSERT_TRUE(handOff(s, s.a1, s.a2, &again, 10000));
    std::printf("{\"push_to_done_ms\": [%lld, %lld, %lld]}\n", static_cast<long long>(there),
                static_cast<long long>(back), static_cast<long long>(again));
    ASSERT_TRUE(s.group.rostersEqual({s.a2, s.bob, s.carol}, 3, 15000));
    expectNobodySawLeave(s);
    ASSERT_TRUE(s.a2->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "phone again"}}, "sent"));
    EXPECT_TRUE(s.carol->waitEvent([](auto& e) { return isChat(e, "phone again"); }, 10000));
    QStringList texts;
    EXPECT_TRUE(historyHas(s.a2, {"before", "on the phone", "phone again"}, &texts))
        << texts.join(" | ").toStdString();
    // Nothing lost or reordered by three swaps: everyone's history is the same.
    EXPECT_TRUE(historyHas(s.bob, {"phone again"}, &texts)) << texts.join(" | ").toStdString();
    const QStringList onPhone = historyTexts(s.a2);
    EXPECT_EQ(onPhone, QStringList({"before", "on the phone", "phone again"}));
    for (PeerProcess* p : {s.bob, s.carol})
        EXPECT_EQ(historyTexts(p), onPhone) << p->name.toStdString();
}

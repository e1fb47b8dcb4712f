#include "peergroup.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTimer>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

using namespace plenum::testsupport;

namespace {

qint64 at(const QJsonObject& e)
{
    return e.value("_ms").toInteger();
}

// When `device` got back into `p`'s view of the committed roster for good (since `t0`), or
// nothing while it is out. `self`: p is the restarted device (it starts in, from its record;
// "removed" and "join_failed" put it out, a roster that lists it puts it back).
std::optional<qint64> backSince(PeerProcess* p, const QString& device, qint64 t0, bool self)
{
    bool in = true;
    qint64 since = t0;
    for (const auto& e : p->events()) {
        const QString name = e.value("event").toString();
        bool now = in;
        if (name == "roster")
            now = devicesIn(e).contains(device);
        else if (self && (name == "removed" || name == "join_failed" || name == "left"))
            now = false;
        else
            continue;
        if (at(e) < t0) {
            if (!self) in = now; // the state the restart found
            continue;
        }
        if (now && !in) since = at(e);
        in = now;
    }
    if (!in) return std::nullopt;
    return since;
}

QStringList historyIds(PeerProcess* p)
{
    QStringList ids;
    if (auto h = p->ask({{"cmd", "history"}, {"limit", 5000}}, "history", 10000))
        for (const auto& m : h->value("messages").toArray())
            ids.append(m.toObject().value("id").toString());
    return ids;
}

} // namespace

// Issue 12 item 5: five members, four chat continuously, a non-SM member is killed (SIGKILL)
// and restarted from its profile after `delay`. It is back in every member's committed roster
// within 5 s of its restart, what it said in the meantime is delivered (or was refused with an
// error), and once quiet every member holds the same messages in the same order.
class FastRestart : public ::testing::TestWithParam<int> {};

TEST_P(FastRestart, KilledMemberIsBackWithinFiveSecondsAndHoldsEveryMessage)
{
    const int delayMs = GetParam();
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol", "dave", "erin"});
    ASSERT_EQ(peers.size(), 5u);
    PeerProcess* bob = peers[1];
    const std::vector<PeerProcess*> chatters{peers[0], peers[2], peers[3], peers[4]};

    int said = 0;
    QTimer chat;
    chat.setInterval(100);
    QObject::connect(&chat, &QTimer::timeout, [&] {
        chatters[size_t(said) % chatters.size()]->send(
            {{"cmd", "say"}, {"text", QStringLiteral("c%1").arg(said)}});
        ++said;
    });
    chat.start();
    waitFor([] { return false; }, 1500);

    bob->kill();
    waitFor([] { return false; }, delayMs);
    const qint64 t0 = testClockMs();
    ASSERT_TRUE(group.restart(bob)) << "bob did not start again";
    // Said at once, before the others noticed anything: held and delivered, or refused.
    bob->send({{"cmd", "say"}, {"text", "bob is back"}});
    auto answer = bob->waitEvent(
        [](const QJsonObject& e) {
            return e.value("event") == "sent" ||
                   (e.value("event") == "error" && e.value("cmd") == "say");
        },
        5000);
    ASSERT_TRUE(answer.has_value()) << "say got no answer";
    const bool bobSent = answer->value("event") == "sent";

    // Back in: every member's newest committed roster lists it, and they agree.
    auto backMs = [&]() -> std::optional<qint64> {
        qint64 latest = t0;
        for (PeerProcess* p : peers) {
            auto since = backSince(p, bob->device, t0, p == bob);
            if (!since) return std::nullopt;
            latest = std::max(latest, *since);
        }
        const QString key = rosterKey(peers[0]->lastRoster());
        for (PeerProcess* p : peers)
            if (rosterKey(p->lastRoster()) != key && p != bob) return std::nullopt;
        return latest - t0;
    };
    // Bob's own roster is known only once it says one; ask it.
    waitFor(
        [&] {
            if (!backMs()) return false;
            auto r = bob->ask({{"cmd", "roster"}}, "roster", 2000);
            return r && rosterKey(*r) == rosterKey(peers[0]->lastRoster());
        },
        15000);
    // Keep chatting a while: a late removal would show here.
    waitFor([] { return false; }, 2500);
    chat.stop();
    if (!group.rostersEqual(peers, 5, 10000)) {
        // What the restarted device went through, for the failure report.
        for (const auto& e : bob->events())
            if (at(e) >= t0 && e.value("event") != "chat" && e.value("event") != "delivered")
                std::fprintf(stderr, "bob +%lld ms: %s\n", static_cast<long long>(at(e) - t0),
                             QJsonDocument(e).toJson(QJsonDocument::Compact).constData());
        FAIL() << "the rosters did not agree on five members";
    }
    const auto back = backMs();
    ASSERT_TRUE(back.has_value()) << "the restarted member is not back in every roster";

    // Once quiet, everyone holds the same messages in the same order.
    QList<QStringList> histories;
    waitFor(
        [&] {
            histories.clear();
            for (PeerProcess* p : peers)
                histories.append(historyIds(p));
            for (const auto& h : histories)
                if (h != histories[0]) return false;
            return true;
        },
        20000);
    for (qsizetype i = 1; i < histories.size(); ++i)
        EXPECT_EQ(histories[i], histories[0])
            << peers[size_t(i)]->name.toStdString() << "'s history differs from alice's";
    // Nothing said was silently lost: every "sent" is in the shared history.
    const QSet<QString> held(histories[0].begin(), histories[0].end());
    int sent = 0;
    for (PeerProcess* p : peers)
        for (const auto& e : p->events())
            if (e.value("event") == "sent") {
                ++sent;
                EXPECT_TRUE(held.contains(e.value("id").toString()))
                    << p->name.toStdString() << "'s " << e.value("id").toString().toStdString()
                    << " was answered sent but is in nobody's history";
            }
    EXPECT_GE(sent, said / 2) << "too few messages were sent for the check to mean much";
    bool removed = false;
    for (const auto& e : bob->events()) {
        EXPECT_NE(e.value("event"), "join_failed")
            << "bob gave up: " << e.value("reason").toString().toStdString();
        if (at(e) >= t0 && e.value("event") == "removed") removed = true;
    }
    std::printf("{\"test\": \"fast_restart\", \"delay_ms\": %d, \"back_ms\": %lld, "
                "\"was_removed\": %s, \"bob_say\": \"%s\", \"said\": %d, \"messages\": %lld}\n",
                delayMs, static_cast<long long>(*back), removed ? "true" : "false",
                bobSent ? "sent" : "refused", said, static_cast<long long>(histories[0].size()));
    std::fflush(stdout);
    EXPECT_LE(*back, 5000) << "back in the roster only " << *back << " ms after the restart";
}

INSTANTIATE_TEST_SUITE_P(Delays, FastRestart, ::testing::Values(500, 1000, 1500, 2000),
                         [](const auto& info) { return std::to_string(info.param) + "ms"; });

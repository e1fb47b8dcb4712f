// Issue 15: a live chat session moves between two devices of Alice's account (real
// plenum-peer processes, private DHT on loopback). Bob and Carol see the roster change
// A1 -> A2 and never a roster without Alice; A2 has the history from before and a message
// sent during the hand-off; a declined offer and an unreachable A2 leave the session as it was
// with the reason in words; a pull brings the session back.
#include "callcheck.h"
#include "peergroup.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

namespace {

struct AliceTwoDevices {
    PeerGroup group;
    PeerProcess *a1 = nullptr, *a2 = nullptr, *bob = nullptr, *carol = nullptr;
    QString sid;

    // Alice's desktop in a session with Bob and Carol; her phone paired, not in it.
    bool build(int capacity = 8)
    {
        a1 = group.add("alice");
        bob = group.add("bob");
        carol = group.add("carol");
        sid = group.buildSession({a1, bob, carol}, {}, capacity);
        if (sid.isEmpty() || !group.rostersEqual({a1, bob, carol}, 3, 15000)) return false;
        auto code = a1->ask({{"cmd", "pair_code"}}, "pair_code");
        if (!code) return false;
        a2 = group.add("alice-phone",
                       {"--pair", code->value("code").toString(), "--device-class", "phone"});
        return a2->running() && a2->account == a1->account;
    }
};

// What a peer said about the hand-off (for failure messages).
std::string trail(PeerProcess* p)
{
    QStringList lines;
    for (const QJsonObject& e : p->events()) {
        const QString n = e.value("event").toString();
        if (n.startsWith("handoff") || n == "warning" || n == "error" || n == "link_down" ||
            n == "join_failed" || n == "notice")
            lines.append(QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact)));
    }
    return (p->name + ": " + lines.join("\n  ")).toStdString();
}

QStringList devicesIn(const QJsonObject& roster)
{
    QStringList out;
    for (const auto& m : roster.value("members").toArray())
        out.append(m.toObject().value("device").toString());
    return out;
}

// Every roster event `p` reported lists a device of `account`: nobody saw it leave.
bool alwaysHas(PeerProcess* p, const QString& account, QString* detail)
{
    for (const QJsonObject& e : p->events()) {
        if (e.value("event").toString() != "roster") continue;
        bool found = false;
        for (const auto& m : e.value("members").toArray())
            found = found || m.toObject().value("account").toString() == account;
        if (!found) {
            *detail = rosterKey(e);
            return false;
        }
    }
    return true;
}

bool waitRosterHas(PeerProcess* p, const QString& device, bool present, int timeoutMs)
{
    return p
        ->waitEvent(
            [&](const QJsonObject& e) {
                return e.value("event").toString() == "roster" &&
                       devicesIn(e).contains(device) == present;
            },
            timeoutMs)
        .has_value();
}

std::optional<QJsonObject> outcome(PeerProcess* p, int timeoutMs)
{
    return p->waitEvent(
        [](const QJsonObject& e) {
            const QString n = e.value("event").toString();
            return n == "handoff_done" || n == "handoff_failed";
        },
        timeoutMs);
}

} // namespace

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
    for (PeerProcess* p : {s.bob, s.carol}) {
        QString detail;
        EXPECT_TRUE(alwaysHas(p, s.a1->account, &detail))
            << p->name.toStdString() << " saw Alice leave: " << detail.toStdString();
    }
    // History: what was said before (from the snapshot) and during (from the members).
    bool all = false;
    QStringList texts;
    for (int i = 0; i < 100 && !all; ++i) {
        texts = historyTexts(s.a2);
        all = texts.contains("before 1") && texts.contains("before 2") &&
              texts.contains("from bob before") && texts.contains("during");
        if (!all) s.a2->waitEvent("never", 100);
    }
    EXPECT_TRUE(all) << texts.join(" | ").toStdString();
    // A2 speaks in the session now.
    ASSERT_TRUE(s.a2->ask({{"cmd", "say"}, {"sid", s.sid}, {"text", "from the phone"}}, "sent"));
    EXPECT_TRUE(s.carol->waitEvent([](auto& e) { return isChat(e, "from the phone"); }, 10000));

    // Pull back: A1 ("Continue here") asks for the session A2 is in.
    auto pulled = s.a1->ask({{"cmd", "handoff_pull"}, {"sid", s.sid}}, "handoff_done", 40000);
    ASSERT_TRUE(pulled.has_value()) << "the pull did not complete";
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
    for (PeerProcess* p : {s.bob, s.carol}) {
        QString detail;
        EXPECT_TRUE(alwaysHas(p, s.a1->account, &detail))
            << p->name.toStdString() << " saw Alice leave: " << detail.toStdString();
    }
}

TEST(NodeHandoff, DeclinedOrUnreachableLeavesTheSessionAsItWas)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    const QString before = rosterKey(s.bob->lastRoster());

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

    // A2 gone: the push fails in words, nothing changes.
    s.a2->kill();
    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    auto unreachable = outcome(s.a1, 60000);
    ASSERT_TRUE(unreachable.has_value());
    EXPECT_EQ(unreachable->value("event").toString(), "handoff_failed");
    EXPECT_TRUE(unreachable->value("reason").toString().contains("reached"))
        << unreachable->value("reason").toString().toStdString();
    ASSERT_TRUE(s.group.rostersEqual({s.a1, s.bob, s.carol}, 3, 15000));
    EXPECT_TRUE(devicesIn(s.carol->lastRoster()).contains(s.a1->device));
    for (PeerProcess* p : {s.bob, s.carol}) {
        QString detail;
        EXPECT_TRUE(alwaysHas(p, s.a1->account, &detail)) << detail.toStdString();
    }
    (void)before;
}

// A1 in the session's call: at the swap A2 takes its place in the call, and Bob's call lists
// Bob and A2 (A1 out); Bob never sees a roster without Alice.
TEST(NodeHandoff, TheCallMovesWithTheSession)
{
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    s.a1->send({{"cmd", "call_join"}, {"sid", s.sid}});
    s.bob->send({{"cmd", "call_join"}, {"sid", s.sid}});
    const QStringList before{s.a1->device, s.bob->device};
    ASSERT_TRUE(s.bob->waitEvent([&](auto& e) { return callHas(e, before); }, 15000));

    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    ASSERT_TRUE(s.a2->waitEvent("handoff_offer", 20000)) << trail(s.a1) << "\n" << trail(s.a2);
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    auto done = outcome(s.a2, 30000);
    ASSERT_TRUE(done.has_value());
    ASSERT_EQ(done->value("event").toString(), "handoff_done") << trail(s.a2);
    const QStringList after{s.a2->device, s.bob->device};
    EXPECT_TRUE(s.bob->waitEvent([&](auto& e) { return callHas(e, after); }, 20000))
        << "Bob's call does not list A2 (and not A1)";
    EXPECT_TRUE(s.a2->waitEvent(
        [&](auto& e) { return callHas(e, after) && e.value("in_call").toBool(); }, 20000));
    QString detail;
    EXPECT_TRUE(alwaysHas(s.bob, s.a1->account, &detail)) << detail.toStdString();
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

#include "handoffsupport.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <algorithm>

namespace plenum::testsupport {

bool AliceTwoDevices::build(int capacity, bool bobIsSm)
{
    a1 = group.add("alice");
    bob = group.add("bob");
    carol = group.add("carol");
    sid = bobIsSm ? group.buildSession({bob, a1, carol}, {}, capacity)
                  : group.buildSession({a1, bob, carol}, {}, capacity);
    if (sid.isEmpty() || !group.rostersEqual({a1, bob, carol}, 3, 15000)) return false;
    a2 = pairPhone(group, a1);
    return a2 != nullptr;
}

PeerProcess* pairPhone(PeerGroup& group, PeerProcess* desktop)
{
    auto code = desktop->ask({{"cmd", "pair_code"}}, "pair_code");
    if (!code) return nullptr;
    PeerProcess* phone = group.add(
        "alice-phone", {"--pair", code->value("code").toString(), "--device-class", "phone"});
    return phone->running() && phone->account == desktop->account ? phone : nullptr;
}

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

// Once a roster event of `p` listed a device of `account`, every later one does: nobody saw
// it leave. (The session's first rosters may come before the account joined.)
bool alwaysHas(PeerProcess* p, const QString& account, QString* detail)
{
    bool joined = false;
    for (const QJsonObject& e : p->events()) {
        if (e.value("event").toString() != "roster") continue;
        bool found = false;
        for (const auto& m : e.value("members").toArray())
            found = found || m.toObject().value("account").toString() == account;
        if (joined && !found) {
            *detail = rosterKey(e);
            return false;
        }
        joined = joined || found;
    }
    return true;
}

// The others never saw Alice's account leave (issue 15's invariant), each said in words.
void expectNobodySawLeave(const AliceTwoDevices& s)
{
    for (PeerProcess* p : {s.bob, s.carol}) {
        QString detail;
        EXPECT_TRUE(alwaysHas(p, s.a1->account, &detail))
            << p->name.toStdString() << " saw Alice leave: " << detail.toStdString();
    }
}

// Polls `p`'s history until it holds every text of `wanted` (or `timeoutMs` passed); returns
// whether it did, and the texts it had, for the failure message.
bool historyHas(PeerProcess* p, const QStringList& wanted, QStringList* texts, int timeoutMs)
{
    for (int waited = 0;; waited += 100) {
        *texts = historyTexts(p);
        if (std::all_of(wanted.cbegin(), wanted.cend(),
                        [&](const QString& t) { return texts->contains(t); }))
            return true;
        if (waited >= timeoutMs) return false;
        p->waitEvent("never", 100);
    }
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

} // namespace plenum::testsupport

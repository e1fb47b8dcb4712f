#include "peergroup.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <algorithm>

namespace plenum::testsupport {

PeerGroup::PeerGroup() = default;

PeerProcess* PeerGroup::add(const QString& name, const QStringList& extraArgs)
{
    const QString dir = root_.filePath(name);
    peers_.push_back(std::make_unique<PeerProcess>(dir, name, net_.config().bootstrap.value(0),
                                                   net_.networkId(), extraArgs));
    PeerProcess* p = peers_.back().get();
    EXPECT_TRUE(p->start()) << "peer " << name.toStdString() << " did not start";
    return p;
}

PeerProcess* PeerGroup::addAt(const QString& name, const PeerProcess::Placement& where,
                              const QString& bootstrap)
{
    peers_.push_back(std::make_unique<PeerProcess>(root_.filePath(name), name, bootstrap,
                                                   net_.networkId(), QStringList{}, where));
    PeerProcess* p = peers_.back().get();
    EXPECT_TRUE(p->start(30000)) << "peer " << name.toStdString() << " did not start";
    return p;
}

std::vector<PeerProcess*> PeerGroup::session(const QStringList& names, int capacity)
{
    std::vector<PeerProcess*> peers;
    for (const QString& n : names)
        peers.push_back(add(n));
    if (std::any_of(peers.begin(), peers.end(), [](auto* p) { return !p->running(); })) return {};
    if (buildSession(peers, {}, capacity).isEmpty() ||
        !rostersEqual(peers, int(peers.size()), 10000))
        return {};
    return peers;
}

bool PeerGroup::restart(PeerProcess* peer)
{
    return peer->start();
}

QString PeerGroup::buildSession(const std::vector<PeerProcess*>& peers,
                                const std::vector<int>& inviterOf, int capacity)
{
    // Room for every peer even when the caller asked for less (N-way benches).
    auto session = peers[0]->ask(
        {{"cmd", "create"}, {"capacity", std::max<int>(capacity, int(peers.size()))}}, "session");
    EXPECT_TRUE(session.has_value()) << "no session event";
    if (!session) return {};
    const QString sid = session->value("sid").toString();
    for (size_t i = 1; i < peers.size(); ++i) {
        PeerProcess* inviter = peers[i < inviterOf.size() ? size_t(inviterOf[i]) : 0];
        inviter->send({{"cmd", "invite"},
                       {"sid", sid},
                       {"account", peers[i]->account},
                       {"device", peers[i]->device}});
        auto result = inviter->waitEvent("invite_result", 15000);
        EXPECT_TRUE(result.has_value()) << "no invite_result for " << peers[i]->name.toStdString();
        if (!result) return sid;
        EXPECT_EQ(result->value("code").toInt(), 200)
            << result->value("reason").toString().toStdString();
        EXPECT_TRUE(
            rostersEqual({peers.begin(), peers.begin() + qsizetype(i) + 1}, int(i) + 1, 10000));
    }
    return sid;
}

bool PeerGroup::rostersEqual(const std::vector<PeerProcess*>& peers, int members, int timeoutMs,
                             QString* detail)
{
    QString last;
    const bool ok = waitFor(
        [&] {
            QStringList keys;
            for (PeerProcess* p : peers)
                keys.append(rosterKey(p->lastRoster()));
            last = keys.join(" | ");
            for (PeerProcess* p : peers)
                if (p->lastRoster().value("members").toArray().size() != members) return false;
            return std::all_of(keys.begin(), keys.end(), [&](auto& k) { return k == keys[0]; });
        },
        timeoutMs);
    if (detail) *detail = last;
    EXPECT_TRUE(ok) << "rosters differ: " << last.toStdString();
    return ok;
}

bool isChat(const QJsonObject& e, const QString& text)
{
    return e.value("event").toString() == "chat" && e.value("text").toString() == text;
}

QStringList devicesIn(const QJsonObject& roster)
{
    QStringList out;
    for (const auto& m : roster.value("members").toArray())
        out.append(m.toObject().value("device").toString());
    return out;
}

QStringList historyTexts(PeerProcess* p)
{
    QStringList texts;
    if (auto h = p->ask({{"cmd", "history"}, {"limit", 1000}}, "history"))
        for (const auto& m : h->value("messages").toArray())
            texts.append(m.toObject().value("text").toString());
    return texts;
}

bool historyHas(PeerProcess* p, const QString& text)
{
    return historyTexts(p).contains(text);
}

} // namespace plenum::testsupport

#pragma once
// A private DHT on loopback plus any number of plenum-peer processes, each with its own
// profile in a temporary directory, and the steps most tests share (create, invite, wait for
// equal rosters).

#include "dhttestnet.h"
#include "peerprocess.h"

#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace plenum::testsupport {

class PeerGroup {
public:
    PeerGroup();
    // Starts a new peer (a new profile) and waits for "ready".
    PeerProcess* add(const QString& name, const QStringList& extraArgs = {});
    // The same, for a peer placed elsewhere (a network namespace) that bootstraps from
    // `bootstrap` ("ip:port" of a DHT node on this group's network id).
    PeerProcess* addAt(const QString& name, const PeerProcess::Placement& where,
                       const QString& bootstrap);
    quint32 networkId() const { return net_.networkId(); }
    // The set-up most tests share: one peer per name, names[0] creates a session and invites
    // the others, every roster equal. Empty if any step failed (the failure is reported).
    std::vector<PeerProcess*> session(const QStringList& names, int capacity = 8);
    // Starts `peer` again with the same profile.
    bool restart(PeerProcess* peer);
    // peers[0] creates a session and invites the others; members listed in `referrers` invite
    // through a REFER instead (invitee i is invited by peers[referrer[i]]). Returns the sid.
    QString buildSession(const std::vector<PeerProcess*>& peers,
                         const std::vector<int>& inviterOf = {}, int capacity = 8);
    // Waits until every peer's newest roster has `members` members and all are equal.
    bool rostersEqual(const std::vector<PeerProcess*>& peers, int members, int timeoutMs,
                      QString* detail = nullptr);

private:
    DhtTestNet net_;
    QTemporaryDir root_;
    std::vector<std::unique_ptr<PeerProcess>> peers_;
};

// The devices a "roster" event lists.
QStringList devicesIn(const QJsonObject& roster);
// A "chat" event with this text.
bool isChat(const QJsonObject& event, const QString& text);
// The texts of a peer's history (newest session, up to 1,000 messages), in display order.
QStringList historyTexts(PeerProcess* peer);
bool historyHas(PeerProcess* peer, const QString& text);

} // namespace plenum::testsupport

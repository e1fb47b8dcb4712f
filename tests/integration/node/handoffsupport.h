#pragma once
// What node_handoff_test's cases share (issue 15): Alice on two devices (A1 in a session with
// Bob and Carol, A2 paired and out of it), and the checks of a hand-off between them.

#include "peergroup.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>
#include <string>

namespace plenum::testsupport {

struct AliceTwoDevices {
    PeerGroup group;
    PeerProcess *a1 = nullptr, *a2 = nullptr, *bob = nullptr, *carol = nullptr;
    QString sid;

    // Alice's desktop in a session with Bob and Carol; her phone paired, not in it. The
    // session's creator (its first SM) is Alice's desktop, or Bob.
    bool build(int capacity = 8, bool bobIsSm = false);
};

// Alice's phone (device class phone), paired to `desktop`'s account; null if pairing failed.
PeerProcess* pairPhone(PeerGroup& group, PeerProcess* desktop);
// What a peer said about the hand-off (for failure messages).
std::string trail(PeerProcess* p);
// Every roster event `p` reported lists a device of `account`: nobody saw it leave.
bool alwaysHas(PeerProcess* p, const QString& account, QString* detail);
// The others never saw Alice's account leave (issue 15's invariant), each said in words.
void expectNobodySawLeave(const AliceTwoDevices& s);
// Polls `p`'s history until it holds every text of `wanted` (or `timeoutMs` passed); returns
// whether it did, and the texts it had, for the failure message.
bool historyHas(PeerProcess* p, const QStringList& wanted, QStringList* texts,
                int timeoutMs = 10000);
bool waitRosterHas(PeerProcess* p, const QString& device, bool present, int timeoutMs);
// The hand-off's outcome on `p`: handoff_done or handoff_failed.
std::optional<QJsonObject> outcome(PeerProcess* p, int timeoutMs);

} // namespace plenum::testsupport

#pragma once
// Checking a SET_SM (DESIGN §5, §5.1 rule 6): a member applies a new SM only if SET_SM
// carries signed allow=true votes that, with the candidate itself, make a majority of the
// member's latest committed roster. Pure: the signature check is passed in (the Node checks
// link-key signatures with crypto::LinkKeyRing; the simulator with a keyed digest).

#include "protocol/messages.h"

#include <functional>

namespace plenum::protocol {

using SignatureCheck =
    std::function<bool(const DeviceId& signer, const QByteArray& data, const QByteArray& sig)>;

struct QuorumVerdict {
    bool ok = false;
    int valid = 0;  // votes that count, the candidate included
    int needed = 0; // a majority of the roster
    QString reason; // a sentence when !ok
};

// `from` is the device that sent SET_SM (the candidate); `roster` the checker's latest
// committed roster (its member devices). Votes from non-members, repeated voters, the
// candidate itself or with a bad signature do not count.
QuorumVerdict checkSetSmQuorum(const SessionId& sid, const SetSm& setSm, const DeviceId& from,
                               const QList<DeviceId>& roster, const SignatureCheck& verify);

// What a voter puts in its allow=true Vote (and the candidate forwards in SET_SM).
SignedVote signVote(const SessionId& sid, std::uint64_t epoch, const DeviceId& candidate,
                    const DeviceId& voter,
                    const std::function<QByteArray(const QByteArray&)>& sign);

} // namespace plenum::protocol

#include "protocol/quorum.h"

#include <QSet>

namespace plenum::protocol {

QuorumVerdict checkSetSmQuorum(const SessionId& sid, const SetSm& setSm, const DeviceId& from,
                               const QList<DeviceId>& roster, const SignatureCheck& verify)
{
    QuorumVerdict v;
    QSet<DeviceId> members(roster.begin(), roster.end());
    v.needed = int(members.size()) / 2 + 1;
    if (!members.contains(from)) {
        v.reason = QStringLiteral("the device claiming to be SM is not in the committed roster");
        return v;
    }
    QSet<DeviceId> counted{from};
    for (const SignedVote& vote : setSm.votes) {
        if (vote.voter == from || counted.contains(vote.voter) || !members.contains(vote.voter))
            continue;
        if (!verify || !verify(vote.voter, voteSigningBytes(sid, setSm.epoch, from, vote.voter),
                               vote.signature))
            continue;
        counted.insert(vote.voter);
    }
    v.valid = int(counted.size());
    v.ok = v.valid >= v.needed;
    if (!v.ok)
        v.reason = QStringLiteral("SET_SM carries %1 valid votes of the %2 a majority needs")
                       .arg(v.valid)
                       .arg(v.needed);
    return v;
}

SignedVote signVote(const SessionId& sid, std::uint64_t epoch, const DeviceId& candidate,
                    const DeviceId& voter, const std::function<QByteArray(const QByteArray&)>& sign)
{
    return SignedVote{voter, sign(voteSigningBytes(sid, epoch, candidate, voter))};
}

} // namespace plenum::protocol

#include "adversary.h"

#include "session/roster.h"

namespace plenum::sim {

using namespace protocol;
using session::Session;

const char* attackName(Attack a)
{
    switch (a) {
    case Attack::RosterDelta:
        return "roster-delta";
    case Attack::RosterProposal:
        return "roster-proposal";
    case Attack::RosterCommitted:
        return "roster-committed";
    case Attack::Commit:
        return "commit";
    case Attack::SetSm:
        return "set-sm";
    case Attack::ByeRemoved:
        return "bye-removed";
    case Attack::HigherEpoch:
        return "higher-epoch";
    case Attack::Rejoin:
        return "rejoin";
    case Attack::Replay:
        return "replay";
    case Attack::Snoop:
        return "snoop";
    }
    return "?";
}

Adversary::Adversary(SimNetwork& net, int self, bool outsider)
    : net_(net), self_(self), outsider_(outsider)
{
}

void Adversary::observe(int, const Message& m)
{
    // What an SM said to us is worth replaying to someone else: its SET_SM too (from our link
    // it claims the SM for us, and the votes in it are for another device). A member's BYE
    // is its own leave: only the outsider replays it.
    const bool bye = std::holds_alternative<Bye>(m.body);
    if (!std::holds_alternative<Roster>(m.body) && !std::holds_alternative<Commit>(m.body) &&
        !std::holds_alternative<SetSm>(m.body) && !(bye && outsider_))
        return;
    heard_.push_back(m);
    if (heard_.size() > 64) heard_.erase(heard_.begin());
}

std::optional<Message> Adversary::replayable(const SessionId& sid) const
{
    for (auto it = heard_.rbegin(); it != heard_.rend(); ++it)
        if (it->header.sid == sid) return *it;
    return std::nullopt;
}

bool Adversary::relayForged(const SessionId& sid, int target, int how, bool unsigned_)
{
    if (outsider_ || target == self_ || !net_.peer(self_).alive() || !net_.peer(target).alive())
        return false;
    const Session* mine = net_.peer(self_).session(sid);
    const Session* t = net_.peer(target).session(sid);
    if (!mine || !t || mine->phase() != Session::Phase::Member) return false;
    const DeviceId me = net_.peer(self_).info().device;
    const RosterSnapshot& held = mine->committed();
    if (held.sm == me || held.sm.isNull()) return false; // as its SM it could sign anything
    Roster r;
    session::fillFull(r, held);
    r.committed = true;
    r.base = held.at;
    r.signature = unsigned_ ? QByteArray() : mine->committedSignature();
    switch (how % 4) {
    case 0: { // a member removed (not the SM, not the target)
        const auto victim =
            std::find_if(r.members.cbegin(), r.members.cend(), [&](const MemberInfo& m) {
                return m.device != me && m.device != held.sm &&
                       m.device != net_.peer(target).info().device;
            });
        if (victim == r.members.cend()) return false;
        r.members.remove(victim - r.members.cbegin());
        if (r.baton && r.baton->holder == victim->device) r.baton = Baton{{}, r.baton->generation};
        break;
    }
    case 1: { // the outsider let in
        const int out = net_.size() - 1;
        if (out == self_ || out == target) return false;
        r.members.append(net_.peer(out).info());
        break;
    }
    case 2: // a version the SM never made
        r.at.version += 1;
        break;
    default: // an older epoch, whose SM the target may not know
        if (r.at.epoch <= 1) return false;
        r.at = RosterStamp{r.at.epoch - 1, r.at.version + 1};
        break;
    }
    inject(target, Message{Header{sid, r.at.epoch, r.at.version, held.sm}, r});
    return true;
}

void Adversary::inject(int to, const Message& m)
{
    ++sent_;
    net_.inject(self_, to, m);
}

bool Adversary::attack(const SessionId& sid, int target, Attack attack)
{
    if (target == self_ || !net_.peer(self_).alive() || !net_.peer(target).alive()) return false;
    Session* t = net_.peer(target).session(sid);
    if (!t || t->phase() != Session::Phase::Member) return false;
    const DeviceId me = net_.peer(self_).info().device;
    const RosterSnapshot& accepted = t->accepted();
    // A malicious member forges only in someone else's name: as the SM it could do anything.
    if (!outsider_ && (accepted.sm == me || t->sm() == me || t->committed().sm == me)) return false;
    const DeviceId sm = accepted.sm;
    // The victim of a removal: anyone but the target, the attacker and the SM.
    std::optional<MemberInfo> victim;
    for (const MemberInfo& m : accepted.members)
        if (m.device != me && m.device != sm && m.device != t->self().device) victim = m;
    Header h{sid, t->epoch(), t->committed().at.version, sm};

    switch (attack) {
    case Attack::RosterDelta: {
        if (!victim) return false;
        Roster r;
        r.base = accepted.at;
        r.at = RosterStamp{accepted.at.epoch, accepted.at.version + 1};
        r.sm = sm;
        r.change = RosterChange{RosterChange::Kind::Remove, RosterChange::Reason::Crashed, *victim};
        inject(target, Message{h, r});
        return true;
    }
    case Attack::RosterProposal:
    case Attack::RosterCommitted: {
        Roster r;
        r.full = true;
        r.committed = attack == Attack::RosterCommitted;
        r.base = accepted.at;
        r.at = RosterStamp{accepted.at.epoch, accepted.at.version + 1};
        r.sm = me;
        for (const MemberInfo& m : accepted.members)
            if (!victim || m.device != victim->device) r.members.append(m);
        if (outsider_) r.members.append(net_.peer(self_).info()); // and let me in
        Header mine = h;
        mine.sm = me;
        inject(target, Message{mine, r});
        return true;
    }
    case Attack::Commit: {
        // The roster one newer than the target's, as if its SM had committed it.
        inject(target, Message{h, Commit{RosterStamp{accepted.at.epoch, accepted.at.version + 1}}});
        if (accepted.at > t->committed().at) inject(target, Message{h, Commit{accepted.at}});
        return true;
    }
    case Attack::SetSm: {
        // SET_SM for the next epoch with a vote from every other member. The attacker cannot
        // sign in their names (DESIGN §5): the signatures are its own bytes. A member then
        // acts as that epoch's SM: it proposes the roster of its epoch without the victim.
        // (A forged *committed* snapshot is the limit docs/security.md names: not sent.)
        const std::uint64_t epoch = t->epoch() + 1;
        Header mine{sid, epoch, t->committed().at.version, me};
        SetSm claim{epoch, {}};
        for (const MemberInfo& m : accepted.members)
            if (m.device != me) claim.votes.append(SignedVote{m.device, QByteArray(8, char(0x5a))});
        inject(target, Message{mine, claim});
        if (outsider_) return true;
        Roster r;
        r.full = true;
        r.base = t->committed().at;
        r.at = RosterStamp{epoch, accepted.at.version + 1};
        r.sm = me;
        for (const MemberInfo& m : accepted.members)
            if (!victim || m.device != victim->device) r.members.append(m);
        mine.version = r.at.version;
        inject(target, Message{mine, r});
        return true;
    }
    case Attack::ByeRemoved: {
        // A member that follows its SM can ask it; one that lost it believes a member
        // (docs/security.md), so only the former is a fair target for a member.
        if (!outsider_ && t->sm().isNull()) return false;
        inject(target, Message{h, Bye{Bye::Reason::Removed, std::nullopt, std::nullopt}});
        // And a 403, "you are not in this session's roster": from a member of its roster it
        // is a vote that it was left out (Session::notListedByMajority).
        inject(target, Message{h, ErrorReply{Code::Forbidden, QStringLiteral("not in the roster"),
                                             std::nullopt}});
        return true;
    }
    case Attack::HigherEpoch: {
        // A member's header naming itself SM of a newer epoch is a claim without votes.
        Header mine{sid, t->epoch() + 5, t->committed().at.version + 5, me};
        MemberInfo self = net_.peer(self_).info();
        inject(target, Message{mine, Hello{self, 250}});
        inject(target, Message{mine, Ping{}});
        if (outsider_) return true;
        // And a committed roster of that epoch without the victim, signed by itself: it proves
        // who wrote it, not that its writer won the epoch (docs/security.md).
        Roster r;
        r.full = true;
        r.committed = true;
        r.base = t->committed().at;
        r.at = RosterStamp{mine.epoch, mine.version};
        r.sm = me;
        for (const MemberInfo& m : accepted.members)
            if (!victim || m.device != victim->device) r.members.append(m);
        r.baton = accepted.baton;
        if (r.baton && victim && r.baton->holder == victim->device)
            r.baton = Baton{{}, r.baton->generation};
        r.signature =
            net_.peer(self_).tickets().sign(rosterSigningBytes(sid, session::snapshotOf(r), true));
        inject(target, Message{mine, r});
        return true;
    }
    case Attack::Rejoin: {
        if (!outsider_ || !victim) return false;
        // In a member's name (its account), at the SM; the SM must not admit it.
        MemberInfo claim = net_.peer(self_).info();
        claim.account = victim->account;
        claim.name = victim->name;
        const int smIndex = net_.indexOf(sm);
        if (smIndex < 0) return false;
        inject(smIndex, Message{Header{sid, t->epoch(), 0, sm}, Rejoin{claim}});
        return true;
    }
    case Attack::Replay: {
        auto old = replayable(sid);
        if (!old) return false;
        inject(target, *old);
        return true;
    }
    case Attack::Snoop: {
        Header mine{sid, 0, 0, {}};
        inject(target, Message{mine, SnapshotRequest{}});
        return true;
    }
    }
    return false;
}

} // namespace plenum::sim

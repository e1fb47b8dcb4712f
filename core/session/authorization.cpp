// Session: who may send which message (DESIGN §5.1 rule 6). Checked before anything in a
// message is believed, its header included: an outsider's higher epoch is never adopted.
// `from` is always the device of the verified link or DHT envelope the message came by.
//
// A full snapshot that does not come from its SM is believed only with that SM's signature
// over it, committed flag included (rosterSigned, sessionquorum.cpp): a member relays
// snapshots but cannot write them.
#include "session/roster.h"
#include "session/session.h"

#include <algorithm>

namespace plenum::session {

using namespace protocol;

namespace {

QString refusal(const Body& body, const char* why)
{
    return QStringLiteral("%1 refused: %2")
        .arg(QLatin1String(messageName(body)), QLatin1String(why));
}

constexpr const char* kUnsignedRelay = "a relayed roster without its SM's signature";

bool isHeartbeat(const Body& body)
{
    return std::holds_alternative<Hello>(body) || std::holds_alternative<Ping>(body);
}

} // namespace

bool Session::inRoster(const DeviceId& d) const
{
    return contains(accepted_, d) || contains(committed_, d) || departed_.contains(d);
}

bool Session::knows(const DeviceId& d) const
{
    if (inRoster(d) || formerMembers_.contains(d) || pendingJoiners_.contains(d)) return true;
    if (admission_ && admission_->request.devices.contains(d)) return true;
    if (join_ && (join_->sm == d || join_->endpoints.contains(d))) return true;
    return phase_ == Phase::Removed && d == rejoinVia_;
}

bool Session::helloTo(const DeviceId& peer) const
{
    return inRoster(peer) || formerMembers_.contains(peer);
}

DeviceId Session::smOfEpoch(std::uint64_t epoch) const
{
    // One SM per epoch (DESIGN §5): whoever made a roster of that epoch. A newer epoch's SM
    // is not known from a header alone (a header is what an attacker writes).
    if (accepted_.at.epoch == epoch && !accepted_.sm.isNull()) return accepted_.sm;
    if (committed_.at.epoch == epoch && !committed_.sm.isNull()) return committed_.sm;
    if (smProof_ && smProof_->epoch == epoch) return smProof_->sm; // its signed quorum, checked
    return {};
}

bool Session::unsignedRelay(const DeviceId& from, const Roster& r) const
{
    return r.full && r.sm != from && !rosterSigned(r);
}

const char* Session::unprovenSmClaim(const DeviceId& from, const Roster& r) const
{
    // A committed snapshot's signature proves who wrote it, not that its writer led that
    // epoch. For an epoch whose SM we know, smOfEpoch settles it; for a newer one its signed
    // quorum must, or the word of a majority of our roster (noteSmAttestation): taken on its
    // SM's word alone, one malicious member rewrote every roster it reached by naming itself SM
    // of a later epoch (the adversary's higher-epoch attack). Before our newest epoch nobody
    // holds that proof any more, and we need no roster of it: we never go back.
    if (!r.full || !r.committed || config_.ruleOff(Rule::SignedRoster)) return nullptr;
    if (!smOfEpoch(r.at.epoch).isNull() || smProven(r.at.epoch, r.sm)) return nullptr;
    const std::uint64_t ours = std::max(accepted_.at.epoch, committed_.at.epoch);
    if (r.at.epoch > ours) return "a roster of a newer epoch whose SM is not proven";
    if (from == r.sm && r.at.epoch < ours)
        return "a roster of an older epoch from a device naming itself its SM";
    return nullptr;
}

std::optional<Session::Refusal> Session::authorize(const DeviceId& from, const Message& m,
                                                   Millis now) const
{
    const Body& body = m.body;
    switch (phase_) {
    case Phase::Member:
        return authorizeMember(from, m, now);
    case Phase::Invited:
    case Phase::Joining: {
        // A joiner hears only from the SM that invited it and the endpoints it was given.
        const bool endpoint = join_ && join_->endpoints.contains(from);
        const bool inviter = join_ && join_->sm == from;
        // A hand-off's INVITE leaves out the device it replaces (A1), which may be the SM
        // elected meanwhile that invites us again (§5.1 rule 10): its INVITE only.
        const bool replaced = join_ && join_->invite.handoff &&
                              join_->invite.handoff->replaces == from &&
                              std::holds_alternative<Invite>(body);
        if (!endpoint && !inviter && !replaced)
            return Refusal{refusal(body, "the sender is not this invitation's SM or endpoint"),
                           !knows(from)};
        if (const auto* r = std::get_if<Roster>(&body); r && !inviter && r->sm != from)
            return Refusal{refusal(body, "a roster for a joiner comes only from its SM"), false};
        if (const auto* r = std::get_if<Roster>(&body); r && unsignedRelay(from, *r))
            return Refusal{refusal(body, kUnsignedRelay), false};
        // The roster that lets us in is newer than the one our ticket was cut from (admission
        // is a change on that one): an older one is made up, even by the SM that invited us,
        // naming itself SM of an epoch whose SM it was not (--adversary seeds 559340, 676595:
        // a malicious SM of epoch 2 admitted a restarted member by an "epoch 1" roster).
        if (const auto* r = std::get_if<Roster>(&body);
            r && r->full && r->committed && join_ && r->at <= join_->invite.ticket.at)
            return Refusal{refusal(body, "a roster not newer than the ticket that invited us"),
                           false};
        // Another endpoint naming itself SM is believed only for an epoch after our ticket's
        // (an SM elected while we joined): the ticket names the SM of its epoch, and an
        // endpoint claiming that epoch is lying (--adversary seed 49388).
        if (const auto* r = std::get_if<Roster>(&body);
            r && !inviter && join_ && r->at.epoch <= join_->invite.ticket.at.epoch &&
            r->sm != join_->invite.ticket.sm)
            return Refusal{refusal(body, "a roster naming another SM of the ticket's epoch"),
                           false};
        // One naming itself SM of an epoch after the ticket's must show that epoch's signed
        // quorum first (onSetSm): an endpoint's word alone let a malicious member admit us
        // into a roster of its own making (the adversary's higher-epoch attack).
        if (const auto* r = std::get_if<Roster>(&body);
            r && !inviter && join_ && r->at.epoch > join_->invite.ticket.at.epoch &&
            !config_.ruleOff(Rule::SignedSetSm) && join_->provenSm != std::pair{r->at.epoch, r->sm})
            return Refusal{refusal(body, "a roster of a newer epoch whose SM is not proven"),
                           false};
        return std::nullopt;
    }
    case Phase::Removed:
        // A removed device waits for its rejoin: only the devices of its last roster speak.
        if (!knows(from))
            return Refusal{refusal(body, "the sender was not in this device's last roster"), true};
        // The roster that lets it back in names the SM we know for its epoch (a member that
        // names itself SM of that epoch is lying: --adversary seed 49388).
        if (const auto* r = std::get_if<Roster>(&body)) {
            const DeviceId sm = smOfEpoch(r->at.epoch);
            if (!sm.isNull() && r->sm != sm)
                return Refusal{refusal(body, "a roster naming another SM of its epoch"), false};
            if (unsignedRelay(from, *r)) return Refusal{refusal(body, kUnsignedRelay), false};
            // It lets us back in only by a roster not older than our committed one
            // (--adversary seed 163087: a member naming itself SM of an older epoch, whose SM
            // we never knew, took us back). Our accepted one may be a proposal that removed us
            // and was never committed: then the committed roster still lists us (--handoff
            // seed 7776).
            if (r->full && r->committed && r->at < committed_.at)
                return Refusal{refusal(body, "a roster older than our committed one"), false};
            // Nor by one older than the committed roster the SM told us removed us (we acked
            // it, so a quorum that elects from the older one must not count us: --handoff
            // --adversary seed 88301 with a removal grace, a restarted member relayed it).
            if (r->full && r->committed && r->at < removedAt_)
                return Refusal{refusal(body, "a roster older than the one that removed us"), false};
            if (const char* why = unprovenSmClaim(from, *r))
                return Refusal{refusal(body, why), false};
        }
        return std::nullopt;
    case Phase::Gone:
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<Session::Refusal> Session::authorizeMember(const DeviceId& from, const Message& m,
                                                         Millis now) const
{
    const Body& body = m.body;
    const Header& h = m.header;
    const RosterStamp theirs{h.epoch, h.version};
    if (!inRoster(from)) {
        // First contact and its answers, a JOIN (its ticket is checked), and the heartbeat of
        // a device that is behind us (rule 7 tells it it was removed) come from anyone.
        if (std::holds_alternative<InviteAnswer>(body) || std::holds_alternative<Join>(body))
            return std::nullopt;
        // Our SM handed its place to another device of its account (§5.1 rule 10): the swap
        // took it out of our roster, and its BYE (naming a successor) starts the election.
        if (const auto* bye = std::get_if<Bye>(&body);
            bye && bye->reason == Bye::Reason::Leave && !sm_.isNull() && from == sm_)
            return std::nullopt;
        if (isHeartbeat(body)) {
            if (theirs <= committed_.at) return std::nullopt;
            // Ahead of us: maybe a member we have not learned of yet, so the link stays; its
            // header is not believed (a stranger's higher epoch must not move us, rule 2).
            return Refusal{refusal(body, "a newer header from a device not in the roster"), false};
        }
        if (std::holds_alternative<Rejoin>(body)) {
            if (formerMembers_.contains(from)) return std::nullopt;
            return Refusal{refusal(body, "REJOIN only from a device of the last roster"),
                           !knows(from)};
        }
        // A device we never saw as a member, showing the roster that listed it (rule 7).
        if (const auto* q = std::get_if<SnapshotRequest>(&body); q && provesMembership(from, *q))
            return std::nullopt;
        if (knows(from)) {
            // A ticket holder, an invitee or a former member: its part of admission only.
            const auto* bye = std::get_if<Bye>(&body);
            if (std::holds_alternative<Joined>(body) ||
                (bye && bye->reason != Bye::Reason::Removed) ||
                std::holds_alternative<SnapshotRequest>(body))
                return std::nullopt;
            return Refusal{refusal(body, "the sender is not a member"), false};
        }
        // One we asked for the roster that lists it (our 403) keeps its link while it may
        // answer: closing it on the LINK_REPORT that follows its HELLO lost the proof's answer,
        // and a single 403 no longer tells a device it is out (plain seed 159117). Not for
        // ever: each old-stamped heartbeat asks again, and a stranger kept its link that way.
        const auto asked = membershipAsked_.constFind(from);
        const bool mayAnswer =
            asked != membershipAsked_.cend() && now - asked->first < kMembershipAnswerMs;
        return Refusal{refusal(body, "the sender is not a member"), !mayAnswer};
    }
    if (const auto* r = std::get_if<Roster>(&body)) {
        // A snapshot from anyone but its SM (a member relaying it, a leaver's tombstone) is
        // believed only with the SM's signature over it, committed flag included.
        if (unsignedRelay(from, *r)) return Refusal{refusal(body, kUnsignedRelay), false};
        // A leaver's tombstone hands out the roster it left with; onRoster gives it no ack.
        if (h.sm.isNull() && departed_.contains(from)) return std::nullopt;
        if (const char* why = unprovenSmClaim(from, *r)) return Refusal{refusal(body, why), false};
        const DeviceId sm = smOfEpoch(r->at.epoch);
        // A roster of an epoch newer than ours comes from an SM whose signed quorum was
        // checked here (SET_SM comes first) or, committed, that a majority of our roster
        // vouched for (§5; a member behind crosses its gap with it).
        if (!(r->full && r->committed) && r->at.epoch > accepted_.at.epoch &&
            r->at.epoch > committed_.at.epoch && !smProven(r->at.epoch, r->sm))
            return Refusal{refusal(body, "a roster of a newer epoch whose SM showed no signed "
                                         "quorum"),
                           false};
        if (r->full && r->committed) {
            // A relayed snapshot: it must name the SM we know for its epoch, one of its members
            // or one that swapped itself out for another device of its account (§5.1 rule 10;
            // refusing that one kept members behind from learning of the swap).
            std::optional<MemberInfo> smInfo = member(accepted_, r->sm);
            if (!smInfo) smInfo = member(committed_, r->sm);
            const bool smListed =
                std::any_of(r->members.cbegin(), r->members.cend(), [&](const MemberInfo& x) {
                    return x.device == r->sm || (smInfo && x.account == smInfo->account);
                });
            if (!smListed)
                return Refusal{refusal(body, "a roster whose SM is not among its members"), false};
            if (!sm.isNull() && r->sm != sm)
                return Refusal{refusal(body, "a roster naming another SM of its epoch"), false};
            return std::nullopt;
        }
        // A proposal comes only from the SM of its epoch (§5.1 rule 6).
        if (r->sm != from || (!sm.isNull() && sm != from))
            return Refusal{refusal(body, "a roster proposal from a device that is not the SM"),
                           false};
        return std::nullopt;
    }
    if (std::holds_alternative<BatonRequest>(body) || std::holds_alternative<BatonPass>(body) ||
        std::holds_alternative<BatonRefused>(body)) {
        // Rule 11: the baton is the members' business; a leaver has no say in it any more.
        if (!contains(accepted_, from) && !contains(committed_, from))
            return Refusal{refusal(body, "the sender is not a member"), false};
        // Only the holder passes or grants it (the SM's queue then checks its generation).
        if (std::holds_alternative<BatonPass>(body) && !config_.ruleOff(Rule::BatonHolderOnly) &&
            from != committed_.baton.holder && from != accepted_.baton.holder)
            return Refusal{refusal(body, "only the baton holder passes the baton"), false};
        return std::nullopt;
    }
    if (const auto* c = std::get_if<Commit>(&body)) {
        // Only the SM that proposed a roster may say it is committed.
        if (c->at == accepted_.at && accepted_.sm != from)
            return Refusal{refusal(body, "a COMMIT from a device that is not the SM"), false};
        return std::nullopt;
    }
    if (const auto* b = std::get_if<Bye>(&body); b && b->reason == Bye::Reason::Removed) {
        // Only the SM removes a member, or a member of a newer epoch (we are behind an
        // election). Any other member that tells us sends the committed roster that removed
        // us first (rule 7), and that roster is what we act on; we also ask our SM (refuse()).
        const bool fromSm = from == sm_ || from == accepted_.sm || from == committed_.sm;
        if (!fromSm && h.epoch <= epoch_)
            return Refusal{refusal(body, "only the SM tells a member it was removed"), false};
        return std::nullopt;
    }
    return std::nullopt;
}

void Session::refuse(const DeviceId& from, const Message& m, const Refusal& r)
{
    // A REJOIN from a device this member did not see removed (it restarted since, or joined
    // later): say so, or the device asks again for ever (it retries until in or refused).
    if (std::holds_alternative<Rejoin>(m.body) && phase_ == Phase::Member)
        send(from, Cancel{Code::Forbidden});
    deps_.out.refused(sid_, from, r.reason, r.outsider);
    // A device removed while we watched, whose heartbeat is ahead of us: it lost its SM and
    // took a newer epoch from a header (one nobody leads), so it is never "behind" and never
    // told (rule 7). Tell it now, as onPingHeader tells one that is behind (--adversary seed
    // 62915: it asked to be elected for ever).
    if ((std::holds_alternative<Hello>(m.body) || std::holds_alternative<Ping>(m.body)) &&
        phase_ == Phase::Member && formerMembers_.contains(from) && m.header.sm.isNull() &&
        RosterStamp{m.header.epoch, m.header.version} > committed_.at) {
        sendCommittedRoster(from);
        send(from, Bye{Bye::Reason::Removed, std::nullopt, std::nullopt});
        deps_.out.closeLink(sid_, from);
    }
    // A removal we were told of by a member, not the SM: ask the SM whether it is true.
    if (const auto* b = std::get_if<Bye>(&m.body); b && b->reason == Bye::Reason::Removed &&
                                                   phase_ == Phase::Member && !isSm_ &&
                                                   !sm_.isNull() && links_.contains(sm_))
        requestSnapshot(sm_);
}

} // namespace plenum::session

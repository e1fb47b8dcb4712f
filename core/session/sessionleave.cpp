// Session: leaving (BYE, successor), departures and removal, error replies, and the rejoin
// loop of a restarted member (issue 12).
#include "session/roster.h"
#include "session/session.h"

#include <algorithm>

namespace plenum::session {

using namespace protocol;

// ------------------------------------------------------------------------- leaving

void Session::leave(Millis now)
{
    if (phase_ == Phase::Member) {
        // On disk before the first BYE goes out (persist before send): members that hear it
        // drop us from their majorities at once ("Leavers", docs/session.md), which is safe
        // only because a leaver never votes or acks again. A crash between the BYEs and the
        // tombstone brought the device back as a member whose vote elected an SM over a
        // roster that lost a committed change (--crash-points seed 10370).
        persistEnded();
        QSet<DeviceId> told;
        const std::optional<DeviceId> successor = isSm_ ? chooseSuccessor() : std::nullopt;
        for (const MemberInfo& m : accepted_.members) {
            if (m.device == self_.device) continue;
            send(m.device,
                 Bye{Bye::Reason::Leave, accepted_.at, successor, election_.grantedEpoch()});
            told.insert(m.device);
        }
        // A joiner we answered may be a member by the time our BYE lands, and then it counts
        // a leaver without 'voted in' in every election for ever (--handoff seed 20791).
        for (auto it = pendingJoiners_.cbegin(); it != pendingJoiners_.cend(); ++it)
            if (!told.contains(it.key()))
                send(it.key(),
                     Bye{Bye::Reason::Leave, accepted_.at, std::nullopt, election_.grantedEpoch()});
    } else if (phase_ == Phase::Joining && join_) {
        failJoin(Code::Declined, QStringLiteral("you left"), now, true);
        return;
    } else if (phase_ == Phase::Invited) {
        decline(now);
        return;
    }
    finish(Phase::Gone);
    emitEvent(event::Left{});
    reschedule();
}

std::optional<DeviceId> Session::chooseSuccessor() const
{
    // A linked member that has every roster we sent (links are ordered, so it will have it
    // before our BYE): the best device class, then the larger id, like a bid without chance.
    std::optional<MemberInfo> best;
    for (const MemberInfo& m : accepted_.members) {
        if (m.device == self_.device || !links_.contains(m.device) || departed_.contains(m.device))
            continue;
        if (proposal_ && !proposal_->acks.contains(m.device)) continue;
        const auto rank = [](const MemberInfo& x) {
            return std::make_pair(Election::makeBid(x.deviceClass, 0), x.device);
        };
        if (!best || rank(*best) < rank(m)) best = m;
    }
    if (!best) return std::nullopt;
    return best->device;
}

void Session::onBye(const DeviceId& from, const Message& m, Millis now)
{
    const auto& bye = std::get<Bye>(m.body);
    if (bye.reason == Bye::Reason::Removed) {
        if (phase_ != Phase::Member) return;
        // Only a member at least as new as us may tell us we are out, and only in our epoch
        // or a newer one: a removal told in an older epoch is news the SM of ours (which
        // republished the newest committed roster) would carry itself. A member's forged
        // BYE{removed} in the old SM's name reached its target just after the target learned
        // that member had become its SM (--handoff --adversary seed 56295).
        const RosterStamp theirs{m.header.epoch, m.header.version};
        if (theirs >= committed_.at && m.header.epoch >= epoch_) {
            beRemoved(from, m.header, now);
            removedAt_ = std::max(removedAt_, theirs);
        }
        return;
    }
    if (bye.reason == Bye::Reason::JoinFailed) {
        if (phase_ == Phase::Member && (contains(accepted_, from) || contains(committed_, from))) {
            // Committed while it gave up (the roster telling it was lost): it is not here.
            // A joiner acknowledges nothing before it is in: it holds no roster.
            markDeparted(from, RosterStamp{}, 0, now);
            return;
        }
        pendingJoiners_.remove(from);
        timers_.disarm(TimerKind::Flicker, from);
        if (!contains(accepted_, from)) deps_.out.closeLink(sid_, from);
        if (isSm_ && admission_ && admission_->invitee && admission_->invitee->device == from)
            finishAdmission(Code::Timeout, from, now);
        return;
    }
    // A leave.
    if (phase_ == Phase::Joining && join_ && join_->endpoints.contains(from)) {
        // Seed 004: an endpoint that leaves mid-join is reported like a 610.
        join_->unknown.insert(from);
        join_->answered.insert(from);
        timers_.disarm(TimerKind::JoinAttempt, from);
        if (from == join_->sm)
            failJoin(Code::NotFound, QStringLiteral("the group ended"), now);
        else
            maybeSendJoined(now);
        return;
    }
    if (phase_ != Phase::Member) return;
    if (pendingJoiners_.remove(from)) {
        timers_.disarm(TimerKind::Flicker, from);
        deps_.out.closeLink(sid_, from);
        if (isSm_ && admission_ && admission_->invitee && admission_->invitee->device == from)
            finishAdmission(Code::Timeout, from, now);
        return;
    }
    if (from == sm_ && !isSm_ && !contains(accepted_, from) && !contains(committed_, from)) {
        // Our SM handed its place to another device (§5.1 rule 10) and now leaves.
        if (!config_.ruleOff(Rule::SuccessorHint)) successor_ = bye.successor;
        loseSm(now);
        return;
    }
    if (!contains(accepted_, from) && !contains(committed_, from)) return;
    // The leaver's newest roster on disk; an older peer sends none: its header's stamp.
    const RosterStamp theirs = bye.accepted.value_or(RosterStamp{m.header.epoch, m.header.version});
    if (from == sm_ && !isSm_ && !config_.ruleOff(Rule::SuccessorHint)) successor_ = bye.successor;
    markDeparted(from, theirs, bye.votedIn, now);
    if (phase_ != Phase::Member) return; // that was the news that we are out (leftOut)
    // It may hold a roster we have not seen (committed with its ack): until we have it, it
    // still counts, and we fetch it from whoever has it.
    if (theirs > accepted_.at) catchUp();
}

void Session::onErrorReply(const DeviceId& from, const ErrorReply& e, const Header& h, Millis now)
{
    // A member that does not know the session has left it (seed 004: 610): its BYE was lost.
    // A device that left answers a snapshot request with 404 ("not a member"): the same news.
    const bool notThere = e.code == Code::SessionNotKnown || e.code == Code::NotFound;
    const bool listed = contains(accepted_, from) || contains(committed_, from);
    // A member of our roster does not list us in a committed roster newer than ours (rule 7):
    // we show it the roster that lists us, and it tells us what removed us if it can check
    // that roster's SM. If a majority of the others say so, we are out either way.
    if (phase_ == Phase::Member && e.code == Code::Forbidden && listed) {
        showMembershipProof(from, now);
        notListedBy_.insert(from);
        if (notListedByMajority()) {
            leftOut();
            return;
        }
    }
    if (phase_ == Phase::Member && notThere && listed) {
        // It left with a roster newer than ours, which may be what removed us: its tombstone
        // hands it to who shows a roster listing them (SessionHost::provesMembership).
        if (e.accepted && *e.accepted > committed_.at) showMembershipProof(from, now);
        departedFrom(from, h, e.accepted, e.votedIn, now);
    }
}

bool Session::notListedByMajority() const
{
    QSet<DeviceId> others = deviceSet(accepted_) | deviceSet(committed_);
    others.remove(self_.device);
    // A device that said it left has no say: it keeps the roster it left with for those it
    // knew, not for a device removed after it went (docs/security.md, the tombstone).
    for (auto it = departed_.cbegin(); it != departed_.cend(); ++it)
        others.remove(it.key());
    const qsizetype said = (notListedBy_ & others).size();
    if (others.isEmpty() || 2 * said <= others.size()) return false;
    // Never one device's word alone: the other member of a two-member roster could otherwise
    // put us out with a made-up 403 (docs/security.md). Unless that one is all who are left
    // and a fellow that left held a roster of a newer epoch than ours: we missed an election,
    // nobody else can tell us, and one voice is all the news there is (plain and --adversary
    // seed 208852, --handoff --crash-points 21237 waited for ever without it). Of the same
    // epoch, our own SM's rosters would have told us (--adversary 230193, 251370).
    if (said >= 2 || config_.ruleOff(Rule::TwoVoices)) return true;
    for (auto it = departed_.cbegin(); it != departed_.cend(); ++it)
        if (it->accepted.epoch > accepted_.at.epoch &&
            (contains(accepted_, it.key()) || contains(committed_, it.key())))
            return true;
    return false;
}

void Session::leftOut()
{
    // Removed, and nobody left can show us the roster that did it: the members that answered
    // cannot check the SM of the roster we hold (they were not there), so they cannot tell us
    // from a stranger making up a stamp. No rejoin either: nobody remembers us to vouch for a
    // REJOIN. A malicious member alone is never a majority of the others.
    finish(Phase::Removed);
    emitEvent(event::Removed{false});
    finish(Phase::Gone);
}

void Session::departedFrom(const DeviceId& from, const Header& h,
                           std::optional<RosterStamp> accepted,
                           std::optional<std::uint64_t> votedIn, Millis now)
{
    // It names the newest roster it had on disk (an older peer: the roster in its header).
    // If that is newer than ours it may have acknowledged a roster we lack: it still counts
    // (see voters()) and we catch up; if the others went on without us, catching up is how
    // we learn that we were removed.
    const RosterStamp theirs = accepted.value_or(RosterStamp{h.epoch, h.version});
    if (theirs > accepted_.at &&
        now - leaverAskedAt_.value(from, -config_.resendInterval) >= config_.resendInterval) {
        leaverAskedAt_.insert(from, now);
        catchUp();
        requestSnapshot(from); // its host hands out the roster it left with
    }
    markDeparted(from, theirs, votedIn, now);
}

void Session::catchUp()
{
    for (const MemberInfo& m : accepted_.members)
        if (m.device != self_.device && links_.contains(m.device) && !departed_.contains(m.device))
            requestSnapshot(m.device);
}

void Session::markDeparted(const DeviceId& from, const RosterStamp& accepted,
                           std::optional<std::uint64_t> votedIn, Millis now)
{
    if (auto it = departed_.find(from); it != departed_.end()) {
        if (accepted > it->accepted) it->accepted = accepted;
        if (votedIn) it->votedIn = std::max(it->votedIn.value_or(0), *votedIn);
        // Seed 455560: it departed, then won an election we followed, then lost the session.
        // Its "not there" replies must still cost it our allegiance, or we follow it forever.
        if (from == sm_ && !isSm_) loseSm(now);
        return;
    }
    departed_.insert(from, Departure{accepted, votedIn});
    // One voice fewer: the 403s we have may be a majority of those left (leftOut).
    if (phase_ == Phase::Member && !notListedBy_.isEmpty() && notListedByMajority()) {
        leftOut();
        return;
    }
    if (accepted <= accepted_.at) {
        timers_.disarm(TimerKind::Relink, from);
        deps_.out.closeLink(sid_, from);
    } else if (!links_.contains(from)) {
        // Its host still has the roster it left with: keep reaching it until we have that.
        deps_.out.openLink(sid_, from);
        scheduleRelink(from, now);
    }
    if (from == sm_ && !isSm_) {
        // Lost already while readmitted, it may have no round open and none scheduled: loseSm
        // opens one then (plain seed 1195048: a member alone with two tombstones).
        loseSm(now);
    } else if (isSm_) {
        enqueue(RemoveRequest{from, RosterChange::Reason::Left}, now);
    }
    if (proposal_ && (accepted <= accepted_.at || config_.ruleOff(Rule::LeaverCounts)) &&
        proposal_->voters.remove(from))
        maybeCommit(now);
    checkWin(now); // a candidate's majority no longer counts it
}

void Session::beRemoved(const DeviceId& from, const Header& h, Millis now)
{
    DeviceId via = !h.sm.isNull() && h.sm != self_.device ? h.sm : from;
    if (via == self_.device) via = DeviceId{}; // an SM out of its own proposal asks the others
    finish(Phase::Removed);
    emitEvent(event::Removed{config_.autoRejoin});
    if (!config_.autoRejoin) {
        finish(Phase::Gone);
        return;
    }
    rejoining_ = true;
    rejoinVia_ = via;
    rejoinAttempts_ = 0;
    rejoinGone_.clear();
    epoch_ = h.epoch;
    sendRejoin(now);
}

// Asks to be readmitted until it is, or until the group refuses in words (issue 12: a device
// restarted a second after a crash gave up after 5 attempts, or after one failed JOIN, and
// stayed out for good). Whom: the SM as far as we know and, from the second attempt on, one
// other member of our last roster in turn: a member answers STALE naming its SM (or admits
// us if it is SM now), a device that left answers 404/610.
void Session::sendRejoin(Millis now)
{
    if (phase_ != Phase::Removed || !rejoining_) return;
    ++rejoinAttempts_;
    if (rejoinGone_.contains(rejoinVia_)) rejoinVia_ = DeviceId{};
    QList<DeviceId> targets;
    if (!rejoinVia_.isNull() && !rejoinGone_.contains(rejoinVia_)) targets.append(rejoinVia_);
    if (targets.isEmpty() || rejoinAttempts_ > 1) {
        QList<DeviceId> others;
        for (const MemberInfo& m : accepted_.members)
            if (m.device != self_.device && m.device != rejoinVia_ &&
                !rejoinGone_.contains(m.device))
                others.append(m.device);
        std::sort(others.begin(), others.end());
        if (!others.isEmpty()) targets.append(others.at(rejoinAttempts_ % others.size()));
    }
    // REJOIN travels by the DHT; the answer (INVITE aside) needs the link.
    for (const DeviceId& to : targets) {
        deps_.out.send(to, Message{Header{sid_, epoch_, 0, rejoinVia_}, Rejoin{self_}});
        deps_.out.openLink(sid_, to);
    }
    rejoinLater(now);
}

void Session::rejoinLater(Millis now)
{
    const int step = std::clamp(rejoinAttempts_ - 1, 0, 16);
    const Millis delay = std::min(config_.rejoinBase << step, config_.rejoinMax);
    timers_.arm(TimerKind::RejoinRetry, now + delay);
}

// While rejoining, every answer from our last roster's members is news: who the SM is (their
// header), that a device left (404/610), or the SM's refusal (CANCEL).
void Session::onRejoinAnswer(const DeviceId& from, const Message& m, Millis now)
{
    if (!contains(accepted_, from) && !contains(committed_, from) && from != rejoinVia_) return;
    if (const auto* e = std::get_if<ErrorReply>(&m.body)) {
        if (e->code != Code::NotFound && e->code != Code::SessionNotKnown) return;
        rejoinGone_.insert(from, std::max(epoch_, m.header.epoch));
        for (const MemberInfo& mi : accepted_.members)
            if (mi.device != self_.device && !rejoinGone_.contains(mi.device)) return;
        rejoinRefused(Code::NotFound, QStringLiteral("The group no longer exists"));
        return;
    }
    if (const auto* c = std::get_if<Cancel>(&m.body)) {
        if (c->code == Code::Forbidden)
            rejoinRefused(c->code, QStringLiteral("You were removed from the group"));
        else if (c->code == Code::OneToOneOnly)
            rejoinRefused(c->code, QStringLiteral("The group now takes one-to-one calls only"));
        else if (c->code == Code::AlreadyHere)
            rejoinRefused(c->code, QStringLiteral("Your account continues on another device"));
        return; // anything else (a timeout, the SM's lease) passes: we ask again
    }
    if (std::holds_alternative<Invite>(m.body)) return; // the SM readmitting us: onInvite
    const Header& h = m.header;
    // Seed 196021: a device that said it left may have been admitted again since and won a
    // later election; a member naming it SM of a newer epoch than we knew is that news. So is
    // a member naming it SM of our epoch: it came back (a device that handed the session off
    // and had it handed back, §5.1 rule 10).
    if (const auto gone = rejoinGone_.constFind(h.sm);
        gone != rejoinGone_.cend() &&
        (h.epoch > gone.value() || (from != h.sm && h.epoch >= epoch_)))
        rejoinGone_.erase(gone);
    if (!h.sm.isNull() && h.sm != self_.device && h.sm != rejoinVia_ && h.epoch >= epoch_ &&
        !rejoinGone_.contains(h.sm)) {
        rejoinVia_ = h.sm;
        epoch_ = h.epoch;
        deps_.out.openLink(sid_, rejoinVia_);
        deps_.out.send(rejoinVia_, Message{Header{sid_, epoch_, 0, rejoinVia_}, Rejoin{self_}});
    }
}

void Session::rejoinRefused(Code code, const QString& reason)
{
    rejoining_ = false;
    finish(Phase::Gone);
    emitEvent(event::JoinFailed{code, reason});
}

} // namespace plenum::session

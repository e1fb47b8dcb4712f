// Session: roster replication — a ROSTER accepted or refused, COMMIT marks it committed,
// the effects of a committed roster, and snapshots for members that fell behind.
#include "session/roster.h"
#include "session/session.h"

#include <algorithm>

namespace plenum::session {

using namespace protocol;

// -------------------------------------------------------------- roster replication

void Session::onRoster(const DeviceId& from, const Roster& r, const Header& h, Millis now)
{
    if (phase_ == Phase::Joining || phase_ == Phase::Invited || phase_ == Phase::Removed) {
        // A proposal that counts us needs our ack or the news that we are not in (a
        // tombstone's 404): a removed device, like one that is gone, answers the latter, or
        // the SM of a two-member session could commit neither the removal nor our return.
        // That is any proposal but the one that lets us back in: one that removes us, and
        // one that still lists us (--crash-points seed 442448: an SM restarted without the
        // departure it had seen re-sent its proposal to us for ever, and queued our REJOIN
        // behind it).
        const bool addsUs = !r.full &&
                            (r.change.kind == RosterChange::Kind::Add ||
                             r.change.kind == RosterChange::Kind::Swap) &&
                            r.change.member.device == self_.device;
        if (phase_ == Phase::Removed && !r.committed && !addsUs)
            send(from, ErrorReply{Code::NotFound, QStringLiteral("not a member of this session"),
                                  accepted_.at, election_.grantedEpoch()});
        // A joiner is in when it receives the committed ROSTER that lists it (§5.1 rule 4).
        if (!r.full || !r.committed) return;
        RosterSnapshot snap = snapshotOf(r);
        if (!contains(snap, self_.device)) return;
        join_.reset();
        timers_.clear();
        epoch_ = snap.at.epoch;
        becomeMember(snap, now, r.signature);
        emitEvent(event::Admitted{snap});
        emitEvent(event::RosterCommitted{snap, {}});
        if (snap.baton != Baton{}) emitEvent(event::BatonChanged{snap.baton});
        // Let in by a swap that replaced the SM (§5.1 rule 10): elect one, even if its BYE is
        // lost and a link we share with it for another session stays up.
        if (!contains(snap, snap.sm) && !lostSm_) loseSm(now);
        return;
    }
    if (phase_ != Phase::Member) return;
    // A leaver's tombstone handing out the roster it left with: it acts for no SM and collects
    // no acks, so taking its roster cannot help an old SM commit (the term rule's concern).
    const bool fromTombstone = h.sm.isNull() && departed_.contains(from);
    if (!r.committed && h.epoch < election_.grantedEpoch() && !fromTombstone &&
        !config_.ruleOff(Rule::TermRule)) {
        // We voted for someone in a newer epoch: a proposal of an older SM must not gather
        // our ack (Raft's term rule), or two SMs could commit conflicting rosters.
        Header newer = header();
        newer.epoch = election_.grantedEpoch();
        deps_.out.send(from, Message{newer, Stale{}});
        return;
    }
    if (r.full) {
        acceptRoster(snapshotOf(r), r.committed, now, r.signature);
        if (!r.committed && accepted_.at == r.at && !fromTombstone) send(r.sm, RosterAck{r.at});
        return;
    }
    if (r.base == accepted_.at) {
        noteHandoffChange(r.at, r.change);
        acceptRoster(applyChange(accepted_, r.change, r.at, r.sm), false, now, r.signature);
        send(from, RosterAck{r.at});
    } else if (r.at == accepted_.at) {
        send(from, RosterAck{r.at}); // a re-sent proposal we already have
    } else if (r.at > accepted_.at) {
        requestSnapshot(from); // a gap is crossed only by a full snapshot (DESIGN §4)
    }
}

void Session::acceptRoster(const RosterSnapshot& roster, bool committed, Millis now,
                           const QByteArray& signature)
{
    if (roster.at > accepted_.at) {
        // A member we must count on (its vote, if the SM goes before the commit) needs a link
        // now, not at commit: one that gave up joining is found only by reaching it (610).
        for (const DeviceId& added : deviceSet(roster) - deviceSet(accepted_)) {
            if (added == self_.device || links_.contains(added)) continue;
            deps_.out.openLink(sid_, added);
            scheduleRelink(added, now);
        }
        accepted_ = roster;
        acceptedSig_ = committed ? QByteArray() : signature;
        // §5.1 rule 2: a roster of a newer epoch ends ours. A restarted SM that took its
        // successor's committed snapshot (unproven, so followed by no one) went on proposing
        // at its old epoch on top of it: (2,8) then (1,9) (--adversary seed 73218).
        if (isSm_ && roster.at.epoch > epoch_ && !config_.ruleOff(Rule::HigherEpochStepsDown))
            stepDown(now);
        // A departure older than a roster its device leads is stale: the device came back (we
        // missed the commit that readmitted it) and won an election since. Kept, it made us
        // take its rosters for a tombstone's and elect for ever beside it (--handoff 40265).
        forgetDepartureBefore(roster.sm, roster.at);
        if (roster.at.epoch >= epoch_ && !isSm_) {
            const bool newerEpoch = roster.at.epoch > epoch_;
            epoch_ = roster.at.epoch;
            // A roster handed out by a leaver's tombstone names an SM that is gone, and so does
            // one whose SM swapped itself out for another device (§5.1 rule 10).
            const bool leads = roster.sm != self_.device && !leftSince(roster.sm, roster.at) &&
                               contains(roster, roster.sm) && (roster.sm != sm_ || lostSm_);
            if (leads && !smProven(roster.at.epoch, roster.sm)) {
                // §5: not on a roster's word. Its SM holds the signed quorum: ask it.
                if (!lostSm_ && roster.sm != sm_) loseSmElectOnRetry(now);
                askSmProof(roster.sm, now);
            } else if (leads) {
                election_.close();
                timers_.disarm(TimerKind::BidWindow);
                timers_.disarm(TimerKind::ElectionRetry);
                regainSm(roster.sm, roster.at.epoch, now);
            } else if (newerEpoch && !lostSm_ && sm_ != roster.sm) {
                // The SM we follow is of an older epoch, and this epoch's has left: following
                // it on, we named it SM of an epoch it never won (--handoff --adversary 912471).
                loseSmElectOnRetry(now);
            }
        }
        persist();
    }
    if (committed && roster.at > committed_.at && roster.at <= accepted_.at) {
        if (roster.at == accepted_.at || roster.at > committed_.at)
            markCommitted(roster, committed_.at, now, signature);
    }
}

void Session::markCommitted(const RosterSnapshot& roster, const RosterStamp& base, Millis now,
                            const QByteArray& signature)
{
    const RosterSnapshot before = committed_;
    if (roster.at.epoch > before.at.epoch && before.at.epoch != 0) {
        priorCommittedSig_ = heldSignature(before, true);
        priorCommitted_ = priorCommittedSig_.isEmpty() ? RosterSnapshot{} : before;
    }
    committed_ = roster;
    committedSig_ = signature;
    const QSet<DeviceId> was = deviceSet(before);
    const QSet<DeviceId> is = deviceSet(committed_);
    const MemberChange change{is, was - is, is - was};
    noteFormerMembers(change); // on disk with the roster: a restarted member still knows them
    notListedBy_.clear();
    persist();
    emitEvent(event::RosterCommitted{roster, base});
    applyCommittedEffects(before, change, now);
    batonCommitted(before.baton);
    seatsCommitted(before, now);
    // One that still thinks it is SM too, when the roster is another SM's (--seed 8560: an SM
    // removed while it was down restarted as SM, could not prove the new epoch's SM, and took
    // the roster that left it out without ever noticing it was out).
    if (!contains(roster, self_.device) && (!isSm_ || roster.sm != self_.device)) {
        if (handedOff(now)) return;
        beRemoved(roster.sm, Header{sid_, roster.at.epoch, roster.at.version, roster.sm}, now);
    }
}

void Session::noteFormerMembers(const MemberChange& change)
{
    // It may ask to come back (REJOIN, rule 6) and hear why it is out (rule 7).
    for (const DeviceId& gone : change.gone)
        if (gone != self_.device && formerMembers_.size() < kMaxFormerMembers)
            formerMembers_.insert(gone);
    for (const DeviceId& added : change.added)
        formerMembers_.remove(added);
}

void Session::applyCommittedEffects(const RosterSnapshot& before, const MemberChange& change,
                                    Millis now)
{
    for (const DeviceId& gone : change.gone) {
        if (gone == self_.device) continue;
        // §5.1 rule 7: a member that applies a removal tells the removed device. One that
        // handed its place to another device of its account (rule 10) gets the roster only.
        const std::optional<MemberInfo> old = member(before, gone);
        const bool swapped = old && memberOfAccount(committed_, old->account);
        if (swapped && !departed_.contains(gone)) {
            sendCommittedRoster(gone);
        } else if (!departed_.contains(gone) && !config_.ruleOff(Rule::RemovalTold)) {
            if (!isSm_) sendCommittedRoster(gone); // what it acts on (see onPingHeader)
            send(gone, Bye{Bye::Reason::Removed, std::nullopt, std::nullopt});
        }
        spendTickets(gone);
        deps_.out.closeLink(sid_, gone);
        timers_.disarm(TimerKind::Relink, gone);
        timers_.disarm(TimerKind::Suspect, gone);
        relinkAttempts_.remove(gone);
        downReports_.remove(gone);
        smLinkDownSince_.remove(gone);
        unreachableSince_.remove(gone);
        departed_.remove(gone);
    }
    for (const DeviceId& added : change.added) {
        if (added == self_.device) continue;
        spendTickets(added);
        pendingJoiners_.remove(added);
        // Seed 793360: a device that left (or gave up joining) and was admitted again is a new
        // member; its old departure would keep its next leave from being queued.
        departed_.remove(added);
        timers_.disarm(TimerKind::Flicker, added);
        if (!links_.contains(added)) {
            deps_.out.openLink(sid_, added);
            scheduleRelink(added, now);
        }
    }
    for (auto it = downReports_.begin(); it != downReports_.end(); ++it)
        it.value().intersect(change.members);
}

void Session::onCommit(const DeviceId& from, const Commit& c, Millis now)
{
    // A joiner that hears of a commit may be in it and have missed the roster saying so
    // (an SM restarted mid-admission forgets whom to tell): ask.
    if (phase_ == Phase::Joining && join_ && from == join_->sm) return requestSnapshot(from);
    if (phase_ != Phase::Member || isSm_) return;
    if (c.at == accepted_.at && c.at > committed_.at)
        markCommitted(accepted_, committed_.at, now, c.signature);
    else if (c.at > accepted_.at)
        requestSnapshot(from);
}

void Session::sendCommittedRoster(const DeviceId& to)
{
    // Who leads its epoch, proven, before the roster (a member behind needs both, §5).
    sendSmProof(to, committed_.at.epoch, committed_.sm);
    sendCommittedSnapshot(to, committed_, heldSignature(committed_, true));
}

void Session::sendCommittedSnapshot(const DeviceId& to, const RosterSnapshot& roster,
                                    const QByteArray& signature)
{
    Roster r;
    fillFull(r, roster);
    r.committed = true;
    r.signature = signature;
    send(to, r);
}

void Session::onSnapshotRequest(const DeviceId& from, const SnapshotRequest& q, const Header& h,
                                Millis now)
{
    if (phase_ != Phase::Member) {
        if (phase_ == Phase::Gone || phase_ == Phase::Removed) {
            send(from, ErrorReply{Code::NotFound, QStringLiteral("not a member of this session"),
                                  accepted_.at, election_.grantedEpoch()});
            // Like a tombstone (SessionHost::answerUnknown): a member that still counts us,
            // because we may hold a newer roster than it, needs that roster to stop counting
            // us. A rejoining device answered with the error only, and a member left alone
            // with it (everyone else had left) could never elect (--handoff seed 72091).
            if (accepted_.at.epoch != 0) {
                Roster r;
                fillFull(r, accepted_);
                r.committed = accepted_.at == committed_.at;
                r.base = committed_.at;
                r.signature = heldSignature(accepted_, r.committed);
                deps_.out.send(
                    from, Message{Header{sid_, accepted_.at.epoch, committed_.at.version, {}}, r});
            }
        }
        return;
    }
    // A device we never saw as a member that proved it was one (authorizeMember): rule 7.
    if (!knows(from)) {
        if (provesMembership(from, q)) tellRemoved(from);
        return;
    }
    // Still in the epoch before ours: first the last roster of it we hold, signed by the SM it
    // knows for it, so that it checks our SM's votes against the roster they were cast on.
    if (h.epoch == priorCommitted_.at.epoch && RosterStamp{h.epoch, h.version} < priorCommitted_.at)
        sendCommittedSnapshot(from, priorCommitted_, priorCommittedSig_);
    // Our epoch's SM, proven, when its roster is not committed yet (§5; the roster's below).
    if (!lostSm_ && (epoch_ != committed_.at.epoch || sm_ != committed_.sm))
        sendSmProof(from, epoch_, sm_);
    sendCommittedRoster(from);
    // An SM with an unacknowledged proposal re-sends it, so a lagging member can ack it.
    if (isSm_ && proposal_ && proposal_->voters.contains(from)) sendProposal(from);
}

} // namespace plenum::session

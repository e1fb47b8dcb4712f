// Session, SM side: one queue for every roster change (§5.1 rule 5), admission with
// tickets (rule 6), REFER/NOTIFY (seed 004), majority commit (rule 4), removals (DESIGN §4
// "A member that crashes", rule 9) and REJOIN.
#include "session/roster.h"
#include "session/session.h"

#include <algorithm>

namespace plenum::session {

using namespace protocol;

namespace {
// A change that brings a device in: it learns it is in only from the committed roster.
bool isAdmission(const RosterChange& c)
{
    return c.kind == RosterChange::Kind::Add || c.kind == RosterChange::Kind::Swap;
}
} // namespace

// ---------------------------------------------------------------------- commands

void Session::invite(const AccountId& account, const QList<DeviceId>& devices, Millis now)
{
    if (phase_ != Phase::Member || devices.isEmpty()) return;
    if (isSm_) {
        if (!hasLease(now)) {
            // §5.1 rule 3: no lease, no admission; the user hears why at once.
            emitEvent(event::InviteResult{account, devices.front(), Code::Full});
        } else {
            enqueue(AdmitRequest{account, devices, std::nullopt, 0, false}, now);
        }
    } else {
        const std::uint32_t id = nextReferId_++;
        refers_[id] = OutstandingRefer{account, devices, now};
        if (!sm().isNull()) send(sm_, referFor(id, refers_[id]));
    }
    reschedule();
}

protocol::Refer Session::referFor(std::uint32_t id, const OutstandingRefer& r)
{
    const auto at = static_cast<std::uint64_t>(std::max<Millis>(r.askedAt, 0));
    return Refer{id, r.account, r.devices,
                 deps_.tickets.sign(referralSigningBytes(sid_, r.account, self_.device, at)), at};
}

void Session::resendRefers()
{
    for (const auto& [id, r] : refers_)
        send(sm_, referFor(id, r));
}

void Session::onRefer(const DeviceId& from, const Refer& r, Millis now)
{
    if (phase_ != Phase::Member) return;
    if (!isSm_) {
        send(from, Stale{}); // our header names the SM we follow
        return;
    }
    if (!contains(committed_, from)) return;
    const auto referrer = member(committed_, from);
    if (rules_.inviteOnly && referrer && referrer->account != rules_.owner) {
        send(from, Notify{r.referId, Code::Forbidden, r.devices.value(0)});
        return;
    }
    if (!hasLease(now)) {
        send(from, Notify{r.referId, Code::Full, r.devices.value(0)});
        return;
    }
    for (const Request& q : queue_) {
        const auto* a = std::get_if<AdmitRequest>(&q);
        if (a && a->referrer == from && a->referId == r.referId) return; // a re-sent REFER
    }
    if (admission_ && admission_->request.referrer == from &&
        admission_->request.referId == r.referId)
        return;
    send(from, ReferAccepted{r.referId});
    AdmitRequest request{r.account, r.devices, from, r.referId, false};
    // Passed on only if it is the referrer's (the invitee shows who asked only then).
    if (!r.signature.isEmpty() &&
        deps_.tickets.verify(from, referralSigningBytes(sid_, r.account, from, r.issuedAtMs),
                             r.signature))
        request.referral = Referral{r.signature, {}, {}, {}, r.issuedAtMs};
    enqueue(std::move(request), now);
}

void Session::onNotify(const DeviceId& from, const Notify& n, Millis now)
{
    auto it = refers_.find(n.referId);
    if (it == refers_.end()) return;
    emitEvent(event::InviteResult{it->second.account, n.device, n.code});
    refers_.erase(it);
}

void Session::onRejoin(const DeviceId& from, const Rejoin& r, Millis now)
{
    if (phase_ != Phase::Member) return;
    if (!isSm_) {
        send(from, Stale{});
        // Back in by a roster of an SM it never knew: its roster's members vouch for that
        // roster by relaying it (noteSmAttestation), as the SM's word alone is not proof.
        if (r.self.device == from && contains(committed_, from)) sendCommittedRoster(from);
        return;
    }
    if (r.self.device != from) return;
    const bool beingRemoved = proposal_ && proposal_->change &&
                              proposal_->change->kind == RosterChange::Kind::Remove &&
                              proposal_->change->member.device == from;
    if (contains(committed_, from) && !beingRemoved) {
        // Still a member (it restarted, or a member told it too early that it was out): the
        // committed roster that lists it makes it one again. Being removed: queued below, it
        // is admitted again once the removal is committed.
        // It takes that roster as its accepted one: an ack it gave our proposal is gone with
        // it and must not count; the proposal's re-send asks it again (--handoff 1928342: A1
        // acked its own swap, lost its SM link, took itself for removed and rejoined; it voted
        // in the next epoch with the older roster while we committed the swap counting its
        // ack, and the two epochs' rosters forked).
        if (proposal_) proposal_->acks.remove(from);
        sendCommittedRoster(from);
        return;
    }
    if (admission_ && admission_->request.devices.contains(from)) {
        // It gave up a JOIN (an endpoint it could not reach yet) and its BYE may have been
        // lost with the link: invite it again rather than wait for the invite timeout. Only
        // with the lease (rule 3): a deposed SM that does not know it yet must not.
        if (hasLease(now)) sendInvite(from, admission_->request, now);
        return;
    }
    // Readmitted under the account of its verified chain, never the one it claims (rule 6).
    AccountId account = r.self.account;
    if (!config_.ruleOff(Rule::IdentityBound)) {
        const std::optional<AccountId> verified = deps_.tickets.accountOf(from);
        if (!verified) {
            deps_.out.refused(sid_, from, QStringLiteral("REJOIN refused: no verified chain"),
                              false);
            return;
        }
        account = *verified;
    }
    for (const Request& q : queue_) {
        const auto* a = std::get_if<AdmitRequest>(&q);
        if (a && a->devices.contains(from)) return;
    }
    enqueue(AdmitRequest{account, {from}, std::nullopt, 0, true}, now);
}

// ---------------------------------------------------------------------- the queue

void Session::enqueue(Request request, Millis now)
{
    if (const auto* b = std::get_if<BatonChange>(&request);
        b && queue_.size() >= kMaxQueuedChanges) {
        refuseBatonChange(*b, protocol::BatonRefused::Reason::Dropped);
        return;
    }
    if (const auto* a = std::get_if<AdmitRequest>(&request);
        a && queue_.size() >= kMaxQueuedChanges) {
        if (a->referrer)
            send(*a->referrer, Notify{a->referId, Code::Full, a->devices.value(0)});
        else if (!a->rejoin)
            emitEvent(event::InviteResult{a->account, a->devices.value(0), Code::Full});
        return;
    }
    if (const auto* rm = std::get_if<RemoveRequest>(&request)) {
        for (const Request& q : queue_) {
            const auto* other = std::get_if<RemoveRequest>(&q);
            if (other && other->device == rm->device) return;
        }
        if (proposal_ && proposal_->change && proposal_->change->member.device == rm->device &&
            proposal_->change->kind == RosterChange::Kind::Remove)
            return;
    }
    queue_.push_back(std::move(request));
    pump(now);
}

void Session::pump(Millis now)
{
    while (isSm_ && smReady_ && !proposal_ && !queue_.empty()) {
        // A waiting admission lets removals, baton moves and seat changes pass (a 610 first
        // removes that member, rule 5; a baton move does not change who is in). A removal of a
        // device whose hand-off seat lives waits (rule 10).
        auto it = std::find_if(queue_.begin(), queue_.end(), [&](const Request& r) {
            return !held(r) && !(admission_ && std::holds_alternative<AdmitRequest>(r));
        });
        if (it == queue_.end()) return;
        Request request = std::move(*it);
        queue_.erase(it);
        if (auto* seat = std::get_if<SeatRequest>(&request)) {
            startSeatChange(*seat, now);
        } else if (auto* rm = std::get_if<RemoveRequest>(&request)) {
            if (!removalStillWanted(*rm, now)) continue;
            const auto who = member(committed_, rm->device);
            RosterChange change{RosterChange::Kind::Remove, rm->reason, *who};
            RosterStamp at{epoch_, committed_.at.version + 1};
            propose(applyChange(committed_, change, at, self_.device), committed_.at, change, now);
        } else if (auto* b = std::get_if<BatonChange>(&request)) {
            startBatonChange(*b, now);
        } else {
            startAdmission(std::get<AdmitRequest>(std::move(request)), now);
        }
    }
}

bool Session::removalStillWanted(const RemoveRequest& r, Millis now) const
{
    if (!contains(committed_, r.device) || r.device == self_.device) return false;
    if (r.reason == RosterChange::Reason::Left || departed_.contains(r.device)) return true;
    // A crashed member that came back before its removal started stays.
    return !links_.contains(r.device) || !downReports_.value(r.device).isEmpty();
}

std::optional<Code> Session::admissionRefusal(const AdmitRequest& r, Millis now) const
{
    if (!hasLease(now)) return Code::Full;
    for (const DeviceId& d : r.devices)
        if (contains(committed_, d)) return Code::AlreadyHere;
    // The hand-off's admission has its seat already (counted against capacity, rule 10).
    if (r.handoff)
        return reservationFor(committed_, r.handoff->device) ? std::nullopt
                                                             : std::optional(Code::Timeout);
    // One device per account (two only by a hand-off that keeps the old one), rejoins too:
    // a device whose place another device of its account took is not readmitted beside it.
    for (const MemberInfo& m : committed_.members)
        if (m.account == r.account && !r.account.isNull()) return Code::AlreadyHere;
    if (rules_.block.contains(r.account)) return Code::Forbidden;
    if (!rules_.allow.isEmpty() && !rules_.allow.contains(r.account) && r.account != rules_.owner)
        return Code::Forbidden;
    if (rules_.endsAtMs != 0 && now >= static_cast<Millis>(rules_.endsAtMs)) return Code::Forbidden;
    if (committed_.members.size() + committed_.reservations.size() >=
        static_cast<qsizetype>(rules_.capacity))
        return Code::Full; // seats reserved for a hand-off count as taken (DESIGN §4)
    // DESIGN §4 "Downlevel peer": one-to-one only while a member lacks `multiparty`.
    for (const MemberInfo& m : committed_.members)
        if (!m.multiparty) return Code::OneToOneOnly;
    return std::nullopt;
}

void Session::startAdmission(AdmitRequest request, Millis now)
{
    if (request.rejoin && contains(committed_, request.devices.value(0))) {
        sendCommittedRoster(request.devices.value(0)); // in already (see onRejoin)
        return;
    }
    if (auto refusal = admissionRefusal(request, now)) {
        admission_ = Admission{request, {}, *refusal, std::nullopt, std::nullopt};
        finishAdmission(*refusal, request.devices.value(0), now);
        return;
    }
    if (request.handoff) request.handoff = reservationFor(committed_, request.handoff->device);
    admission_ = Admission{request, {}, Code::Offline, std::nullopt, std::nullopt};
    for (const DeviceId& d : request.devices)
        sendInvite(d, request, now);
    // A hand-off's new device may be offline (store and forward, docs/handoff.md): its INVITE
    // waits in the DHT mailbox, and the seat's TTL, not the invite timeout, bounds the wait
    // (the seat's end withdraws the admission, endSeat).
    Millis until = now + config_.inviteTimeout;
    if (request.handoff)
        until = std::max(until, static_cast<Millis>(request.handoff->expiresAtMs) +
                                    config_.resendInterval);
    timers_.arm(TimerKind::InviteTimeout, until);
}

void Session::sendInvite(const DeviceId& to, const AdmitRequest& request, Millis now)
{
    QString inviterName = self_.name;
    if (request.referrer) {
        if (auto m = member(committed_, *request.referrer)) inviterName = m->name;
    }
    Ticket t{sid_, committed_.at, to, self_.device, {}};
    // Good while this admission may run: the invite timeout, or a hand-off seat's life.
    Millis until = now + config_.inviteTimeout;
    if (request.handoff) until = std::max(until, static_cast<Millis>(request.handoff->expiresAtMs));
    t.expiresAtMs = static_cast<std::uint64_t>(std::max<Millis>(until, 0));
    t.signature = deps_.tickets.sign(ticketSigningBytes(t));
    // The EndPoints are the exact committed roster: nothing else is in flight (rule 5). A
    // hand-off's leave out the device it replaces (not waited for, rule 10), unless it is us.
    Invite invite{committed_.members, t, request.referrer, inviterName, rules_};
    if (request.referrer) invite.referral = request.referral;
    if (request.handoff) {
        const Reservation& seat = *request.handoff;
        if (auto m = member(committed_, seat.replaces)) invite.inviterName = m->name;
        if (!seat.keep && seat.replaces != self_.device)
            invite.endpoints.removeIf(
                [&](const MemberInfo& m) { return m.device == seat.replaces; });
        invite.handoff = seat;
    }
    send(to, invite);
}

void Session::resendSeatInvite(const DeviceId& peer, Millis now)
{
    // A hand-off's new device links to us before it joins (NodeHandoff::onSnapshot): the
    // INVITE goes again over that link, faster than the DHT copy, and it reaches a device
    // that restarted before it answered and so forgot the INVITE it held (nothing of an
    // unanswered invitation is kept on disk), whose seat would otherwise wait out its TTL.
    // A device that holds it already takes the copy as the same invitation (onInvite).
    if (!admission_ || !admission_->request.handoff || admission_->invitee ||
        !admission_->request.devices.contains(peer) || admission_->refused.contains(peer))
        return;
    // Like the first INVITE (admissionRefusal): only while a majority still follows us, so
    // a deposed SM cut off from it sends no endpoints that are no longer the roster.
    if (!hasLease(now)) return;
    sendInvite(peer, admission_->request, now);
}

void Session::onInviteAnswer(const DeviceId& from, const InviteAnswer& a, Millis now)
{
    if (!isSm_ || !admission_ || !admission_->request.devices.contains(from)) {
        if (a.code == Code::Ok) send(from, Cancel{Code::Timeout}); // a late yes to a dead invite
        return;
    }
    if (a.code == Code::Ok) {
        if (admission_->invitee && admission_->invitee->device != from) {
            send(from, Cancel{Code::AlreadyHere}); // another device of the account was first
            return;
        }
        MemberInfo invitee = a.invitee;
        invitee.device = from;
        if (!config_.ruleOff(Rule::IdentityBound)) {
            // Identity binding (rule 6): the roster names the account of the device's verified
            // chain, and it must be the account we invited (Mallory's device never joins as
            // Alice, whatever its answer says).
            const std::optional<AccountId> verified = deps_.tickets.accountOf(from);
            const AccountId& invited = admission_->request.account;
            if (!verified || (!invited.isNull() && *verified != invited)) {
                deps_.out.refused(sid_, from,
                                  QStringLiteral("INVITE_ANSWER refused: the device's verified "
                                                 "account is not the invited account"),
                                  false);
                send(from, Cancel{Code::Forbidden});
                admission_->refused.insert(from);
                if (admission_->refused.size() == admission_->request.devices.size())
                    finishAdmission(Code::Forbidden, from, now);
                return;
            }
            invitee.account = *verified;
        }
        admission_->invitee = invitee;
        // DESIGN §2: the first device to accept joins, the others get CANCEL.
        for (const DeviceId& d : admission_->request.devices)
            if (d != from) send(d, Cancel{Code::AlreadyHere});
        return;
    }
    admission_->refused.insert(from);
    if (a.code == Code::Declined || admission_->refusal != Code::Declined)
        admission_->refusal = a.code;
    if (!admission_->invitee && admission_->refused.size() == admission_->request.devices.size())
        finishAdmission(admission_->refusal, from, now);
}

void Session::onJoined(const DeviceId& from, const Joined& j, Millis now)
{
    if (isSm_ && contains(committed_, from)) {
        // Already in: the committed roster that told it so was lost with a link. Again.
        sendCommittedRoster(from);
        return;
    }
    if (!isSm_ || !admission_ || !admission_->invitee || admission_->invitee->device != from)
        return;
    admission_->joined = j;
    // A 610 from a roster member first triggers that member's removal (rule 5).
    for (const DeviceId& u : j.unknown)
        if (contains(committed_, u) && u != self_.device)
            enqueue(RemoveRequest{u, RosterChange::Reason::Left}, now);
    checkJoined(now);
}

void Session::checkJoined(Millis now)
{
    if (!admission_ || !admission_->joined || proposal_ || !smReady_) return;
    const Joined& j = *admission_->joined;
    QSet<DeviceId> linked(j.linked.begin(), j.linked.end());
    QSet<DeviceId> missing = deviceSet(committed_) - linked;
    missing.remove(admission_->invitee->device);
    const std::optional<Reservation>& seat = admission_->request.handoff;
    if (seat && !seat->keep) missing.remove(seat->replaces); // the device it replaces
    QSet<DeviceId> extra = linked - deviceSet(committed_);
    extra.remove(self_.device);
    const bool strict = !config_.ruleOff(Rule::JoinedLinkedEqualsRoster);
    if (!strict) extra.clear();
    const bool stale = strict && j.endpointsAt != committed_.at;
    if (!missing.isEmpty() || !extra.isEmpty() || stale) {
        // Rule 5: commit only if the joiner linked to exactly the current roster, and knows
        // it is that roster (JOINED's version). Otherwise an ENDPOINTS delta, and wait.
        QSet<DeviceId> unknown(j.unknown.begin(), j.unknown.end());
        Endpoints delta;
        delta.at = committed_.at;
        for (const MemberInfo& m : committed_.members)
            if (missing.contains(m.device) && !unknown.contains(m.device)) delta.add.append(m);
        for (const DeviceId& d : extra)
            delta.remove.append(d);
        if (!delta.add.isEmpty() || !delta.remove.isEmpty() || (stale && missing.isEmpty())) {
            send(admission_->invitee->device, delta);
            admission_->joined.reset();
        }
        return; // waits for the removal of the unknown ones or a new JOINED
    }
    RosterChange change{RosterChange::Kind::Add, RosterChange::Reason::Joined,
                        *admission_->invitee};
    if (seat) {
        // Rule 10: the hand-off commits as one change, account A: device A1 -> A2.
        change.kind = RosterChange::Kind::Swap;
        change.reservation = reservationFor(committed_, seat->device);
        if (!change.reservation) return finishAdmission(Code::Timeout, seat->device, now);
    }
    RosterStamp at{epoch_, committed_.at.version + 1};
    propose(applyChange(committed_, change, at, self_.device), committed_.at, change, now);
}

void Session::finishAdmission(Code code, const DeviceId& device, Millis now)
{
    if (!admission_) return;
    const AdmitRequest request = admission_->request;
    if (code != Code::Ok) {
        for (const DeviceId& d : request.devices)
            if (!admission_->refused.contains(d)) send(d, Cancel{code});
    }
    admission_.reset();
    timers_.disarm(TimerKind::InviteTimeout);
    if (request.handoff) {
        // A failed hand-off ends its seat, with the reason the asker hears (rule 10).
        if (code != Code::Ok) endSeat(request.handoff->device, seatEndReason(code), now);
        pump(now);
        return;
    }
    if (request.referrer)
        send(*request.referrer, Notify{request.referId, code, device});
    else if (!request.rejoin)
        emitEvent(event::InviteResult{request.account, device, code});
    pump(now);
}

// --------------------------------------------------------------- proposal and commit

void Session::propose(const RosterSnapshot& next, const RosterStamp& base,
                      std::optional<RosterChange> change, Millis now)
{
    Proposal p;
    p.next = next;
    p.base = base;
    p.change = change;
    p.voters = voters(committed_);
    if (!change) p.voters = voters(accepted_);
    p.acks.insert(self_.device);
    p.signature = signRoster(next, false);
    if (change) noteHandoffChange(next.at, *change);
    proposal_ = p;
    accepted_ = next; // the SM's own acknowledgement, on disk before anyone else's
    acceptedSig_ = p.signature;
    persist();
    for (const DeviceId& d : p.voters)
        sendProposal(d);
    if (change && isAdmission(*change)) sendProposal(change->member.device);
    timers_.arm(TimerKind::Resend, now + config_.resendInterval);
    maybeCommit(now);
}

void Session::sendProposal(const DeviceId& to)
{
    if (!proposal_ || to == self_.device) return;
    Roster r;
    r.at = proposal_->next.at;
    r.sm = self_.device;
    r.signature = proposal_->signature; // a delta's covers the roster it yields
    if (proposal_->change && isAdmission(*proposal_->change) &&
        proposal_->change->member.device == to)
        return; // the joiner learns it is in only from the committed roster
    if (proposal_->change && contains(committed_, to)) {
        r.base = proposal_->base;
        r.change = *proposal_->change;
    } else {
        fillFull(r, proposal_->next);
        r.base = proposal_->base; // what it was built on, for the record
    }
    send(to, r);
}

void Session::onRosterAck(const DeviceId& from, const RosterAck& a, Millis now)
{
    if (!isSm_ || !proposal_ || a.at != proposal_->next.at) return;
    proposal_->acks.insert(from);
    maybeCommit(now);
}

void Session::maybeCommit(Millis now)
{
    if (!proposal_) return;
    const int needed = config_.ruleOff(Rule::CommitMajority)
                           ? 1
                           : majorityOf(static_cast<int>(proposal_->voters.size()));
    if (static_cast<int>((proposal_->acks & proposal_->voters).size()) < needed) return;
    // §5.1 rule 4: committed once a majority acknowledged it; only now is anyone told.
    Proposal p = std::move(*proposal_);
    proposal_.reset();
    timers_.disarm(TimerKind::Resend);
    smReady_ = true;
    const QByteArray signature = signRoster(p.next, true);
    for (const MemberInfo& m : p.next.members)
        if (m.device != self_.device &&
            (!p.change || m.device != p.change->member.device || !isAdmission(*p.change)))
            send(m.device, Commit{p.next.at, signature});
    markCommitted(p.next, p.base, now, signature);
    if (p.change && isAdmission(*p.change)) {
        sendCommittedRoster(p.change->member.device); // the joiner learns it is in
        if (admission_ && admission_->invitee &&
            admission_->invitee->device == p.change->member.device)
            finishAdmission(Code::Ok, p.change->member.device, now);
    }
    if (p.change && p.change->kind == RosterChange::Kind::Remove && admission_ &&
        admission_->invitee) {
        // The joiner need not link to a member that is gone.
        Endpoints delta;
        delta.at = committed_.at;
        delta.remove.append(p.change->member.device);
        send(admission_->invitee->device, delta);
    }
    checkJoined(now);
    pump(now);
    if (phase_ == Phase::Member && isSm_) handedOff(now); // a swap that replaced us (rule 10)
}

// --------------------------------------------------------------- failure suspicion

void Session::onLinkReport(const DeviceId& from, const LinkReport& r, Millis now)
{
    if (!isSm_ || !contains(committed_, from) || !contains(committed_, r.peer)) return;
    if (r.down) {
        downReports_[r.peer].insert(from);
        if (!unreachableSince_.contains(r.peer)) unreachableSince_.insert(r.peer, now);
    } else {
        downReports_[r.peer].remove(from);
        if (downReports_[r.peer].isEmpty()) unreachableSince_.remove(r.peer);
    }
    evaluateSuspect(r.peer, now);
}

void Session::evaluateSuspect(const DeviceId& peer, Millis now)
{
    if (!isSm_ || !contains(committed_, peer) || peer == self_.device) return;
    timers_.disarm(TimerKind::Suspect, peer);
    const bool smDown = !links_.contains(peer);
    const int reporters = static_cast<int>(downReports_.value(peer).size());
    if (smDown && reporters >= 1) {
        // DESIGN §4: the SM and one other member lost their links to it. Not at once: a
        // member whose process stalled or whose network switched links again within a second
        // or two, and removing it cost a removal and a readmission that every member went
        // through (issue 14). The SM of the epoch before ours goes at once: an election
        // replaced it, and the failover waits for nothing.
        const Millis since = smLinkDownSince_.value(peer, now);
        const bool formerSm = peer == committed_.sm || peer == accepted_.sm;
        if (formerSm || now - since >= config_.crashGrace) {
            enqueue(RemoveRequest{peer, RosterChange::Reason::Crashed}, now);
            return;
        }
        timers_.arm(TimerKind::Suspect, since + config_.crashGrace, peer);
        return;
    }
    if (smDown && committed_.members.size() > 2 && !config_.ruleOff(Rule::KeepReachable)) {
        // Rule 9: only the SM lost it. The others would have reported a crash within one
        // detection time; while none has, a majority still reaches it: keep it and keep
        // re-linking (with backoff) rather than remove a member everyone else can hear.
        return;
    }
    if (smDown) {
        const Millis since = smLinkDownSince_.value(peer, now);
        if (now - since >= 2 * config_.detection) {
            enqueue(RemoveRequest{peer, RosterChange::Reason::Crashed}, now);
            return;
        }
        timers_.arm(TimerKind::Suspect, since + 2 * config_.detection, peer);
        return;
    }
    if (reporters == 0) return;
    // Rule 9: keep a member a majority can still reach; remove it once a majority cannot.
    const int cannotReach = reporters;
    const int n = static_cast<int>(voters(committed_).size());
    // The clock starts now if our own link's return cleared it: re-armed from `now` each
    // time, it never ran out (a timer for ever, --adversary 566).
    if (!unreachableSince_.contains(peer)) unreachableSince_.insert(peer, now);
    const Millis since = unreachableSince_.value(peer);
    if (cannotReach >= majorityOf(n)) {
        if (now - since >= config_.unreachableGrace) {
            enqueue(RemoveRequest{peer, RosterChange::Reason::Unreachable}, now);
            return;
        }
        timers_.arm(TimerKind::Suspect, since + config_.unreachableGrace, peer);
    }
}

} // namespace plenum::session

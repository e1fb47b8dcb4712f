// Session: construction, plumbing, header checks (§5.1 rules 1–2) and dispatch. Link events
// and timers live in sessionlinks.cpp, roster replication in sessionroster.cpp, leaving and
// rejoining in sessionleave.cpp; admission, the join procedure and the election in
// sessionadmission.cpp, sessionjoin.cpp and sessionelection.cpp.
#include "session/session.h"

#include "session/roster.h"

#include <algorithm>

namespace plenum::session {

using namespace protocol;

Session::Session(const SessionConfig& config, const MemberInfo& self, const SessionId& sid,
                 SessionDeps deps)
    : config_(config), self_(self), sid_(sid), deps_(std::move(deps))
{
}

std::unique_ptr<Session> Session::create(const SessionConfig& config, const MemberInfo& self,
                                         const SessionId& sid, SessionDeps deps, Millis now)
{
    std::unique_ptr<Session> s(new Session(config, self, sid, std::move(deps)));
    RosterSnapshot roster;
    roster.at = {1, 1};
    roster.sm = self.device;
    roster.members = {self};
    s->rules_ = config.rules;
    s->rules_.owner = self.account;
    s->epoch_ = 1;
    s->sm_ = self.device;
    s->isSm_ = true;
    s->smReady_ = true;
    s->accepted_ = roster;
    s->becomeMember(roster, now, s->signRoster(roster, true));
    s->emitEvent(event::BecameSm{1});
    s->emitEvent(event::RosterCommitted{roster, {}});
    s->reschedule();
    return s;
}

std::unique_ptr<Session> Session::restore(const SessionConfig& config, const MemberInfo& self,
                                          const SessionRecord& record, SessionDeps deps, Millis now)
{
    std::unique_ptr<Session> s(new Session(config, self, record.sid, std::move(deps)));
    s->rules_ = record.rules;
    s->accepted_ = record.accepted;
    s->committed_ = record.committed;
    s->acceptedSig_ = record.acceptedSignature;
    s->committedSig_ = record.committedSignature;
    s->smProof_ = record.smProof;
    for (const DeviceId& d : record.formerMembers)
        if (s->formerMembers_.size() < kMaxFormerMembers) s->formerMembers_.insert(d);
    s->election_.restoreVote(record.votedEpoch, record.votedFor, record.grantedEpoch);
    s->epoch_ = record.accepted.at.epoch;
    s->sm_ = record.accepted.sm;
    s->phase_ = Phase::Member;
    if (record.accepted.sm == self.device) {
        // It was SM of this epoch and may still be: resume, re-proposing what it had on disk.
        // Others that elected a newer SM meanwhile make it step down (§5.1 rule 2).
        s->isSm_ = true;
        s->smReady_ = record.committed.at == record.accepted.at;
        const RosterStamp base =
            record.proposalBase > RosterStamp{} ? record.proposalBase : record.committed.at;
        // Seed 904033: re-proposed as a bare roster, an admission counted its joiner as a
        // voter; the joiner (rejoining meanwhile) never acks a roster it is not told it is in.
        // One device added to the committed roster is that admission: same voters as before.
        std::optional<RosterChange> change;
        if (base == record.committed.at) change = addedTo(record.committed, record.accepted);
        if (!s->smReady_) s->propose(record.accepted, base, change, now);
        s->armReservationTimer(now); // its seats still expire (§5.1 rule 10)
        // ... and their admissions died with the process: a JOIN or INVITE answer for one
        // would be "a late yes to a dead invite" (issue 15, A1 the SM restarted mid-hand-off).
        s->readmitSeats(record.accepted, now);
    } else {
        s->timers_.arm(TimerKind::SmLink, now + config.detection);
    }
    // Members of the committed roster too: one a pending change removes still counts in our
    // elections until we hear it left, and after a restart only its (tombstone's) answer
    // tells us (--handoff seed 77640: two members elected for ever, one counting two leavers).
    for (const DeviceId& d : deviceSet(s->accepted_) | deviceSet(s->committed_)) {
        if (d == self.device) continue;
        s->deps_.out.openLink(s->sid_, d);
        s->scheduleRelink(d, now); // retried until the link is up
    }
    s->timers_.arm(TimerKind::Ping, now + config.pingInterval);
    // Its SM swapped itself out for another device (§5.1 rule 10): elect one. (A link to it
    // that another session keeps up would otherwise look like a live SM for ever.)
    if (!s->isSm_ && !contains(record.accepted, record.accepted.sm)) s->loseSm(now);
    s->reschedule();
    return s;
}

std::unique_ptr<Session> Session::invited(const SessionConfig& config, const MemberInfo& self,
                                          const DeviceId& from, const Message& invite,
                                          SessionDeps deps, Millis now)
{
    std::unique_ptr<Session> s(new Session(config, self, invite.header.sid, std::move(deps)));
    s->phase_ = Phase::Invited;
    s->onInvite(from, invite, now);
    return s;
}

// ---------------------------------------------------------------------------- plumbing

Header Session::header() const
{
    return Header{sid_, epoch_, committed_.at.version, sm()};
}

void Session::send(const DeviceId& to, Body body)
{
    if (to == self_.device) return;
    deps_.out.send(to, Message{header(), std::move(body)});
}

void Session::sendToMembers(const Body& body, const QSet<DeviceId>& except)
{
    for (const MemberInfo& m : accepted_.members)
        if (m.device != self_.device && !except.contains(m.device)) send(m.device, body);
}

SessionRecord Session::record() const
{
    SessionRecord r;
    r.sid = sid_;
    r.accepted = accepted_;
    r.committed = committed_;
    r.votedEpoch = election_.votedEpoch();
    r.votedFor = election_.votedFor();
    r.grantedEpoch = election_.grantedEpoch();
    r.rules = rules_;
    if (proposal_) r.proposalBase = proposal_->base;
    r.smProof = smProof_;
    r.acceptedSignature = acceptedSig_;
    r.committedSignature = committedSig_;
    r.formerMembers = formerMembers_.values();
    std::sort(r.formerMembers.begin(), r.formerMembers.end()); // the same set, the same bytes
    return r;
}

void Session::persist()
{
    if (phase_ == Phase::Member) deps_.out.persist(record());
}

void Session::persistEnded()
{
    if (phase_ != Phase::Member) return;
    SessionRecord tomb = record();
    tomb.ended = true;
    deps_.out.persist(tomb);
}

void Session::reschedule()
{
    std::optional<Millis> next = timers_.earliest();
    if (next == scheduled_) return;
    scheduled_ = next;
    if (next)
        deps_.out.setTimer(sid_, *next);
    else
        deps_.out.cancelTimer(sid_);
}

bool Session::dropped(const DeviceId& d) const
{
    auto it = departed_.find(d);
    return it != departed_.end() &&
           (it->accepted <= accepted_.at || config_.ruleOff(Rule::LeaverCounts));
}

void Session::forgetDepartureBefore(const DeviceId& d, RosterStamp at)
{
    if (auto gone = departed_.find(d); gone != departed_.end() && gone->accepted < at)
        departed_.erase(gone);
}

bool Session::leftSince(const DeviceId& d, RosterStamp at) const
{
    auto it = departed_.find(d);
    return it != departed_.end() && it->accepted >= at;
}

QSet<DeviceId> Session::voters(const RosterSnapshot& roster) const
{
    QSet<DeviceId> out = deviceSet(roster);
    for (auto it = departed_.cbegin(); it != departed_.cend(); ++it)
        if (dropped(it.key())) out.remove(it.key());
    return out;
}

QSet<DeviceId> Session::electionVoters(const RosterSnapshot& roster, std::uint64_t epoch) const
{
    QSet<DeviceId> out = deviceSet(roster);
    for (auto it = departed_.cbegin(); it != departed_.cend(); ++it) {
        const bool votedBefore = it->votedIn && *it->votedIn < epoch;
        if ((it->accepted <= accepted_.at && votedBefore) || config_.ruleOff(Rule::LeaverCounts))
            out.remove(it.key());
    }
    return out;
}

bool Session::hasLease(Millis now) const
{
    // §5.1 rule 3: an SM that has not heard from a majority for most of a detection time
    // stops admitting. The margin keeps the lease shorter than the others' detection.
    if (config_.ruleOff(Rule::Lease)) return true;
    const QSet<DeviceId> v = voters(committed_);
    int heard = v.contains(self_.device) ? 1 : 0;
    const Millis fresh = now - config_.detection * 3 / 4;
    for (const DeviceId& d : v) {
        if (d == self_.device || !links_.contains(d)) continue;
        if (lastHeard_.value(d, -1) >= fresh) ++heard;
    }
    return heard >= majorityOf(static_cast<int>(v.size()));
}

void Session::becomeMember(const RosterSnapshot& roster, Millis now, const QByteArray& signature)
{
    phase_ = Phase::Member;
    rejoining_ = false;
    accepted_ = roster;
    committed_ = roster;
    acceptedSig_.clear();
    committedSig_ = signature;
    priorCommitted_ = {};
    priorCommittedSig_.clear();
    epoch_ = std::max(epoch_, roster.at.epoch);
    // A departure we saw before we were out is stale if the roster that lets us back in lists
    // its device at a newer stamp: readmitted while we were away, it is a voter again (seed
    // 1027114: a readmitted SM still dropped a member that had once given up joining, won an
    // election on 2 of 3 and was refused for ever by members counting 4). A real leaver's
    // tombstone tells us again.
    for (const MemberInfo& m : roster.members)
        forgetDepartureBefore(m.device, roster.at);
    if (!isSm_) {
        sm_ = roster.sm;
        lostSm_ = !links_.contains(roster.sm);
        if (lostSm_) timers_.arm(TimerKind::SmLink, now + config_.detection);
    }
    persist();
    for (const MemberInfo& m : roster.members) {
        if (m.device == self_.device || links_.contains(m.device)) continue;
        deps_.out.openLink(sid_, m.device);
        scheduleRelink(m.device, now);
    }
    timers_.arm(TimerKind::Ping, now + config_.pingInterval);
}

void Session::finish(Phase phase)
{
    QSet<DeviceId> peers = links_;
    for (const MemberInfo& m : accepted_.members)
        peers.insert(m.device);
    if (join_) {
        for (auto it = join_->endpoints.cbegin(); it != join_->endpoints.cend(); ++it)
            peers.insert(it.key());
    }
    for (auto it = pendingJoiners_.cbegin(); it != pendingJoiners_.cend(); ++it)
        peers.insert(it.key());
    peers.remove(self_.device);
    // The tombstone first: a device that crashes while it tells others it is gone must come
    // back gone (leave() writes it before its BYEs already).
    persistEnded();
    phase_ = phase; // first: closing links must not look like losing the SM
    for (const DeviceId& d : peers)
        deps_.out.closeLink(sid_, d);
    isSm_ = false;
    smReady_ = false;
    queue_.clear();
    admission_.reset();
    proposal_.reset();
    join_.reset();
    pendingJoiners_.clear();
    refers_.clear();
    election_.close();
    timers_.clear();
}

// ------------------------------------------------------------------------ header checks

bool Session::checkHeader(const DeviceId& from, const Message& m, Millis now)
{
    const Header& h = m.header;
    if (phase_ != Phase::Member) return true;
    // An error from a device that left carries its tombstone, not a live epoch.
    if (std::holds_alternative<ErrorReply>(m.body)) return true;
    if (h.epoch > epoch_) {
        // A SET_SM's votes first: the header that carries it names the SM they prove.
        if (const auto* s = std::get_if<SetSm>(&m.body))
            acceptSmProof(s->candidate.value_or(from), *s);
        learnHigherEpoch(from, h, now);
        // Messages that carry the new state themselves are still handled.
        return std::holds_alternative<Roster>(m.body) || std::holds_alternative<SetSm>(m.body) ||
               std::holds_alternative<Commit>(m.body) ||
               std::holds_alternative<RequestSm>(m.body) || std::holds_alternative<Vote>(m.body) ||
               std::holds_alternative<Bye>(m.body) || std::holds_alternative<Hello>(m.body) ||
               std::holds_alternative<Ping>(m.body) || std::holds_alternative<Join>(m.body) ||
               std::holds_alternative<Stale>(m.body);
    }
    if (h.epoch < epoch_ && h.epoch != 0) {
        // §5.1 rule 1: an older epoch gets an answer naming the current SM and epoch.
        if (!std::holds_alternative<Stale>(m.body) && contains(accepted_, from) &&
            !departed_.contains(from))
            if (!config_.ruleOff(Rule::OlderEpochAnswered)) send(from, Stale{});
        // Leaving, reports, pings and elections are meaningful whatever the epoch.
        return std::holds_alternative<Bye>(m.body) || std::holds_alternative<LinkReport>(m.body) ||
               std::holds_alternative<Refer>(m.body) || std::holds_alternative<Hello>(m.body) ||
               std::holds_alternative<Ping>(m.body) || std::holds_alternative<RequestSm>(m.body) ||
               std::holds_alternative<Vote>(m.body) ||
               std::holds_alternative<InviteAnswer>(m.body) ||
               std::holds_alternative<Joined>(m.body) || std::holds_alternative<Join>(m.body) ||
               std::holds_alternative<SnapshotRequest>(m.body) ||
               std::holds_alternative<Rejoin>(m.body) ||
               // A leaver's tombstone handing out the roster it left with (onRoster applies
               // the term rule to it like to any older SM's proposal).
               (std::holds_alternative<Roster>(m.body) && h.sm.isNull() &&
                departed_.contains(from)) ||
               oldSmsCommittedNews(from, m.body);
    }
    return true;
}

bool Session::oldSmsCommittedNews(const DeviceId& from, const Body& body) const
{
    // The SM of an older epoch that committed a roster newer than ours, in its own name: a
    // fact, not a proposal (the term rule is about acks, and it asks for none). A member that
    // took a newer epoch nobody won (its own bids) and was removed meanwhile learns it only
    // so: the SM's BYE{removed} is of an older epoch than ours (seed 298707).
    const auto* r = std::get_if<Roster>(&body);
    return r && r->full && r->committed && r->sm == from && r->at > committed_.at &&
           smProven(r->at.epoch, from);
}

void Session::learnHigherEpoch(const DeviceId& from, const Header& h, Millis now)
{
    // §5: a header that names the SM of a newer epoch is a claim, not a proof. We move only
    // once its signed quorum arrives: we ask the sender and the SM it names (an honest SM
    // sends it, relayed or its own). A member that forges such a header therefore can neither
    // become our SM nor depose the one we have, nor strand a member that lost its SM in an
    // epoch nobody leads (--adversary seed 62915: it then ignored its SM's older epoch).
    if (!h.sm.isNull() && h.sm != self_.device && !config_.ruleOff(Rule::SignedSetSm) &&
        !smProven(h.epoch, h.sm)) {
        askSmProof(from, now);
        if (h.sm != from && inRoster(h.sm)) askSmProof(h.sm, now);
        return;
    }
    // §5.1 rule 2: whoever sees a higher epoch steps down if it was SM and fetches a snapshot.
    const bool wasSm = isSm_;
    if (isSm_ && !config_.ruleOff(Rule::HigherEpochStepsDown)) stepDown(now);
    epoch_ = h.epoch;
    // A header names an SM we follow only if it is in our roster (§5.1 rule 6): a member must
    // not hand us a stranger as SM. One we do not know yet comes with the snapshot we ask for.
    // Nor a member that merely claims it: only one whose signed quorum we checked (§5).
    const bool knownSm =
        (inRoster(h.sm) && smProven(h.epoch, h.sm)) || config_.ruleOff(Rule::Authorization);
    if (!h.sm.isNull() && h.sm != self_.device && knownSm) {
        election_.close();
        timers_.disarm(TimerKind::BidWindow);
        timers_.disarm(TimerKind::ElectionRetry);
        regainSm(h.sm, h.epoch, now);
    } else if (wasSm) {
        // Someone voted in a newer epoch that has no SM: call the election ourselves, above it.
        lostSm_ = false;
        loseSm(now);
    } else if (!sm_.isNull() && !lostSm_) {
        // Crash-points seed 14937: our SM is not the SM of this newer epoch. Followed on, it
        // was named in our headers as SM of that epoch, and others followed a device that
        // never won it. Lost like any other loss; the snapshot we ask for, a SET_SM or the
        // retry (an election of our own) settles who leads.
        loseSmElectOnRetry(now);
    }
    requestSnapshot(from);
    // The SM it names holds its signed quorum, if it won (the sender may not: it joined later).
    if (!knownSm && h.sm != from && !h.sm.isNull() && inRoster(h.sm)) askSmProof(h.sm, now);
}

void Session::stepDown(Millis now)
{
    if (!isSm_) return;
    isSm_ = false;
    smReady_ = false;
    proposal_.reset();
    timers_.disarm(TimerKind::Resend);
    if (admission_) {
        for (const DeviceId& d : admission_->request.devices)
            send(d, Cancel{Code::Timeout});
        timers_.disarm(TimerKind::InviteTimeout);
    }
    // Our own user's invitations survive as REFERs to the next SM; others re-send theirs.
    std::deque<Request> old;
    old.swap(queue_);
    if (admission_) old.push_front(admission_->request);
    admission_.reset();
    for (Request& r : old) {
        if (auto* a = std::get_if<AdmitRequest>(&r); a && !a->referrer && !a->rejoin)
            refers_[nextReferId_++] = OutstandingRefer{a->account, a->devices};
        if (auto* b = std::get_if<BatonChange>(&r))
            refuseBatonChange(*b, protocol::BatonRefused::Reason::Dropped);
    }
    dropBatonAsks();
    downReports_.clear();
    smLinkDownSince_.clear();
    unreachableSince_.clear();
    lostSm_ = true;
    sm_ = DeviceId{};
    for (const MemberInfo& m : accepted_.members)
        timers_.disarm(TimerKind::Suspect, m.device);
    timers_.arm(TimerKind::SmLink, now + config_.detection);
}

void Session::requestSnapshot(const DeviceId& from)
{
    send(from, SnapshotRequest{});
}

// ----------------------------------------------------------------------------- dispatch

void Session::onMessage(const DeviceId& from, const Message& m, Millis now)
{
    if (m.header.sid != sid_ || from == self_.device) return;
    if (phase_ == Phase::Gone) return;
    if (const auto* r = std::get_if<Roster>(&m.body);
        r && (phase_ == Phase::Member || phase_ == Phase::Removed))
        noteSmAttestation(from, *r);
    // §5.1 rule 6: who may send this, before anything in it (its header too) is believed.
    if (const auto refusal = authorize(from, m, now);
        refusal && !config_.ruleOff(Rule::Authorization)) {
        refuse(from, m, *refusal);
        reschedule();
        return;
    }
    // The lease counts only members that still follow us in this epoch (§5.1 rule 3).
    if (m.header.sm == self_.device && m.header.epoch == epoch_) lastHeard_[from] = now;
    if (phase_ == Phase::Removed && rejoining_) onRejoinAnswer(from, m, now);
    if (phase_ != Phase::Gone && checkHeader(from, m, now)) {
        std::visit(
            [&](const auto& body) {
                using T = std::decay_t<decltype(body)>;
                if constexpr (std::is_same_v<T, Hello>)
                    onHello(from, m, now);
                else if constexpr (std::is_same_v<T, Ping>)
                    onPingHeader(from, m.header, now);
                else if constexpr (std::is_same_v<T, Invite>)
                    onInvite(from, m, now);
                else if constexpr (std::is_same_v<T, InviteAnswer>)
                    onInviteAnswer(from, body, now);
                else if constexpr (std::is_same_v<T, Cancel>)
                    onCancel(from, body, now);
                else if constexpr (std::is_same_v<T, Refer>)
                    onRefer(from, body, now);
                else if constexpr (std::is_same_v<T, ReferAccepted>) {
                } else if constexpr (std::is_same_v<T, Notify>)
                    onNotify(from, body, now);
                else if constexpr (std::is_same_v<T, Join>)
                    onJoin(from, body, now);
                else if constexpr (std::is_same_v<T, JoinAnswer>)
                    onJoinAnswer(from, body, now);
                else if constexpr (std::is_same_v<T, Joined>)
                    onJoined(from, body, now);
                else if constexpr (std::is_same_v<T, Endpoints>)
                    onEndpoints(from, body, now);
                else if constexpr (std::is_same_v<T, Roster>)
                    onRoster(from, body, m.header, now);
                else if constexpr (std::is_same_v<T, RosterAck>)
                    onRosterAck(from, body, now);
                else if constexpr (std::is_same_v<T, Commit>)
                    onCommit(from, body, now);
                else if constexpr (std::is_same_v<T, SnapshotRequest>)
                    onSnapshotRequest(from, body, m.header, now);
                else if constexpr (std::is_same_v<T, Bye>)
                    onBye(from, m, now);
                else if constexpr (std::is_same_v<T, Rejoin>)
                    onRejoin(from, body, now);
                else if constexpr (std::is_same_v<T, LinkReport>)
                    onLinkReport(from, body, now);
                else if constexpr (std::is_same_v<T, RequestSm>)
                    onRequestSm(from, body, now);
                else if constexpr (std::is_same_v<T, Vote>)
                    onVote(from, body, m.header, now);
                else if constexpr (std::is_same_v<T, SetSm>)
                    onSetSm(from, body, now);
                else if constexpr (std::is_same_v<T, Stale>) {
                    // The header check above did the work (snapshot request, step down).
                } else if constexpr (std::is_same_v<T, ErrorReply>) {
                    onErrorReply(from, body, m.header, now);
                } else if constexpr (std::is_same_v<T, BatonRequest>) {
                    onBatonRequest(from, body, now);
                } else if constexpr (std::is_same_v<T, BatonPass>) {
                    onBatonPass(from, body, now);
                } else if constexpr (std::is_same_v<T, BatonRefused>) {
                    onBatonRefused(from, body);
                } else if constexpr (std::is_same_v<T, HandoffReserve>) {
                    onHandoffReserve(from, body, now);
                } else if constexpr (std::is_same_v<T, HandoffAnswer>) {
                    onHandoffAnswer(from, body, now);
                } else if constexpr (std::is_same_v<T, HandoffCancel>) {
                    onHandoffCancel(from, body, now);
                }
            },
            m.body);
    }
    reschedule();
}

void Session::onHello(const DeviceId& from, const Message& m, Millis now)
{
    onPingHeader(from, m.header, now);
}

void Session::onPingHeader(const DeviceId& from, const Header& h, Millis now)
{
    if (phase_ == Phase::Removed && h.sm == self_.device) {
        // A member still follows us, but we are out (an SM whose own hand-off proposal took
        // it out of its accepted roster is out once deposed): say so as a tombstone would, or
        // it follows a silent SM over a healthy link for ever (--handoff --adversary 70949).
        send(from, ErrorReply{Code::NotFound, QStringLiteral("not a member of this session"),
                              accepted_.at, election_.grantedEpoch()});
        return;
    }
    if (phase_ != Phase::Member) return;
    // A device we noted as departed from its tombstone's answer, and that we never saw
    // removed because it was readmitted before our roster caught up, is back: it pings, and
    // our committed roster, newer than any it left with, lists it. Counted out, it made our
    // election's majority smaller than everyone else's, and our SET_SM was refused for ever
    // (plain seed 270816). The ping's own header proves nothing: a former member naming a
    // newer roster in it was awaited as a voter for ever (--handoff --adversary 128475).
    if (auto gone = departed_.find(from);
        gone != departed_.end() && contains(committed_, from) && committed_.at > gone->accepted)
        departed_.erase(gone);
    // The SM is alive and still SM of our epoch: whatever made us lose it has healed.
    // (Not one a swap took out of our roster: it handed its place over, §5.1 rule 10.)
    // Of an epoch we learned from a header, only once its signed quorum is checked (§5): ask.
    if (from == sm_ && h.sm == from && h.epoch == epoch_ && lostSm_ && !isSm_ &&
        (contains(accepted_, from) || contains(committed_, from))) {
        if (smProven(h.epoch, from))
            regainSm(from, h.epoch, now);
        else
            askSmProof(from, now);
    }
    // A member of our roster says it leads our epoch, and we follow nobody in it: its SET_SM
    // was lost (we voted in this epoch, so no header of it is "newer" and learnHigherEpoch
    // never asks). Unasked, we refuse its rosters and it never resends the proof (seed 79233).
    if (h.sm == from && from != sm_ && h.epoch == epoch_ && (sm_.isNull() || lostSm_) && !isSm_ &&
        inRoster(from) && !smProven(h.epoch, from))
        askSmProof(from, now);
    // Our SM's own header names no SM: it stepped down (it saw a newer epoch). Its followers
    // learn it from its pings; trusting it on would refuse every vote (seed 866522).
    if (from == sm_ && h.sm.isNull() && h.epoch >= epoch_ && !lostSm_ && !isSm_) loseSm(now);
    if (h.epoch == epoch_ && h.version > committed_.at.version && !h.sm.isNull())
        requestSnapshot(from);
    // §5.1 rule 7: a device that believes it is a member but is not, and is behind us,
    // is told it was removed.
    const bool known =
        contains(accepted_, from) || contains(committed_, from) || pendingJoiners_.contains(from);
    const RosterStamp theirs{h.epoch, h.version};
    // Whether or not it still follows an SM: one that lost it would otherwise never learn.
    if (!known && theirs < committed_.at && theirs.epoch != 0) {
        // One we saw removed is told; anyone else first shows a roster that listed it (a
        // stranger only has to make up an old stamp: --adversary seeds 158439, 228167).
        if (formerMembers_.contains(from))
            tellRemoved(from);
        else
            askMembershipProof(from, now);
    }
}

void Session::tellRemoved(const DeviceId& to)
{
    // The committed roster first: a BYE{removed} from a member that is not the SM is not
    // believed on its own (§5.1 rule 6), the roster that removed it is.
    sendCommittedRoster(to);
    send(to, Bye{Bye::Reason::Removed, std::nullopt, std::nullopt});
    deps_.out.closeLink(sid_, to);
}

} // namespace plenum::session

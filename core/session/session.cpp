// Session: construction, plumbing, header checks (§5.1 rules 1–2), dispatch, links, timers
// and roster replication. Admission, the join procedure and the election live in
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
    s->becomeMember(roster, now);
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
    } else {
        s->timers_.arm(TimerKind::SmLink, now + config.detection);
    }
    for (const MemberInfo& m : s->accepted_.members) {
        if (m.device == self.device) continue;
        s->deps_.out.openLink(s->sid_, m.device);
        s->scheduleRelink(m.device, now); // retried until the link is up
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
           (it.value() <= accepted_.at || config_.ruleOff(Rule::LeaverCounts));
}

QSet<DeviceId> Session::voters(const RosterSnapshot& roster) const
{
    QSet<DeviceId> out = deviceSet(roster);
    for (auto it = departed_.cbegin(); it != departed_.cend(); ++it)
        if (it.value() <= accepted_.at || config_.ruleOff(Rule::LeaverCounts)) out.remove(it.key());
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

void Session::becomeMember(const RosterSnapshot& roster, Millis now)
{
    phase_ = Phase::Member;
    rejoining_ = false;
    accepted_ = roster;
    committed_ = roster;
    epoch_ = std::max(epoch_, roster.at.epoch);
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
                departed_.contains(from));
    }
    return true;
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
        requestSnapshot(from);
        if (h.sm != from && inRoster(h.sm)) requestSnapshot(h.sm);
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
    if (!knownSm && h.sm != from && !h.sm.isNull() && inRoster(h.sm)) requestSnapshot(h.sm);
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
    // §5.1 rule 6: who may send this, before anything in it (its header too) is believed.
    if (const auto refusal = authorize(from, m); refusal && !config_.ruleOff(Rule::Authorization)) {
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
                    onSnapshotRequest(from, now);
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
                              accepted_.at});
        return;
    }
    if (phase_ != Phase::Member) return;
    // The SM is alive and still SM of our epoch: whatever made us lose it has healed.
    // (Not one a swap took out of our roster: it handed its place over, §5.1 rule 10.)
    // Of an epoch we learned from a header, only once its signed quorum is checked (§5): ask.
    if (from == sm_ && h.sm == from && h.epoch == epoch_ && lostSm_ && !isSm_ &&
        (contains(accepted_, from) || contains(committed_, from))) {
        if (smProven(h.epoch, from))
            regainSm(from, h.epoch, now);
        else
            requestSnapshot(from);
    }
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
        // The committed roster first: a BYE{removed} from a member that is not the SM is not
        // believed on its own (§5.1 rule 6), the roster that removed it is.
        sendCommittedRoster(from);
        send(from, Bye{Bye::Reason::Removed, std::nullopt, std::nullopt});
        deps_.out.closeLink(sid_, from);
    }
}

// -------------------------------------------------------------------------------- links

void Session::onLinkUp(const DeviceId& peer, Millis now)
{
    if (phase_ == Phase::Gone) return;
    links_.insert(peer);
    relinkAttempts_.remove(peer);
    timers_.disarm(TimerKind::Relink, peer);
    if (phase_ == Phase::Member) {
        // HELLO names the session, its epoch and SM: members only (§5.1 rule 6). Any device
        // may link to us; a stranger must not learn which sessions we are in.
        if (helloTo(peer) || config_.ruleOff(Rule::Authorization)) {
            Hello hello{self_, static_cast<std::uint32_t>(config_.pingInterval)};
            send(peer, hello);
        }
        if (isSm_) {
            smLinkDownSince_.remove(peer);
            unreachableSince_.remove(peer);
            pump(now); // a request held for this link (Session::held) may go now
        } else if (contains(committed_, peer) && !sm_.isNull() && links_.contains(sm_)) {
            send(sm_, LinkReport{peer, false});
        }
        if (peer == sm_ && !isSm_) timers_.disarm(TimerKind::SmLink);
        if (peer == sm_ && !isSm_) {
            resendRefers();
            reportLinks();
        }
    } else if (phase_ == Phase::Joining && join_ && join_->endpoints.contains(peer)) {
        sendJoin(peer, now);
        if (peer == join_->sm && join_->joinedSent) {
            join_->joinedSent = false; // the answer may have been lost with the old link
            maybeSendJoined(now);
        }
    } else if (phase_ == Phase::Removed && peer == rejoinVia_) {
        // The link we asked for: REJOIN over it now (the DHT copy may be slower or lost).
        deps_.out.send(peer, Message{Header{sid_, epoch_, 0, rejoinVia_}, Rejoin{self_}});
    }
    reschedule();
}

void Session::onLinkDown(const DeviceId& peer, Millis now)
{
    if (phase_ == Phase::Gone) return;
    links_.remove(peer);
    if (phase_ == Phase::Member) {
        if (peer == sm_ && !isSm_) loseSm(now);
        // Committed members too: an SM whose proposal removes it must still reach it (a 610
        // from a device that left is what lets that proposal commit without its ack).
        const bool member = contains(accepted_, peer) || contains(committed_, peer);
        if (member && !dropped(peer)) {
            scheduleRelink(peer, now);
            if (isSm_) {
                smLinkDownSince_.insert(peer, now);
                evaluateSuspect(peer, now);
            } else if (!sm_.isNull() && links_.contains(sm_)) {
                send(sm_, LinkReport{peer, true}); // failure suspicion is shared
            }
        }
    } else if (phase_ == Phase::Joining && join_ && join_->endpoints.contains(peer)) {
        deps_.out.openLink(sid_, peer); // a JOIN attempt timer is running for it
    }
    reschedule();
}

void Session::scheduleRelink(const DeviceId& peer, Millis now)
{
    const int attempt = relinkAttempts_.value(peer, 0);
    Millis delay = config_.relinkBase << std::min(attempt, 8);
    delay = std::min(delay, config_.relinkMax);
    timers_.arm(TimerKind::Relink, now + delay, peer);
}

// ------------------------------------------------------------------------------- timers

void Session::onTick(Millis now)
{
    scheduled_.reset();
    while (auto due = timers_.takeDue(now)) {
        onTimer(due->first, due->second, now);
        if (phase_ == Phase::Gone) break;
    }
    reschedule();
}

void Session::onTimer(TimerKind kind, const DeviceId& peer, Millis now)
{
    switch (kind) {
    case TimerKind::Ping:
        onPingTimer(now);
        break;
    case TimerKind::BidWindow:
        castVote(now);
        break;
    case TimerKind::ElectionRetry:
        if (Election::Round* round = election_.round();
            round && round->outbid && !round->deferred) {
            round->deferred = true; // let the better bidder open the next round; we join it
            timers_.arm(TimerKind::ElectionRetry, now + 2 * config_.electionTimeout);
            break;
        }
        if (phase_ == Phase::Member && !isSm_ && lostSm_) {
            election_.roundFailed();
            openRound(election_.nextEpoch(epoch_), now);
        }
        break;
    case TimerKind::SmLink:
        // An SM out of our rosters handed its place to another device (§5.1 rule 10).
        if (phase_ == Phase::Member && !isSm_ &&
            (sm_.isNull() || !links_.contains(sm_) ||
             (!contains(accepted_, sm_) && !contains(committed_, sm_)))) {
            lostSm_ = false; // force loseSm to act
            loseSm(now);
        }
        break;
    case TimerKind::InviteTimeout:
        if (phase_ == Phase::Invited || phase_ == Phase::Joining)
            failJoin(Code::Timeout, QStringLiteral("the invitation expired"), now);
        else if (admission_)
            finishAdmission(admission_->invitee ? Code::Timeout : admission_->refusal,
                            admission_->invitee ? admission_->invitee->device : DeviceId{}, now);
        break;
    case TimerKind::Resend:
        if (proposal_) {
            for (const DeviceId& d : proposal_->voters)
                if (!proposal_->acks.contains(d)) sendProposal(d);
            timers_.arm(TimerKind::Resend, now + config_.resendInterval);
        }
        break;
    case TimerKind::JoinAttempt:
        if (join_ && join_->endpoints.contains(peer) && !join_->answered.contains(peer)) {
            if (join_->attempts.value(peer) >= config_.joinAttempts) {
                const QString name = join_->endpoints.value(peer).name;
                failJoin(Code::Timeout, QStringLiteral("could not reach %1").arg(name), now);
            } else {
                sendJoin(peer, now);
            }
        }
        break;
    case TimerKind::Flicker:
        if (pendingJoiners_.contains(peer) && !contains(accepted_, peer)) {
            // §5.1 rule 4: flicker timers pause while there is no SM.
            if (lostSm_ || sm_.isNull()) {
                timers_.arm(TimerKind::Flicker, now + config_.flickerTimeout, peer);
            } else {
                pendingJoiners_.remove(peer);
                deps_.out.closeLink(sid_, peer);
            }
        } else {
            pendingJoiners_.remove(peer);
        }
        break;
    case TimerKind::Relink:
        // Committed members too: an SM must reach a member it is removing to learn it left.
        if (phase_ == Phase::Member && (contains(accepted_, peer) || contains(committed_, peer)) &&
            !links_.contains(peer) && !dropped(peer)) {
            relinkAttempts_[peer] += 1;
            deps_.out.openLink(sid_, peer);
            scheduleRelink(peer, now);
        }
        break;
    case TimerKind::Suspect:
        if (isSm_) evaluateSuspect(peer, now);
        break;
    case TimerKind::RejoinRetry:
        if (phase_ == Phase::Removed) sendRejoin(now);
        break;
    case TimerKind::Reservation:
        onReservationTimer(now);
        break;
    }
}

void Session::onPingTimer(Millis now)
{
    if (phase_ != Phase::Member) return;
    for (const MemberInfo& m : accepted_.members)
        if (m.device != self_.device && links_.contains(m.device)) send(m.device, Ping{});
    timers_.arm(TimerKind::Ping, now + config_.pingInterval);
}

// -------------------------------------------------------------- roster replication

void Session::onRoster(const DeviceId& from, const Roster& r, const Header& h, Millis now)
{
    if (phase_ == Phase::Joining || phase_ == Phase::Invited || phase_ == Phase::Removed) {
        // A proposal that removes us needs our ack or the news that we are not in (a
        // tombstone's 404): a rejoining device, like one that is gone, answers the latter, or
        // the SM of a two-member session could commit neither the removal nor our return.
        const bool dropsUs = r.full ? !contains(snapshotOf(r), self_.device)
                                    : r.change.kind == RosterChange::Kind::Remove &&
                                          r.change.member.device == self_.device;
        if (phase_ == Phase::Removed && !r.committed && dropsUs)
            send(from, ErrorReply{Code::NotFound, QStringLiteral("not a member of this session"),
                                  accepted_.at});
        // A joiner is in when it receives the committed ROSTER that lists it (§5.1 rule 4).
        if (!r.full || !r.committed) return;
        RosterSnapshot snap = snapshotOf(r);
        if (!contains(snap, self_.device)) return;
        join_.reset();
        timers_.clear();
        epoch_ = snap.at.epoch;
        becomeMember(snap, now);
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
        acceptRoster(snapshotOf(r), r.committed, now);
        if (!r.committed && accepted_.at == r.at && !fromTombstone) send(r.sm, RosterAck{r.at});
        return;
    }
    if (r.base == accepted_.at) {
        noteHandoffChange(r.at, r.change);
        acceptRoster(applyChange(accepted_, r.change, r.at, r.sm), false, now);
        send(from, RosterAck{r.at});
    } else if (r.at == accepted_.at) {
        send(from, RosterAck{r.at}); // a re-sent proposal we already have
    } else if (r.at > accepted_.at) {
        requestSnapshot(from); // a gap is crossed only by a full snapshot (DESIGN §4)
    }
}

void Session::acceptRoster(const RosterSnapshot& roster, bool committed, Millis now)
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
        if (roster.at.epoch >= epoch_ && !isSm_) {
            epoch_ = roster.at.epoch;
            // A roster handed out by a leaver's tombstone names an SM that is gone, and so does
            // one whose SM swapped itself out for another device (§5.1 rule 10).
            const bool leads = roster.sm != self_.device && !departed_.contains(roster.sm) &&
                               contains(roster, roster.sm) && (roster.sm != sm_ || lostSm_);
            if (leads && !smProven(roster.at.epoch, roster.sm)) {
                // §5: not on a roster's word. Its SM holds the signed quorum: ask it.
                if (!lostSm_ && roster.sm != sm_) loseSmElectOnRetry(now);
                requestSnapshot(roster.sm);
            } else if (leads) {
                election_.close();
                timers_.disarm(TimerKind::BidWindow);
                timers_.disarm(TimerKind::ElectionRetry);
                regainSm(roster.sm, roster.at.epoch, now);
            }
        }
        persist();
    }
    if (committed && roster.at > committed_.at && roster.at <= accepted_.at) {
        if (roster.at == accepted_.at || roster.at > committed_.at)
            markCommitted(roster, committed_.at, now);
    }
}

void Session::markCommitted(const RosterSnapshot& roster, const RosterStamp& base, Millis now)
{
    const RosterSnapshot before = committed_;
    committed_ = roster;
    persist();
    emitEvent(event::RosterCommitted{roster, base});
    applyCommittedEffects(before, now);
    batonCommitted(before.baton);
    seatsCommitted(before, now);
    if (!contains(roster, self_.device) && !isSm_) {
        if (handedOff(now)) return;
        beRemoved(roster.sm, Header{sid_, roster.at.epoch, roster.at.version, roster.sm}, now);
    }
}

void Session::applyCommittedEffects(const RosterSnapshot& before, Millis now)
{
    const QSet<DeviceId> was = deviceSet(before);
    const QSet<DeviceId> is = deviceSet(committed_);
    for (const DeviceId& gone : was - is) {
        if (gone == self_.device) continue;
        // §5.1 rule 7: a member that applies a removal tells the removed device. One that
        // handed its place to another device of its account (rule 10) gets the roster only.
        const std::optional<MemberInfo> old = member(before, gone);
        const bool swapped =
            old && std::any_of(committed_.members.cbegin(), committed_.members.cend(),
                               [&](const MemberInfo& m) { return m.account == old->account; });
        if (swapped && !departed_.contains(gone)) {
            sendCommittedRoster(gone);
        } else if (!departed_.contains(gone) && !config_.ruleOff(Rule::RemovalTold)) {
            if (!isSm_) sendCommittedRoster(gone); // what it acts on (see onPingHeader)
            send(gone, Bye{Bye::Reason::Removed, std::nullopt, std::nullopt});
        }
        // It may ask to come back (REJOIN, rule 6) and hear why it is out.
        if (formerMembers_.size() < kMaxFormerMembers) formerMembers_.insert(gone);
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
    for (const DeviceId& added : is - was) {
        if (added == self_.device) continue;
        formerMembers_.remove(added);
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
        it.value().intersect(is);
}

void Session::onCommit(const DeviceId& from, const Commit& c, Millis now)
{
    // A joiner that hears of a commit may be in it and have missed the roster saying so
    // (an SM restarted mid-admission forgets whom to tell): ask.
    if (phase_ == Phase::Joining && join_ && from == join_->sm) return requestSnapshot(from);
    if (phase_ != Phase::Member || isSm_) return;
    if (c.at == accepted_.at && c.at > committed_.at)
        markCommitted(accepted_, committed_.at, now);
    else if (c.at > accepted_.at)
        requestSnapshot(from);
}

void Session::sendCommittedRoster(const DeviceId& to)
{
    // Who leads its epoch, proven, before the roster (a member behind needs both, §5).
    sendSmProof(to, committed_.at.epoch, committed_.sm);
    Roster r;
    fillFull(r, committed_);
    r.committed = true;
    send(to, r);
}

void Session::onSnapshotRequest(const DeviceId& from, Millis now)
{
    if (phase_ != Phase::Member) {
        if (phase_ == Phase::Gone || phase_ == Phase::Removed) {
            send(from, ErrorReply{Code::NotFound, QStringLiteral("not a member of this session"),
                                  accepted_.at});
            // Like a tombstone (SessionHost::answerUnknown): a member that still counts us,
            // because we may hold a newer roster than it, needs that roster to stop counting
            // us. A rejoining device answered with the error only, and a member left alone
            // with it (everyone else had left) could never elect (--handoff seed 72091).
            if (accepted_.at.epoch != 0) {
                Roster r;
                fillFull(r, accepted_);
                r.committed = accepted_.at == committed_.at;
                r.base = committed_.at;
                deps_.out.send(
                    from, Message{Header{sid_, accepted_.at.epoch, committed_.at.version, {}}, r});
            }
        }
        return;
    }
    // Our epoch's SM, proven, when its roster is not committed yet (§5; the roster's below).
    if (!lostSm_ && (epoch_ != committed_.at.epoch || sm_ != committed_.sm))
        sendSmProof(from, epoch_, sm_);
    sendCommittedRoster(from);
    // An SM with an unacknowledged proposal re-sends it, so a lagging member can ack it.
    if (isSm_ && proposal_ && proposal_->voters.contains(from)) sendProposal(from);
}

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
            send(m.device, Bye{Bye::Reason::Leave, accepted_.at, successor});
            told.insert(m.device);
        }
        for (auto it = pendingJoiners_.cbegin(); it != pendingJoiners_.cend(); ++it)
            if (!told.contains(it.key()))
                send(it.key(), Bye{Bye::Reason::Leave, accepted_.at, std::nullopt});
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
        if (theirs >= committed_.at && m.header.epoch >= epoch_) beRemoved(from, m.header, now);
        return;
    }
    if (bye.reason == Bye::Reason::JoinFailed) {
        if (phase_ == Phase::Member && (contains(accepted_, from) || contains(committed_, from))) {
            // Committed while it gave up (the roster telling it was lost): it is not here.
            // A joiner acknowledges nothing before it is in: it holds no roster.
            markDeparted(from, RosterStamp{}, now);
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
    markDeparted(from, theirs, now);
    // It may hold a roster we have not seen (committed with its ack): until we have it, it
    // still counts, and we fetch it from whoever has it.
    if (theirs > accepted_.at) catchUp();
}

void Session::onErrorReply(const DeviceId& from, const ErrorReply& e, const Header& h, Millis now)
{
    // A member that does not know the session has left it (seed 004: 610): its BYE was lost.
    // A device that left answers a snapshot request with 404 ("not a member"): the same news.
    const bool notThere = e.code == Code::SessionNotKnown || e.code == Code::NotFound;
    if (phase_ == Phase::Member && notThere &&
        (contains(accepted_, from) || contains(committed_, from)))
        departedFrom(from, h, e.accepted, now);
}

void Session::departedFrom(const DeviceId& from, const Header& h,
                           std::optional<RosterStamp> accepted, Millis now)
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
    markDeparted(from, theirs, now);
}

void Session::catchUp()
{
    for (const MemberInfo& m : accepted_.members)
        if (m.device != self_.device && links_.contains(m.device) && !departed_.contains(m.device))
            requestSnapshot(m.device);
}

void Session::markDeparted(const DeviceId& from, const RosterStamp& accepted, Millis now)
{
    if (auto it = departed_.find(from); it != departed_.end()) {
        if (accepted > it.value()) it.value() = accepted;
        // Seed 455560: it departed, then won an election we followed, then lost the session.
        // Its "not there" replies must still cost it our allegiance, or we follow it forever.
        if (from == sm_ && !isSm_) loseSm(now);
        return;
    }
    departed_.insert(from, accepted);
    if (accepted <= accepted_.at) {
        timers_.disarm(TimerKind::Relink, from);
        deps_.out.closeLink(sid_, from);
    } else if (!links_.contains(from)) {
        // Its host still has the roster it left with: keep reaching it until we have that.
        deps_.out.openLink(sid_, from);
        scheduleRelink(from, now);
    }
    if (from == sm_ && !isSm_) {
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

// Session, election (DESIGN §5; seed 004 REQUESTRM/SETRM, with a majority quorum): only a
// member that lost the SM votes; one final vote per epoch, on disk before it is sent; the
// up-to-date check; the winner republishes its newest roster at the new epoch before it
// changes anything (so two quorums of one epoch always overlap).
#include "session/roster.h"
#include "session/session.h"

namespace plenum::session {

using namespace protocol;

void Session::loseSm(Millis now)
{
    if (phase_ != Phase::Member || isSm_ || (lostSm_ && electionUnderWay())) return;
    lostSm_ = true;
    dropBatonAsks(); // rule 11: an election starts
    timers_.disarm(TimerKind::SmLink);
    std::uint64_t epoch = election_.nextEpoch(epoch_);
    // The successor our SM named may have asked before its BYE reached us: join that round.
    if (successor_ && *successor_ != self_.device)
        if (auto asked = election_.pendingRequestFrom(*successor_); asked && *asked > epoch_)
            epoch = *asked;
    openRound(epoch, now);
}

bool Session::electionUnderWay() const
{
    return election_.round() || timers_.armed(TimerKind::BidWindow) ||
           timers_.armed(TimerKind::ElectionRetry) || timers_.armed(TimerKind::SmLink);
}

void Session::loseSmElectOnRetry(Millis now)
{
    // Someone else's round is (or may be) under way: we follow no SM, and open a round of our
    // own only if none settles it within the election timeout. An election starts either
    // way, so a pending baton request is dropped (rule 11); learning a newer epoch without
    // an SM used to keep it.
    lostSm_ = true;
    dropBatonAsks();
    timers_.disarm(TimerKind::SmLink);
    timers_.arm(TimerKind::ElectionRetry, now + config_.electionTimeout);
}

void Session::regainSm(const DeviceId& sm, std::uint64_t epoch, Millis now)
{
    const bool changed = sm != sm_;
    if (changed || epoch > epoch_) dropBatonAsks(); // a new SM: what the old one queued is gone
    sm_ = sm;
    epoch_ = std::max(epoch_, epoch);
    lostSm_ = false;
    successor_.reset();
    election_.close();
    timers_.disarm(TimerKind::BidWindow);
    timers_.disarm(TimerKind::ElectionRetry);
    if (!links_.contains(sm)) {
        deps_.out.openLink(sid_, sm);
        timers_.arm(TimerKind::SmLink, now + config_.detection);
    } else {
        timers_.disarm(TimerKind::SmLink);
        if (changed) {
            resendRefers();
            reportLinks();
        }
    }
}

void Session::reportLinks()
{
    // A new SM learns at once which members we cannot reach (failure suspicion is shared).
    for (const MemberInfo& m : committed_.members)
        if (m.device != self_.device && m.device != sm_ && !links_.contains(m.device))
            send(sm_, LinkReport{m.device, true});
}

void Session::openRound(std::uint64_t epoch, Millis now)
{
    if (!contains(accepted_, self_.device)) {
        // We acknowledged a roster that removes us and its SM is gone before telling us it
        // committed: we cannot lead a group we are not in, so we are out (and may rejoin).
        beRemoved(accepted_.sm,
                  Header{sid_, accepted_.at.epoch, accepted_.at.version, accepted_.sm}, now);
        return;
    }
    election_.open(epoch, now + config_.bidWindow);
    Candidate me{Election::makeBid(self_.deviceClass, deps_.random()), accepted_.at};
    election_.record(self_.device, epoch, me);
    const RequestSm request{epoch, me.bid, accepted_.at};
    for (const DeviceId& d : voters(accepted_))
        if (d != self_.device && d != sm_) send(d, request);
    // The old SM may be alive but cut off from us; it refuses, and still counts.
    if (!sm_.isNull() && sm_ != self_.device && !departed_.contains(sm_)) send(sm_, request);
    timers_.disarm(TimerKind::ElectionRetry);
    timers_.arm(TimerKind::BidWindow, now + config_.bidWindow);
    // A graceful hand-over: no need to wait for bids when the old SM named the next one.
    if (successor_ && (*successor_ == self_.device || election_.round()->seen.count(*successor_)))
        castVote(now);
}

bool Session::votesForSuccessor(const DeviceId& candidate)
{
    Election::Round* round = election_.round();
    return successor_ && candidate == *successor_ && round && !round->voted;
}

void Session::castVote(Millis now)
{
    Election::Round* round = election_.round();
    if (!round || round->voted || !lostSm_ || isSm_) return;
    round->voted = true;
    const std::uint64_t epoch = round->epoch;
    std::optional<DeviceId> choice;
    const bool upToDate = !config_.ruleOff(Rule::UpToDateVote);
    if (election_.canVote(epoch)) {
        choice = election_.best(accepted_.at, voters(accepted_), upToDate);
        // The named successor, if it is as up to date as the best (never an older roster).
        const auto named = successor_ ? round->seen.find(*successor_) : round->seen.end();
        if (choice && named != round->seen.end() && voters(accepted_).contains(named->first) &&
            !(named->second.accepted < round->seen[*choice].accepted))
            choice = named->first;
    }
    // The hint is for the first round after the BYE only: if that round fails (the successor
    // was out of date or unreachable), the next one is an ordinary election (seed 12975: a
    // successor that kept voting for itself first never let the other member win).
    successor_.reset();
    if (choice) {
        election_.recordVote(epoch, *choice, self_.device);
        persist(); // the vote is on disk before anyone hears it (DESIGN §5)
        if (*choice == self_.device)
            round->allows.insert(self_.device);
        else
            send(*choice, Vote{epoch, true, Vote::Refusal::None, signVote(epoch, *choice)});
    }
    for (const auto& [id, c] : round->seen)
        if (id != self_.device && (!choice || id != *choice))
            send(id, Vote{epoch, false, Vote::Refusal::AlreadyVoted});
    const Millis backoff =
        config_.electionBackoff > 0
            ? static_cast<Millis>(deps_.random() %
                                  static_cast<std::uint64_t>(config_.electionBackoff + 1))
            : 0;
    const Millis growth = config_.electionTimeout * std::min(election_.failedRounds(), 4);
    timers_.arm(TimerKind::ElectionRetry, now + config_.electionTimeout + growth + backoff);
    checkWin(now);
}

void Session::onRequestSm(const DeviceId& from, const RequestSm& r, Millis now)
{
    auto refuse = [&](Vote::Refusal why) { send(from, Vote{r.epoch, false, why}); };
    if (phase_ != Phase::Member) return refuse(Vote::Refusal::NotMember);
    if (!contains(accepted_, from)) return refuse(Vote::Refusal::UnknownCandidate);
    if (r.epoch <= epoch_) return refuse(Vote::Refusal::StaleEpoch);
    const bool current = election_.record(from, r.epoch, Candidate{r.bid, r.accepted});
    // A member whose SM is healthy refuses: one bad link cannot depose a healthy SM.
    // The SM itself asking means it stepped down (it saw a newer epoch): it is lost to us too.
    if (!isSm_ && !lostSm_ && from == sm_) {
        // Lost like any other loss: if no round comes of its request, the retry opens ours
        // (setting the flag alone left every later loseSm() a no-op: seeds 74646, 81208).
        loseSmElectOnRetry(now);
    }
    if (isSm_ || !lostSm_) return refuse(Vote::Refusal::SmAlive);
    if (!election_.canVote(r.epoch)) {
        if (election_.votedFor(r.epoch, from)) {
            send(from, Vote{r.epoch, true, Vote::Refusal::None, signVote(r.epoch, from)});
            return;
        }
        refuse(Vote::Refusal::AlreadyVoted);
        Election::Round* round = election_.round();
        const Candidate them{r.bid, r.accepted};
        if (round && round->epoch == r.epoch && round->seen.count(self_.device) &&
            r.accepted >= accepted_.at &&
            Election::beats(them, from, round->seen[self_.device], self_.device))
            round->outbid = true;
        return;
    }
    if (r.accepted < accepted_.at && !config_.ruleOff(Rule::UpToDateVote))
        return refuse(Vote::Refusal::OutOfDate);
    Election::Round* round = election_.round();
    if (!current) {
        if (round && r.epoch < round->epoch) return refuse(Vote::Refusal::StaleEpoch);
        // Someone is ahead of us: join its epoch, bid there too, and vote after the window.
        openRound(r.epoch, now);
        election_.record(from, r.epoch, Candidate{r.bid, r.accepted});
        if (votesForSuccessor(from)) castVote(now);
        return;
    }
    if (votesForSuccessor(from)) return castVote(now);
    if (round && round->voted) {
        round->voted = false; // we had no one to vote for at the window's end
        castVote(now);
    }
}

void Session::onVote(const DeviceId& from, const Vote& v, const Header& header, Millis now)
{
    if (!v.allow && v.refusal == Vote::Refusal::NotMember && phase_ == Phase::Member &&
        contains(accepted_, from)) {
        // It does not know the session: it left. Its answer to this names the roster it left from.
        requestSnapshot(from);
        return;
    }
    Election::Round* round = election_.round();
    if (!round || round->epoch != v.epoch || isSm_) return;
    // An allow counts only with its signature: SET_SM forwards it, and a member checks it
    // (§5). A bad one (a lying voter) would make our SET_SM fail everywhere: a refusal.
    if (v.allow && voteSigned(from, v)) {
        round->allows.insert(from);
        round->signatures.insert(from, v.signature);
    } else {
        round->refusals.insert(from);
    }
    checkWin(now);
}

void Session::checkWin(Millis now, bool last)
{
    Election::Round* round = election_.round();
    if (!round || !round->allows.contains(self_.device)) return;
    // A roster of the round's epoch (or a newer one) means that epoch had an SM already: only
    // its SM proposes there. The round is stale; the retry opens one above it (seed 2842884:
    // a member cut off during the election took the epoch's roster from a leaver's tombstone,
    // found every other voter gone, and won that very epoch alone).
    if (accepted_.at.epoch >= round->epoch || committed_.at.epoch >= round->epoch) return;
    const auto majorityOfRoster = [&](const RosterSnapshot& roster) {
        const QSet<DeviceId> v = electionVoters(roster, round->epoch);
        return static_cast<int>((round->allows & v).size()) >=
               majorityOf(static_cast<int>(v.size()));
    };
    // A majority of the latest roster, counting the old SM unless it left with BYE (§5). While
    // the round runs, of the committed one as well when a change is pending: a member checks
    // SET_SM's signed votes against its own roster, and one that never saw the pending change
    // holds the committed one (--seed 1901 --handoff --adversary: won with 3 of the proposal's
    // 5, refused for ever by members holding 6). At the round's end the latest alone will do,
    // or a group whose committed majority is gone could never elect (--seed 553).
    if (!majorityOfRoster(accepted_)) return;
    if (committed_.at != accepted_.at && !majorityOfRoster(committed_)) {
        if (!last) return;
        // At the round's end, a majority of the pending roster alone, but only of voters that
        // hold it (their bid said so): a member checks SET_SM against its own roster, and
        // voters still on the committed one refused ours for ever (--handoff seeds 34404,
        // 40265, plain 436069: won with 3 of the proposal's 5, checked against 6).
        QSet<DeviceId> holding{self_.device};
        for (const DeviceId& d : round->allows) {
            const auto bid = round->seen.find(d);
            if (bid != round->seen.end() && !(bid->second.accepted < accepted_.at))
                holding.insert(d);
        }
        const QSet<DeviceId> v = electionVoters(accepted_, round->epoch);
        if (static_cast<int>((holding & v).size()) < majorityOf(static_cast<int>(v.size()))) return;
    }
    becomeSm(round->epoch, now);
}

void Session::becomeSm(std::uint64_t epoch, Millis now)
{
    timers_.disarm(TimerKind::BidWindow);
    timers_.disarm(TimerKind::ElectionRetry);
    timers_.disarm(TimerKind::SmLink);
    isSm_ = true;
    smReady_ = false;
    lostSm_ = false;
    successor_.reset();
    sm_ = self_.device;
    epoch_ = epoch;
    // Flicker: a pending joiner of the old SM will never be committed by it.
    // SET_SM carries the signed votes (§5): a member checks them before it follows us, and
    // relays them to members that are behind.
    const SetSm proof = ownSmProof(epoch);
    smProof_ = SmProof{epoch, self_.device, proof.votes};
    persist(); // before SET_SM: restarted, we can still show it (§5.1 persisted before sent)
    sendToMembers(proof);
    emitEvent(event::BecameSm{epoch});
    // Republish the newest roster we have at the new epoch before any change (DESIGN §5).
    // Versions keep counting up across epochs: above every version the bidders reported, so
    // no member ever sees its version number go back.
    std::uint64_t version = accepted_.at.version;
    if (Election::Round* round = election_.round())
        for (const auto& [id, c] : round->seen)
            version = std::max(version, c.accepted.version);
    RosterSnapshot next = accepted_;
    next.at = RosterStamp{epoch, version + 1};
    election_.close();
    next.sm = self_.device;
    for (auto it = departed_.cbegin(); it != departed_.cend(); ++it)
        if (contains(next, it.key()))
            enqueue(RemoveRequest{it.key(), RosterChange::Reason::Left}, now);
    propose(next, accepted_.at, std::nullopt, now);
    // The old SM's INVITE and tickets are void: without this the seat only expires and A1
    // hears "the reservation expired".
    readmitSeats(next, now);
    // Our own REFERs that the old SM never answered are now ours to carry out.
    for (const auto& [id, r] : refers_)
        enqueue(AdmitRequest{r.account, r.devices, std::nullopt, 0, false}, now);
    refers_.clear();
    for (const MemberInfo& m : committed_.members)
        if (m.device != self_.device && !links_.contains(m.device))
            smLinkDownSince_.insert(m.device, now);
    for (const MemberInfo& m : committed_.members)
        if (m.device != self_.device && !links_.contains(m.device)) evaluateSuspect(m.device, now);
}

void Session::onSetSm(const DeviceId& from, const SetSm& s, Millis now)
{
    if ((phase_ == Phase::Joining || phase_ == Phase::Invited) && join_)
        return joinerSetSm(from, s);
    // From the SM itself, or relayed by a member to one that is behind (it names the SM).
    const DeviceId candidate = s.candidate.value_or(from);
    if (candidate == self_.device) return;
    // A removed device checks the proof of the SM that lets it back in (its roster comes next).
    if (phase_ == Phase::Removed && s.epoch > committed_.at.epoch) {
        (void)acceptSmProof(candidate, s);
        return;
    }
    if (phase_ != Phase::Member) return;
    if (s.epoch < epoch_ || (s.epoch == epoch_ && !sm_.isNull() && sm_ != candidate && !lostSm_))
        return;
    // §5: believed only with the signed votes of a majority of our roster (a member that just
    // applies a claimed SM can be hijacked by any member that claims it).
    if (!acceptSmProof(candidate, s)) {
        deps_.out.refused(sid_, from,
                          QStringLiteral("SET_SM refused: its signed votes are not a majority of "
                                         "this device's roster"),
                          false);
        return;
    }
    // Proven, but it left since (its departure is of that epoch or a newer one): a member
    // relayed the proof of an SM that had swapped itself out and left, and we followed its
    // tombstone for ever (--handoff seed 163248).
    if (leftSince(candidate, RosterStamp{s.epoch, 0})) return;
    // Nor one that a committed roster of its own epoch leaves out: an SM leaves the rosters of
    // its epoch only by swapping itself out (§5.1 rule 10), and committing the swap erased
    // its departure (--handoff seed 221649: a member took the swap from the SM's tombstone,
    // then a relayed proof, and followed the tombstone over a healthy link for ever).
    if (committed_.at.epoch == s.epoch && !contains(committed_, candidate)) return;
    if (isSm_ && s.epoch > epoch_) stepDown(now);
    regainSm(candidate, s.epoch, now);
}

} // namespace plenum::session

// Session: link events (up, down, relink) and the timers, among them the liveness ping whose
// header carries §5.1 rules 1–2 to every linked member.
#include "session/roster.h"
#include "session/session.h"

#include <algorithm>

namespace plenum::session {

using namespace protocol;

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
            resendSeatInvite(peer, now);
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
            checkWin(now, true);
            if (isSm_) break;
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
    if (phase_ != Phase::Member || config_.pingsOnLinks) return;
    for (const MemberInfo& m : accepted_.members)
        if (pings(m.device)) send(m.device, Ping{});
    if (!contains(accepted_, sm_) && pings(sm_)) send(sm_, Ping{});
    timers_.arm(TimerKind::Ping, now + config_.pingInterval);
}

bool Session::pings(const DeviceId& peer) const
{
    // The members of our accepted roster, and the SM we follow even when a proposal we took
    // leaves it out (its own swap): our ping is how it tells us it is out (--handoff
    // --adversary seed 129569: deposed mid-swap, it fell silent, and a link that another
    // session kept up hid that from its follower for ever).
    if (phase_ != Phase::Member || peer == self_.device || !links_.contains(peer)) return false;
    return contains(accepted_, peer) || (peer == sm_ && !isSm_);
}

std::optional<Message> Session::pingTo(const DeviceId& peer) const
{
    if (!pings(peer)) return std::nullopt;
    return Message{header(), Ping{}};
}

} // namespace plenum::session

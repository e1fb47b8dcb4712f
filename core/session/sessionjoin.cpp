// Session, invitee side: the JOIN procedure of seed 004 (JOIN to every endpoint, up to three
// attempts, BYE to partial links on failure, JOINED to the SM), and members answering JOIN
// with the ticket check of §5.1 rule 6.
#include "session/roster.h"
#include "session/session.h"

namespace plenum::session {

using namespace protocol;

void Session::onInvite(const DeviceId& from, const Message& m, Millis now)
{
    const auto& inv = std::get<Invite>(m.body);
    if (phase_ == Phase::Member) return; // the host answers 486 for members
    if (inv.ticket.joiner != self_.device || inv.ticket.sm != from || inv.ticket.sid != sid_)
        return;
    // An INVITE of an older epoch than the invitation we hold comes from an SM that was
    // replaced since: a device that was offline reads its DHT mailbox in any order, and the
    // old SM's INVITE read after the new one's would send our JOIN to a device that is no
    // longer SM (issue 15: A1, the SM, crashed while its snapshot waited for an offline A2).
    if (join_ && m.header.epoch < epoch_) return;
    // A copy of the hand-off INVITE we are joining with (the SM sends a seat's again when our
    // link comes up and it has no answer from us: resendSeatInvite): our yes was lost, or the
    // SM restarted. Say yes again, and JOINED again if we sent it; the join goes on.
    if (phase_ == Phase::Joining && join_ && inv.handoff && from == join_->sm &&
        m.header.epoch == epoch_ && join_->invite.handoff == inv.handoff &&
        join_->invite.ticket.at == inv.ticket.at && join_->invite.endpoints == inv.endpoints) {
        join_->invite.ticket = inv.ticket; // the newer expiry
        send(from, InviteAnswer{Code::Ok, self_});
        if (join_->joinedSent) {
            join_->joinedSent = false;
            maybeSendJoined(now);
        }
        return;
    }
    const bool wasJoining = phase_ == Phase::Joining || phase_ == Phase::Removed;
    if (join_) {
        for (auto it = join_->endpoints.cbegin(); it != join_->endpoints.cend(); ++it)
            if (!inv.endpoints.contains(it.value())) deps_.out.closeLink(sid_, it.key());
    }
    join_ = JoinState{};
    join_->invite = inv;
    join_->sm = from;
    for (const MemberInfo& e : inv.endpoints)
        if (e.device != self_.device) join_->endpoints.insert(e.device, e);
    rules_ = inv.rules;
    epoch_ = m.header.epoch;
    sm_ = from; // our headers name the SM that invited us (it counts them for its lease)
    timers_.clear();
    timers_.arm(TimerKind::InviteTimeout, now + config_.inviteTimeout);
    // DESIGN §4 "Downlevel peer": without `multiparty` only a one-to-one session is possible.
    if (!self_.multiparty && inv.endpoints.size() > 1) {
        send(from, InviteAnswer{Code::OneToOneOnly, self_});
        finish(Phase::Gone);
        emitEvent(event::JoinFailed{Code::OneToOneOnly,
                                    QStringLiteral("this device supports one-to-one only")});
        return;
    }
    if (wasJoining) {
        // A re-invitation (a new SM re-admitting, or our own REJOIN): the user already said yes.
        phase_ = Phase::Joining;
        startJoining(now);
        return;
    }
    phase_ = Phase::Invited;
    emitEvent(event::Invited{inv.referredBy.value_or(from), inv.inviterName,
                             static_cast<int>(inv.endpoints.size()), inv.handoff});
    reschedule();
}

void Session::accept(Millis now)
{
    if (phase_ != Phase::Invited || !join_) return;
    phase_ = Phase::Joining;
    startJoining(now);
    reschedule();
}

void Session::decline(Millis now)
{
    if (phase_ != Phase::Invited || !join_) return;
    send(join_->sm, InviteAnswer{Code::Declined, self_});
    finish(Phase::Gone);
    emitEvent(event::JoinFailed{Code::Declined, QStringLiteral("you declined")});
    reschedule();
}

void Session::startJoining(Millis now)
{
    send(join_->sm, InviteAnswer{Code::Ok, self_});
    for (auto it = join_->endpoints.cbegin(); it != join_->endpoints.cend(); ++it) {
        deps_.out.openLink(sid_, it.key());
        if (links_.contains(it.key()))
            sendJoin(it.key(), now);
        else
            timers_.arm(TimerKind::JoinAttempt, now + config_.joinAttemptTimeout, it.key());
    }
    maybeSendJoined(now);
}

void Session::sendJoin(const DeviceId& endpoint, Millis now)
{
    if (!join_ || join_->answered.contains(endpoint)) return;
    join_->attempts[endpoint] += 1;
    if (links_.contains(endpoint))
        send(endpoint, Join{join_->invite.ticket, self_});
    else
        deps_.out.openLink(sid_, endpoint);
    timers_.arm(TimerKind::JoinAttempt, now + config_.joinAttemptTimeout, endpoint);
}

void Session::onJoinAnswer(const DeviceId& from, const JoinAnswer& a, Millis now)
{
    if (phase_ != Phase::Joining || !join_ || !join_->endpoints.contains(from)) return;
    if (join_->answered.contains(from)) return;
    if (a.code == Code::Forbidden) {
        failJoin(Code::Forbidden, QStringLiteral("the admission ticket was refused"), now);
        return;
    }
    join_->answered.insert(from);
    if (a.code == Code::SessionNotKnown) join_->unknown.insert(from);
    timers_.disarm(TimerKind::JoinAttempt, from);
    maybeSendJoined(now);
}

void Session::maybeSendJoined(Millis now)
{
    if (!join_ || join_->answered.size() < join_->endpoints.size()) return;
    if (join_->unknown.contains(join_->sm)) {
        failJoin(Code::NotFound, QStringLiteral("the group no longer exists"), now);
        return;
    }
    Joined j;
    j.endpointsAt =
        join_->endpointsAt > join_->invite.ticket.at ? join_->endpointsAt : join_->invite.ticket.at;
    for (const DeviceId& d : join_->answered)
        if (!join_->unknown.contains(d)) j.linked.append(d);
    for (const DeviceId& d : join_->unknown)
        j.unknown.append(d);
    std::sort(j.linked.begin(), j.linked.end());
    std::sort(j.unknown.begin(), j.unknown.end());
    send(join_->sm, j);
    join_->joinedSent = true;
}

void Session::onEndpoints(const DeviceId& from, const Endpoints& e, Millis now)
{
    if (phase_ != Phase::Joining || !join_ || from != join_->sm) return;
    if (e.at > join_->endpointsAt) join_->endpointsAt = e.at;
    for (const DeviceId& d : e.remove) {
        join_->endpoints.remove(d);
        join_->answered.remove(d);
        join_->unknown.remove(d);
        timers_.disarm(TimerKind::JoinAttempt, d);
        deps_.out.closeLink(sid_, d);
    }
    for (const MemberInfo& m : e.add) {
        if (m.device == self_.device || join_->endpoints.contains(m.device)) continue;
        join_->endpoints.insert(m.device, m);
        deps_.out.openLink(sid_, m.device);
        sendJoin(m.device, now);
    }
    maybeSendJoined(now);
}

void Session::onCancel(const DeviceId& from, const Cancel& c, Millis now)
{
    if ((phase_ != Phase::Joining && phase_ != Phase::Invited) || !join_ || from != join_->sm)
        return;
    // A rejoining device takes only a refusal as final; a timeout or a lost lease is retried.
    const bool refused = c.code == Code::Forbidden || c.code == Code::OneToOneOnly;
    failJoin(c.code, QStringLiteral("the invitation was withdrawn"), now, refused);
}

void Session::failJoin(Code code, const QString& reason, Millis now, bool refused)
{
    if (join_) {
        // Seed 004: cancel partial links with BYE, and tell the SM.
        for (auto it = join_->endpoints.cbegin(); it != join_->endpoints.cend(); ++it)
            if (it.key() != join_->sm &&
                (links_.contains(it.key()) || join_->answered.contains(it.key())))
                send(it.key(), Bye{Bye::Reason::JoinFailed, std::nullopt, std::nullopt});
        if (phase_ == Phase::Joining)
            send(join_->sm, Bye{Bye::Reason::JoinFailed, std::nullopt, std::nullopt});
    }
    if (rejoining_ && !refused) {
        // Coming back after a crash or a removal: an endpoint not reached yet (its link still
        // being rebuilt) or a withdrawn attempt is no reason to stay out. Ask again, later.
        finish(Phase::Removed);
        rejoinLater(now);
        return;
    }
    rejoining_ = false;
    finish(Phase::Gone);
    emitEvent(event::JoinFailed{code, reason});
}

void Session::spendTickets(const DeviceId& device)
{
    if (ticketFloor_.size() >= kMaxFormerMembers && !ticketFloor_.contains(device)) return;
    ticketFloor_.insert(device, committed_.at);
}

bool Session::ticketSpent(const Ticket& ticket) const
{
    // The SM issues a ticket at its committed stamp, which is at least the one that last
    // changed the joiner's membership: an older one was used (or voided) by that change. A
    // device removed and admitted again gets a new ticket (a replayed old one is refused).
    if (config_.ruleOff(Rule::TicketSpent)) return false;
    const auto it = ticketFloor_.constFind(ticket.joiner);
    return it != ticketFloor_.constEnd() && ticket.at < it.value();
}

bool Session::ticketExpired(const Ticket& ticket, Millis now) const
{
    if (config_.ruleOff(Rule::TicketSpent)) return false;
    // The SM's clock and ours may differ (Unix time on two devices): a generous margin.
    return static_cast<Millis>(ticket.expiresAtMs) + kTicketClockMargin < now;
}

// Member side: answer a JOIN only with a valid ticket from our SM (§5.1 rule 6).
void Session::onJoin(const DeviceId& from, const Join& j, Millis now)
{
    if (phase_ == Phase::Joining || phase_ == Phase::Invited) return; // not yet: ask again
    if (phase_ != Phase::Member) {
        send(from, JoinAnswer{Code::SessionNotKnown});
        return;
    }
    const Ticket& t = j.ticket;
    const bool valid = t.sid == sid_ && t.joiner == from && j.joiner.device == from &&
                       t.at.epoch == epoch_ && !sm_.isNull() && t.sm == sm_ &&
                       deps_.tickets.verify(t.sm, ticketSigningBytes(t), t.signature) &&
                       (contains(accepted_, from) || !ticketSpent(t)) && !ticketExpired(t, now);
    if (!valid) {
        send(from, JoinAnswer{Code::Forbidden});
        return;
    }
    if (!contains(accepted_, from) && !pendingJoiners_.contains(from)) {
        // Seed 004 "flicker": seen joining, but shown only once committed.
        pendingJoiners_.insert(from, now);
        timers_.arm(TimerKind::Flicker, now + config_.flickerTimeout, from);
    }
    send(from, JoinAnswer{Code::Ok});
}

} // namespace plenum::session

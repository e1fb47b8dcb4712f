// Session: the hand-off's part of the session core (DESIGN §8, §5.1 rule 10).
//
// A seat {account, new device, expiry} is a roster field, changed only through the SM's one
// queue (rule 5): it survives elections and counts against capacity. The SM then admits the
// new device (A2) with an ordinary INVITE/JOIN/JOINED whose commit is one Swap change, account
// A: device A1 -> A2, made only once A2 linked to every other member (make before break,
// rule 5's linked == roster check). While the seat lives, a removal of A1 waits in the queue:
// A1's departure is folded into the swap, or into the seat's end, so the others never see the
// account leave. Every failure ends the seat with a reason the asker (A1) hears in words.
#include "protocol/limits.h"
#include "session/roster.h"
#include "session/session.h"

#include <algorithm>

namespace plenum::session {

using namespace protocol;
using Stage = event::Handoff::Stage;

namespace {

QString seatEndText(RosterChange::Reason r)
{
    switch (r) {
    case RosterChange::Reason::Declined:
        return QStringLiteral("the other device declined");
    case RosterChange::Reason::Unreachable:
        return QStringLiteral("the other device could not be reached");
    case RosterChange::Reason::Expired:
        return QStringLiteral("the reservation expired");
    case RosterChange::Reason::Cancelled:
        return QStringLiteral("the hand-off was cancelled");
    default:
        return QStringLiteral("the hand-off did not complete");
    }
}

} // namespace

// ---------------------------------------------------------------------- commands (A1)

void Session::handoff(const DeviceId& device, Millis ttl, bool keep, Millis now)
{
    const auto fail = [&](const QString& why) {
        emitEvent(event::Handoff{Stage::Failed, device, why});
    };
    if (phase_ != Phase::Member) return fail(QStringLiteral("this device is not in the session"));
    if (device == self_.device || contains(committed_, device))
        return fail(QStringLiteral("that device is already in the session"));
    const Millis bounded = std::clamp<Millis>(ttl, 1, limits::kMaxHandoffTtlMs);
    const HandoffReserve r{device, static_cast<std::uint32_t>(bounded), keep};
    askedSeat_ = device;
    if (isSm_) {
        onHandoffReserve(self_.device, r, now);
    } else if (sm().isNull()) {
        askedSeat_.reset();
        fail(QStringLiteral("the session is reconnecting; try again in a moment"));
    } else {
        send(sm_, r);
    }
    reschedule();
}

void Session::cancelHandoff(Millis now)
{
    if (phase_ != Phase::Member) return;
    const auto seat = reservationReplacing(committed_, self_.device);
    const std::optional<DeviceId> device = seat ? std::optional(seat->device) : askedSeat_;
    if (!device) return;
    if (isSm_)
        onHandoffCancel(self_.device, HandoffCancel{*device}, now);
    else if (!sm().isNull())
        send(sm_, HandoffCancel{*device});
    reschedule();
}

// ---------------------------------------------------------------------- the SM

std::optional<Code> Session::reserveRefusal(const DeviceId& from, const HandoffReserve& r,
                                            Millis now, QString& why) const
{
    const auto asker = member(committed_, from);
    if (!asker) {
        why = QStringLiteral("only a member can hand the session to another device");
        return Code::Forbidden;
    }
    if (!hasLease(now)) {
        why = QStringLiteral("the session is reconnecting");
        return Code::Full;
    }
    if (r.device == from || contains(committed_, r.device)) {
        why = QStringLiteral("that device is already in the session");
        return Code::AlreadyHere;
    }
    if (!config_.ruleOff(Rule::HandoffChecks)) {
        // Rule 6 and 10: A1 speaks for its own account only, and A2 must be of that account
        // (its verified chain; one we have not seen is checked when it answers the INVITE).
        const std::optional<AccountId> mine = deps_.tickets.accountOf(from);
        if (!mine || *mine != asker->account) {
            why = QStringLiteral("the asking device's verified account is not its roster entry's");
            return Code::Forbidden;
        }
        const std::optional<AccountId> theirs = deps_.tickets.accountOf(r.device);
        if (theirs && *theirs != asker->account) {
            why = QStringLiteral("that device belongs to another account");
            return Code::Forbidden;
        }
    }
    qsizetype seats = committed_.reservations.size();
    for (const Reservation& s : committed_.reservations)
        if (s.device == r.device || s.account == asker->account) {
            why = QStringLiteral("a hand-off of this account is already under way");
            return Code::AlreadyHere;
        }
    for (const Request& q : queue_) {
        const auto* s = std::get_if<SeatRequest>(&q);
        if (!s || !s->reserve) continue;
        ++seats;
        if (s->seat.device == r.device || s->seat.account == asker->account) {
            why = QStringLiteral("a hand-off of this account is already under way");
            return Code::AlreadyHere;
        }
    }
    if (seats >= static_cast<qsizetype>(limits::kMaxReservations) ||
        committed_.members.size() + seats >= static_cast<qsizetype>(rules_.capacity)) {
        why = QStringLiteral("the session is full");
        return Code::Full;
    }
    if (rules_.endsAtMs != 0 && now >= static_cast<Millis>(rules_.endsAtMs)) {
        why = QStringLiteral("the session has ended");
        return Code::Forbidden;
    }
    return std::nullopt;
}

void Session::onHandoffReserve(const DeviceId& from, const HandoffReserve& r, Millis now)
{
    if (phase_ != Phase::Member) return;
    if (!isSm_) {
        if (from != self_.device) send(from, Stale{}); // our header names the SM we follow
        return;
    }
    QString why;
    if (const auto code = reserveRefusal(from, r, now, why)) {
        const HandoffAnswer answer{r.device, *code, why};
        if (from == self_.device)
            onHandoffAnswer(self_.device, answer, now);
        else
            send(from, answer);
        return;
    }
    const MemberInfo asker = *member(committed_, from);
    const Reservation seat{r.device, from, asker.account, static_cast<std::uint64_t>(now + r.ttlMs),
                           r.keep};
    enqueue(SeatRequest{true, seat, RosterChange::Reason::Joined}, now);
}

void Session::onHandoffAnswer(const DeviceId& from, const HandoffAnswer& a, Millis now)
{
    // Only the SM we follow refuses our seat (or we, being it).
    if (from != self_.device && from != sm_) return;
    if (!askedSeat_ || *askedSeat_ != a.device) return;
    askedSeat_.reset();
    const QString why = a.reason.isEmpty() ? codeText(a.code) : a.reason;
    emitEvent(event::Handoff{Stage::Failed, a.device, why});
}

void Session::onHandoffCancel(const DeviceId& from, const HandoffCancel& c, Millis now)
{
    if (phase_ != Phase::Member || !isSm_) return;
    const auto seat = reservationFor(committed_, c.device);
    if (!seat) {
        // Not reserved yet: drop it from the queue, and tell the asker it is off.
        const auto before = queue_.size();
        std::erase_if(queue_, [&](const Request& q) {
            const auto* s = std::get_if<SeatRequest>(&q);
            return s && s->reserve && s->seat.device == c.device && s->seat.replaces == from;
        });
        if (queue_.size() != before) {
            const HandoffAnswer answer{c.device, Code::Declined,
                                       seatEndText(RosterChange::Reason::Cancelled)};
            if (from == self_.device)
                onHandoffAnswer(from, answer, now);
            else
                send(from, answer);
        }
        return;
    }
    // Only the device that asked for it may withdraw it (or the new device, by declining).
    if (seat->replaces != from && !config_.ruleOff(Rule::HandoffChecks)) return;
    endSeat(c.device, RosterChange::Reason::Cancelled, now);
}

void Session::startSeatChange(const SeatRequest& request, Millis now)
{
    RosterChange change{RosterChange::Kind::Reserve, request.reason,
                        MemberInfo{request.seat.device, request.seat.account, {}}, request.seat};
    if (request.reserve) {
        // Things changed while it waited: check again (the asker may have gone meanwhile).
        QString why;
        const HandoffReserve again{request.seat.device, 1, request.seat.keep};
        std::optional<Code> refusal;
        if (!contains(committed_, request.seat.replaces)) {
            refusal = Code::NotFound;
            why = QStringLiteral("the asking device left the session");
        } else {
            refusal = reserveRefusal(request.seat.replaces, again, now, why);
        }
        if (refusal) {
            const HandoffAnswer answer{request.seat.device, *refusal, why};
            if (request.seat.replaces == self_.device)
                onHandoffAnswer(self_.device, answer, now);
            else
                send(request.seat.replaces, answer);
            return;
        }
    } else {
        const auto live = reservationFor(committed_, request.seat.device);
        if (!live) return; // it ended already (swapped, or another end was committed)
        change.kind = RosterChange::Kind::Unreserve;
        change.reservation = *live;
    }
    const RosterStamp at{epoch_, committed_.at.version + 1};
    propose(applyChange(committed_, change, at, self_.device), committed_.at, change, now);
}

void Session::endSeat(const DeviceId& device, RosterChange::Reason reason, Millis now)
{
    if (!isSm_) return;
    const auto seat = reservationFor(committed_, device);
    if (!seat) return;
    // A swap already proposed wins over the seat's end.
    if (proposal_ && proposal_->change && proposal_->change->member.device == device &&
        proposal_->change->kind == RosterChange::Kind::Swap)
        return;
    // Its admission, under way or waiting, is withdrawn (the members it JOINed drop it as a
    // flicker, §5.1 rule 4).
    if (admission_ && admission_->request.handoff &&
        admission_->request.handoff->device == device) {
        for (const DeviceId& d : admission_->request.devices)
            if (!admission_->refused.contains(d)) send(d, Cancel{Code::Timeout});
        admission_.reset();
        timers_.disarm(TimerKind::InviteTimeout);
    }
    std::erase_if(queue_, [&](const Request& q) {
        const auto* a = std::get_if<AdmitRequest>(&q);
        return a && a->handoff && a->handoff->device == device;
    });
    for (const Request& q : queue_) {
        const auto* s = std::get_if<SeatRequest>(&q);
        if (s && !s->reserve && s->seat.device == device) return; // its end is queued already
    }
    enqueue(SeatRequest{false, *seat, reason}, now);
}

bool Session::held(const Request& request) const
{
    // Rule 10: while A1's seat lives, its removal waits; the swap (or the seat's end) decides.
    if (config_.ruleOff(Rule::HandoffChecks)) return false;
    const auto* rm = std::get_if<RemoveRequest>(&request);
    if (rm) return reservationReplacing(committed_, rm->device).has_value();
    // A seat's admission restarted after an election waits for links to every member A2
    // must JOIN: a JOIN to one that crashed (the old SM) fails the admission and the seat.
    const auto* admit = std::get_if<AdmitRequest>(&request);
    if (!admit || !admit->resumed || !admit->handoff) return false;
    const Reservation& seat = *admit->handoff;
    for (const MemberInfo& m : committed_.members)
        if (m.device != self_.device && m.device != seat.device &&
            (m.device != seat.replaces || seat.keep) && !links_.contains(m.device))
            return true;
    return false;
}

RosterChange::Reason Session::seatEndReason(Code code)
{
    switch (code) {
    case Code::Declined:
        return RosterChange::Reason::Declined;
    case Code::Forbidden:
        return RosterChange::Reason::Cancelled;
    default:
        return RosterChange::Reason::Unreachable;
    }
}

void Session::armReservationTimer(Millis now)
{
    std::optional<Millis> next;
    if (isSm_ && phase_ == Phase::Member) {
        for (const Reservation& s : committed_.reservations) {
            Millis at = static_cast<Millis>(s.expiresAtMs);
            // Expired and not ended yet (its end waits in the queue): look again soon.
            if (at <= now) at = now + config_.resendInterval;
            if (!next || at < *next) next = at;
        }
    }
    if (next)
        timers_.arm(TimerKind::Reservation, *next);
    else
        timers_.disarm(TimerKind::Reservation);
}

void Session::readmitSeats(const RosterSnapshot& roster, Millis now)
{
    // Checked again when its turn comes (startAdmission).
    for (const Reservation& seat : roster.reservations)
        if (!contains(roster, seat.device))
            enqueue(AdmitRequest{seat.account, {seat.device}, std::nullopt, 0, false, seat, true},
                    now);
}

void Session::onReservationTimer(Millis now)
{
    if (!isSm_ || phase_ != Phase::Member) return;
    const QList<Reservation> seats = committed_.reservations;
    for (const Reservation& s : seats)
        if (static_cast<Millis>(s.expiresAtMs) <= now)
            endSeat(s.device, RosterChange::Reason::Expired, now);
    armReservationTimer(now);
}

// ---------------------------------------------------------------------- after a commit

void Session::noteHandoffChange(const RosterStamp& at, const RosterChange& change)
{
    if (change.kind < RosterChange::Kind::Reserve) return;
    seatChanges_[at] = change;
    while (seatChanges_.size() > 16)
        seatChanges_.erase(seatChanges_.begin());
}

void Session::seatsCommitted(const RosterSnapshot& before, Millis now)
{
    for (const Reservation& s : committed_.reservations)
        if (s.replaces == self_.device && !reservationFor(before, s.device)) {
            askedSeat_.reset();
            emitEvent(event::Handoff{Stage::Reserved, s.device, {}});
        }
    for (const Reservation& s : before.reservations) {
        if (s.replaces != self_.device || reservationFor(committed_, s.device)) continue;
        if (contains(committed_, s.device)) {
            // Swapped. Without `keep` this device is out: handedOff() tells the user.
            if (contains(committed_, self_.device))
                emitEvent(event::Handoff{Stage::Done, s.device, {}});
            continue;
        }
        auto it = seatChanges_.find(committed_.at);
        const bool known = it != seatChanges_.end() &&
                           it->second.kind == RosterChange::Kind::Unreserve &&
                           it->second.reservation && it->second.reservation->device == s.device;
        emitEvent(
            event::Handoff{Stage::Failed, s.device,
                           seatEndText(known ? it->second.reason : RosterChange::Reason::Crashed)});
    }
    seatChanges_.erase(seatChanges_.begin(), seatChanges_.upper_bound(committed_.at));
    if (!isSm_) {
        // Our SM swapped itself out: it is gone even if its BYE is lost and a link we share
        // with it for another session stays up (seed 993 of --handoff --crash-points).
        if (phase_ == Phase::Member && !sm_.isNull() && !lostSm_ && !contains(committed_, sm_) &&
            contains(committed_, self_.device))
            loseSm(now);
        return;
    }
    // A new seat: admit its device now (its INVITE says it is a hand-off).
    for (const Reservation& s : committed_.reservations)
        if (!reservationFor(before, s.device))
            enqueue(AdmitRequest{s.account, {s.device}, std::nullopt, 0, false, s}, now);
    armReservationTimer(now);
}

bool Session::handedOff(Millis now)
{
    if (contains(committed_, self_.device)) return false;
    // Out of the roster, but the account is still in it: only a swap does that (admission
    // refuses a second device of an account). It is a hand-off, not a removal: no rejoin.
    const std::optional<MemberInfo> other = memberOfAccount(committed_, self_.account);
    if (!other) return false;
    const DeviceId to = other->device;
    if (isSm_) {
        // The others hold the swap already; our BYE (with a successor) lets them elect at once.
        // Gone on disk before the BYE says so (seed 10370, see leave()).
        persistEnded();
        const std::optional<DeviceId> successor = chooseSuccessor();
        for (const MemberInfo& m : committed_.members)
            send(m.device,
                 Bye{Bye::Reason::Leave, accepted_.at, successor, election_.grantedEpoch()});
    }
    finish(Phase::Gone);
    emitEvent(event::Handoff{Stage::Done, to, {}});
    return true;
}

} // namespace plenum::session

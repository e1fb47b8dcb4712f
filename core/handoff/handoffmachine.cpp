#include "handoff/handoffmachine.h"

#include <algorithm>

namespace plenum::handoff {

namespace {

const QString kUnreachable = QStringLiteral("the other device could not be reached");
const QString kUnderWay = QStringLiteral("a hand-off of this session is already under way");
const QString kExpired = QStringLiteral("the reservation expired");

} // namespace

// ---------------------------------------------------------------------- A1

void HandoffMachine::push(const SessionId& sid, const DeviceId& device, const PushOptions& o,
                          Millis now)
{
    if (entries_.contains(sid)) {
        out(effect::Failed{sid, device, kUnderWay, true});
        return;
    }
    Entry& e = entries_[sid];
    e.pushing = true;
    e.device = device;
    e.keep = o.keep;
    e.ttl = o.ttl > 0 ? o.ttl : config_.seatTtl;
    if (o.linked) return reserve(sid, e, now);
    if (o.offline && config_.storeAndForward) return store(sid, e, now);
    // The snapshot needs A2's link: without one the seat is not asked for until the link is up
    // (or, at the link timeout, the snapshot goes to A2's DHT mailbox instead).
    e.stage = Stage::Linking;
    e.deadline = now + config_.linkTimeout;
    out(effect::Connect{device});
}

void HandoffMachine::resume(const SessionId& sid, const DeviceId& device, bool keep,
                            Millis expiresAt, Millis now)
{
    if (entries_.contains(sid)) return;
    Entry& e = entries_[sid];
    e.pushing = true;
    e.device = device;
    e.keep = keep;
    e.stage = Stage::Swapping;
    // As after reserve(): the SM ends the seat at its expiry and A1 hears it; this deadline is
    // only for an SM that never says.
    e.deadline = std::max(expiresAt, now) + config_.linkTimeout;
    e.linkLost = true; // onLinkUp sends the snapshot
    out(effect::Connect{device});
}

void HandoffMachine::onPull(const SessionId& sid, const DeviceId& from, bool keep, bool member,
                            bool linked, Millis now)
{
    if (!member) {
        out(effect::SendPullAnswer{sid, from, protocol::Code::NotFound,
                                   QStringLiteral("that device is not in the session")});
        return;
    }
    if (entries_.contains(sid)) {
        out(effect::SendPullAnswer{sid, from, protocol::Code::AlreadyHere, kUnderWay});
        return;
    }
    push(sid, from, PushOptions{keep, linked, false, 0}, now);
    entries_[sid].pulled = true;
}

void HandoffMachine::reserve(const SessionId& sid, Entry& e, Millis now)
{
    e.stage = Stage::Reserving;
    // The SM ends the seat at its TTL and A1 hears it; this deadline is only for an SM that
    // never answers (lost, or crashed before the seat was committed).
    e.deadline = now + e.ttl + config_.linkTimeout;
    out(effect::Reserve{sid, e.device, e.ttl, e.keep});
}

void HandoffMachine::store(const SessionId& sid, Entry& e, Millis now)
{
    // The seat and the stored value live equally long: the seat's TTL, within what the DHT
    // keeps. A2 coming online within it finds the SM's INVITE and the snapshot in its mailbox.
    e.stored = true;
    e.ttl = std::min(e.ttl, config_.maxStoredTtl);
    reserve(sid, e, now);
}

QString HandoffMachine::offlineReason(const Entry& e) const
{
    return QStringLiteral("the other device did not come online within %1 s")
        .arg((e.ttl + 999) / 1000);
}

void HandoffMachine::onStored(const SessionId& sid, bool ok, const QString& reason)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || !it->second.stored || ok) return;
    out(effect::CancelSeat{sid});
    fail(sid, QStringLiteral("the snapshot could not be stored for the offline device: ") + reason);
}

bool HandoffMachine::stored(const SessionId& sid) const
{
    auto it = entries_.find(sid);
    return it != entries_.end() && it->second.stored;
}

void HandoffMachine::cancel(const SessionId& sid)
{
    auto it = entries_.find(sid);
    if (it == entries_.end()) return;
    if (it->second.pushing && it->second.stage != Stage::Linking) {
        out(effect::CancelSeat{sid}); // the SM's Unreserve is the outcome: onSeatFailed
        return;
    }
    fail(sid, QStringLiteral("the hand-off was cancelled"));
}

void HandoffMachine::onSeatReserved(const SessionId& sid)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || !it->second.pushing || it->second.stage != Stage::Reserving) return;
    it->second.stage = Stage::Swapping;
    if (it->second.stored)
        out(effect::StoreSnapshot{sid, it->second.device, it->second.ttl});
    else if (!it->second.linkLost) // else onLinkUp sends it
        out(effect::SendSnapshot{sid, it->second.device});
}

void HandoffMachine::onSeatDone(const SessionId& sid)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || !it->second.pushing) return;
    const DeviceId device = it->second.device;
    entries_.erase(it);
    out(effect::Done{sid, device, true});
}

void HandoffMachine::onSeatFailed(const SessionId& sid, const QString& reason)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || !it->second.pushing) return;
    // A stored hand-off whose seat ran out (or whose INVITE went unanswered): A2 never came.
    if (it->second.stored && (reason == kExpired || reason == kUnreachable))
        return fail(sid, offlineReason(it->second));
    fail(sid, reason);
}

// ---------------------------------------------------------------------- A2

void HandoffMachine::pull(const SessionId& sid, const QList<DeviceId>& devices, bool keep,
                          Millis now)
{
    if (entries_.contains(sid)) {
        out(effect::Failed{sid, {}, kUnderWay, false});
        return;
    }
    if (devices.isEmpty()) {
        out(effect::Failed{
            sid, {}, QStringLiteral("no other device of this account is online"), false});
        return;
    }
    Entry& e = entries_[sid];
    e.stage = Stage::Pulling;
    e.asked = devices;
    e.keep = keep;
    e.pulled = true;
    e.deadline = now + config_.pullTimeout;
    for (const DeviceId& d : devices)
        out(effect::SendPull{sid, d, keep});
}

void HandoffMachine::onPullAnswer(const SessionId& sid, const DeviceId& from, const QString& reason)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || it->second.pushing) return;
    Entry& e = it->second;
    if (!e.device.isNull() && e.device == from) {
        fail(sid, reason); // the device that took the pull failed to push
        return;
    }
    if (e.stage != Stage::Pulling || !e.asked.removeOne(from)) return;
    e.lastRefusal = reason;
    if (e.asked.isEmpty()) fail(sid, reason);
}

void HandoffMachine::onInvite(const SessionId& sid, const DeviceId& replaces, Millis now)
{
    auto it = entries_.find(sid);
    if (it != entries_.end() && it->second.pushing) return;
    Entry* e = arriving(sid, replaces, now);
    if (!e) return;
    e->haveInvite = true;
    if (e->haveSnapshot) ready(sid, *e, now);
}

void HandoffMachine::onSnapshot(const SessionId& sid, const DeviceId& from, bool ok,
                                const QString& reason, bool member, Millis now)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() && member) return;
    if (it != entries_.end() && it->second.pushing) return;
    if (it != entries_.end() && !it->second.device.isNull() && it->second.device != from) return;
    if (!ok) {
        // Refused: the seat's INVITE (if it came) is declined, the SM ends the seat and A1
        // hears "declined"; here the reason says why.
        if (it != entries_.end() && it->second.haveInvite) out(effect::Decline{sid});
        entries_.erase(sid);
        out(effect::Failed{sid, from, QStringLiteral("the snapshot was refused: ") + reason,
                           false});
        return;
    }
    Entry* e = arriving(sid, from, now);
    if (!e) return;
    e->haveSnapshot = true;
    if (e->haveInvite) ready(sid, *e, now);
}

HandoffMachine::Entry* HandoffMachine::arriving(const SessionId& sid, const DeviceId& from,
                                                Millis now)
{
    auto [it, fresh] = entries_.try_emplace(sid);
    Entry& e = it->second;
    if (!fresh && e.stage != Stage::Pulling && e.stage != Stage::Waiting) return nullptr;
    if (!e.device.isNull() && e.device != from) return nullptr; // not the device that sent it
    e.device = from;
    if (fresh || e.stage == Stage::Pulling) { // the other half is due within the timeout
        e.stage = Stage::Waiting;
        e.deadline = now + config_.snapshotTimeout;
    }
    return &e;
}

void HandoffMachine::ready(const SessionId& sid, Entry& e, Millis now)
{
    if (e.pulled) {
        e.stage = Stage::Joining;
        e.deadline = now + config_.joinTimeout;
        out(effect::Accept{sid});
        return;
    }
    // The user decides; the seat's TTL at the SM bounds how long.
    e.stage = Stage::Offered;
    e.deadline = now + config_.seatTtl;
    out(effect::Offer{sid, e.device});
}

void HandoffMachine::answer(const SessionId& sid, bool accept, Millis now)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || it->second.stage != Stage::Offered) return;
    if (accept) {
        it->second.stage = Stage::Joining;
        it->second.deadline = now + config_.joinTimeout;
        out(effect::Accept{sid});
        return;
    }
    const DeviceId from = it->second.device;
    entries_.erase(it);
    out(effect::Decline{sid});
    out(effect::Failed{sid, from, QStringLiteral("declined on this device"), false});
}

void HandoffMachine::onAdmitted(const SessionId& sid)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || it->second.pushing || it->second.stage != Stage::Joining) return;
    const DeviceId from = it->second.device;
    entries_.erase(it);
    out(effect::Done{sid, from, false});
}

void HandoffMachine::onJoinFailed(const SessionId& sid, const QString& reason)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || it->second.pushing) return;
    fail(sid, reason);
}

void HandoffMachine::withdraw(const SessionId& sid, const DeviceId& from, const QString& reason)
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || it->second.pushing || it->second.device != from) return;
    if (it->second.stage != Stage::Waiting && it->second.stage != Stage::Offered) return;
    if (it->second.haveInvite) out(effect::Decline{sid});
    fail(sid, reason);
}

// ---------------------------------------------------------------------- both

void HandoffMachine::onLinkUp(const DeviceId& peer, Millis now)
{
    for (auto& [sid, e] : entries_) {
        if (!e.pushing || e.device != peer) continue;
        e.nextDial = e.dialGap = 0; // reached: a later loss dials at once again
        if (e.stage == Stage::Linking) {
            reserve(sid, e, now);
        } else if (e.linkLost || (e.stored && e.stage == Stage::Swapping)) {
            // Also a stored one: A2 may have read (and spent) the DHT's copy and restarted
            // since, and nothing of an offer is on its disk (docs/handoff.md "A2 restarted").
            e.linkLost = false;
            if (e.stage == Stage::Swapping) out(effect::SendSnapshot{sid, peer});
        }
    }
}

void HandoffMachine::onLinkDown(const DeviceId& peer)
{
    // Issue 15: A1 pushed over a link that A2 was closing (it had just left the session); the
    // snapshot went nowhere and A2, holding only the seat's INVITE, let it expire. A2 ignores
    // a second copy of the snapshot.
    for (auto& [sid, e] : entries_) {
        if (!atSeat(e, peer) || e.linkLost) continue;
        e.linkLost = true;
        out(effect::Connect{peer});
    }
}

void HandoffMachine::onOnline(const DeviceId& peer, Millis now, qint64 publishedMs)
{
    // A push stored while A2 looked offline: A2 reads the DHT's copy and spends it (its replay
    // memory), and links to the SM, not to us. Should it restart before it answers, nothing
    // would offer it the session again; a link of ours sees it go and sends the snapshot
    // again. A dial under way is not doubled (net::LinkManager::connectTo), but an A2 whose
    // presence outlived it (it quit without an offline record) would be dialed for the
    // seat's whole life: each dial that brings no link doubles the wait before the next.
    for (auto& [sid, e] : entries_) {
        if (!atSeat(e, peer) || !e.stored) continue;
        if (publishedMs > e.seenPublished) {
            if (e.seenPublished != 0) e.nextDial = e.dialGap = 0; // it published again
            e.seenPublished = publishedMs;
        }
        if (now < e.nextDial) continue;
        e.dialGap = e.dialGap == 0 ? config_.storedDialGap
                                   : std::min(2 * e.dialGap, config_.maxStoredDialGap);
        e.nextDial = now + e.dialGap;
        e.linkLost = true;
        out(effect::Connect{peer});
    }
}

bool HandoffMachine::atSeat(const Entry& e, const DeviceId& peer)
{
    return e.pushing && e.device == peer &&
           (e.stage == Stage::Reserving || e.stage == Stage::Swapping);
}

void HandoffMachine::onTick(Millis now)
{
    QList<SessionId> due;
    for (const auto& [sid, e] : entries_)
        if (e.deadline <= now) due.append(sid);
    for (const SessionId& sid : due) {
        Entry& e = entries_[sid];
        switch (e.stage) {
        case Stage::Linking:
            // A2 is offline or its link does not come up: store and forward, unless A2 asked
            // (a pull: it is online and waits for the link) or it is switched off.
            if (config_.storeAndForward && !e.pulled)
                store(sid, e, now);
            else
                fail(sid, kUnreachable);
            break;
        case Stage::Reserving:
        case Stage::Swapping:
            out(effect::CancelSeat{sid});
            fail(sid, e.stored ? offlineReason(e) : kExpired);
            break;
        case Stage::Pulling:
            fail(sid, e.lastRefusal.isEmpty()
                          ? QStringLiteral("no other device of this account answered")
                          : e.lastRefusal);
            break;
        case Stage::Waiting:
            if (e.haveInvite) out(effect::Decline{sid});
            fail(sid, e.haveInvite ? QStringLiteral("the snapshot did not arrive")
                                   : QStringLiteral("the session's invitation did not arrive"));
            break;
        case Stage::Offered:
            fail(sid, kExpired);
            break;
        case Stage::Joining:
            fail(sid, QStringLiteral("the session did not admit this device in time"));
            break;
        }
    }
}

void HandoffMachine::fail(const SessionId& sid, const QString& reason)
{
    auto it = entries_.find(sid);
    if (it == entries_.end()) return;
    const Entry e = it->second;
    entries_.erase(it);
    if (e.pushing && e.pulled)
        out(effect::SendPullAnswer{sid, e.device, protocol::Code::Declined, reason});
    out(effect::Failed{sid, e.device, reason, e.pushing});
}

std::optional<Millis> HandoffMachine::nextDeadline() const
{
    std::optional<Millis> next;
    for (const auto& [sid, e] : entries_)
        if (!next || e.deadline < *next) next = e.deadline;
    return next;
}

std::optional<HandoffMachine::Stage> HandoffMachine::stage(const SessionId& sid) const
{
    auto it = entries_.find(sid);
    if (it == entries_.end()) return std::nullopt;
    return it->second.stage;
}

QList<HandoffMachine::Push> HandoffMachine::pushes() const
{
    QList<Push> out;
    for (const auto& [sid, e] : entries_)
        if (e.pushing) out.append({sid, e.device, e.keep});
    return out;
}

std::optional<DeviceId> HandoffMachine::peer(const SessionId& sid) const
{
    auto it = entries_.find(sid);
    if (it == entries_.end() || it->second.device.isNull()) return std::nullopt;
    return it->second.device;
}

QList<Effect> HandoffMachine::takeEffects()
{
    QList<Effect> e;
    e.swap(effects_);
    return e;
}

} // namespace plenum::handoff

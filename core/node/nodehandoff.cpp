#include "node/nodehandoff.h"

#include "handoff/snapshot.h"
#include "node/nodechat.h"
#include "session/roster.h"

#include "protocol/codec.h"

#include <QDateTime>
#include <QPointer>

namespace plenum::node {

using namespace protocol;
namespace fx = handoff::effect;

NodeHandoff::NodeHandoff(Deps deps, handoff::HandoffMachine::Config config, QObject* parent)
    : QObject(parent), deps_(std::move(deps)), machine_(config)
{
    if (!deps_.pushRecordPath.isEmpty()) pushFile_.emplace(deps_.pushRecordPath);
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, [this] {
        machine_.onTick(now());
        apply();
    });
    live_.setSingleShot(true);
    live_.setInterval(300);
    connect(&live_, &QTimer::timeout, this, [this] { Q_EMIT liveSessionsChanged(liveSessions()); });
    storedDial_.setInterval(kStoredDialMs);
    connect(&storedDial_, &QTimer::timeout, this, &NodeHandoff::dialStoredPushes);
}

void NodeHandoff::onSessionsChanged()
{
    if (!live_.isActive()) live_.start();
}

QList<identity::LiveSession> NodeHandoff::liveSessions() const
{
    QList<identity::LiveSession> out;
    for (const SessionId& sid : deps_.host.sessionIds()) {
        const session::Session* s = deps_.host.session(sid);
        if (!s || s->phase() != session::Session::Phase::Member) continue;
        QStringList names;
        for (const MemberInfo& m : s->committed().members)
            if (m.account != account() && !m.name.isEmpty() && !names.contains(m.name))
                names.append(m.name);
        QString title;
        if (names.isEmpty())
            title = QStringLiteral("only you");
        else if (names.size() == 1)
            title = names.front();
        else if (names.size() <= 3)
            title = names.first(names.size() - 1).join(QStringLiteral(", ")) +
                    QStringLiteral(" and ") + names.back();
        else
            title = names.first(2).join(QStringLiteral(", ")) +
                    QStringLiteral(" and %1 others").arg(names.size() - 2);
        if (title.size() > identity::PresenceRecord::kMaxTitleChars)
            title = title.left(identity::PresenceRecord::kMaxTitleChars - 1) + QChar(0x2026);
        out.append({sid, title});
        if (out.size() == identity::PresenceRecord::kMaxLiveSessions) break;
    }
    return out;
}

session::Millis NodeHandoff::now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

bool NodeHandoff::isHandoff(const Body& body)
{
    return std::holds_alternative<HandoffSnapshot>(body) ||
           std::holds_alternative<HandoffPull>(body) ||
           std::holds_alternative<HandoffPullAnswer>(body);
}

// ---- commands ----

Status NodeHandoff::push(const SessionId& sid, const DeviceId& to, bool keep, qint64 ttlMs)
{
    if (ttlMs < 0 || ttlMs > limits::kMaxHandoffTtlMs)
        return fail(QStringLiteral("the hand-off's time to live must be 1 s to %1 s")
                        .arg(limits::kMaxHandoffTtlMs / 1000));
    const session::Session* s = deps_.host.session(sid);
    if (!s || s->phase() != session::Session::Phase::Member)
        return fail("this device is not in that session");
    if (to == device()) return fail("that is this device");
    if (const auto other = deps_.keys.entry(to); other && other->account != account())
        return fail("that device belongs to another account");
    const bool linked = deps_.linkUp(to);
    handoff::HandoffMachine::PushOptions options;
    options.keep = keep;
    options.linked = linked;
    options.offline = !linked && deps_.online && !deps_.online(to);
    options.ttl = ttlMs;
    machine_.push(sid, to, options, now());
    apply();
    return Ok{};
}

Status NodeHandoff::pull(const SessionId& sid, const QList<DeviceId>& devices, bool keep)
{
    if (const session::Session* s = deps_.host.session(sid);
        s && s->phase() == session::Session::Phase::Member)
        return fail("this device is in that session already");
    QList<DeviceId> others = devices;
    others.removeAll(device());
    machine_.pull(sid, others, keep, now());
    apply();
    return Ok{};
}

Status NodeHandoff::answer(const SessionId& sid, bool accept)
{
    if (machine_.stage(sid) != handoff::HandoffMachine::Stage::Offered)
        return fail("there is no hand-off offer for that session");
    machine_.answer(sid, accept, now());
    apply();
    return Ok{};
}

Status NodeHandoff::cancel(const SessionId& sid)
{
    if (!machine_.stage(sid)) return fail("there is no hand-off of that session");
    machine_.cancel(sid);
    apply();
    return Ok{};
}

// ---- from the Node ----

void NodeHandoff::onInvited(const SessionId& sid, const Reservation& seat)
{
    if (seat.account != account() || seat.device != device()) {
        // Not our seat (the session core checked the inviter's identity, not this).
        deps_.host.decline(sid, now());
        deps_.runEffects();
        return;
    }
    if (seat.expiresAtMs != 0 && seat.expiresAtMs <= static_cast<std::uint64_t>(now())) {
        // An INVITE that waited in the DHT mailbox longer than its seat lives (this device
        // came online too late): the hand-off is over, A1 was told.
        Q_EMIT warning("a hand-off of " + sid.shortHex() +
                       " expired before this device came online");
        deps_.host.decline(sid, now());
        deps_.runEffects();
        return;
    }
    machine_.onInvite(sid, seat.replaces, now());
    apply();
}

void NodeHandoff::restore()
{
    // Read before anything is written over it (apply() records the pushes it resumes).
    QList<PendingPush> before;
    if (pushFile_) {
        if (auto read = pushFile_->read())
            before = read.value();
        else
            Q_EMIT warning("the record of hand-offs under way was skipped: " + read.error());
    }
    for (const SessionId& sid : deps_.host.sessionIds()) {
        const session::Session* s = deps_.host.session(sid);
        if (!s || s->phase() != session::Session::Phase::Member) continue;
        const auto seat = session::reservationReplacing(s->committed(), device());
        if (!seat) continue;
        machine_.resume(sid, seat->device, seat->keep, session::Millis(seat->expiresAtMs), now());
        // Whether the snapshot was stored died with the process: if this push fails, it is
        // taken back from the device's mailbox anyway (a withdrawal that voids nothing is
        // dropped there).
        storedPushes_[sid] = {seat->device, qint64(seat->expiresAtMs)};
        Q_EMIT resumed(sid, seat->device);
    }
    for (const PendingPush& p : before) {
        const session::Session* s = deps_.host.session(p.sid);
        // Resumed above; or no longer here (the swap committed just before the crash).
        if (machine_.stage(p.sid) || !s || s->phase() != session::Session::Phase::Member) continue;
        interrupted_.insert(p.sid);
        Q_EMIT failed(p.sid, p.device, true,
                      QStringLiteral("Plenum closed before the hand-off could finish"));
    }
    pushesOnDisk_ = before; // apply() writes what is left: the resumed ones
    apply();
}

void NodeHandoff::onSeatEvent(const SessionId& sid, const session::event::Handoff& e)
{
    using Stage = session::event::Handoff::Stage;
    switch (e.stage) {
    case Stage::Reserved:
        if (!machine_.stage(sid)) {
            // A seat nobody here drives: asked before a crash and committed after the restart,
            // or committed after its push gave up. Nobody would send the snapshot; withdrawn,
            // the session stays as it was. The user heard of a push the crash cut short.
            if (session::Session* s = deps_.host.session(sid)) {
                if (!interrupted_.remove(sid))
                    Q_EMIT warning("a hand-off seat of " + sid.shortHex() +
                                   " that no hand-off here asked for was withdrawn");
                s->cancelHandoff(now());
                deps_.runEffects();
            }
            return;
        }
        machine_.onSeatReserved(sid);
        break;
    case Stage::Done:
        machine_.onSeatDone(sid);
        break;
    case Stage::Failed:
        machine_.onSeatFailed(sid, e.reason);
        break;
    }
    apply();
}

void NodeHandoff::onAdmitted(const SessionId& sid)
{
    machine_.onAdmitted(sid);
    apply();
}

void NodeHandoff::onJoinFailed(const SessionId& sid, const QString& reason)
{
    machine_.onJoinFailed(sid, reason);
    apply();
}

void NodeHandoff::onLinkUp(const DeviceId& peer)
{
    for (qsizetype i = 0; i < waiting_.size();) {
        if (waiting_[i].first == peer) {
            deps_.send(peer, waiting_[i].second);
            waiting_.removeAt(i);
        } else {
            ++i;
        }
    }
    machine_.onLinkUp(peer, now());
    apply();
    for (const SessionId& sid : QList<SessionId>(accepting_.cbegin(), accepting_.cend()))
        if (accepting_.contains(sid) && readyToAccept(sid)) acceptNow(sid);
}

void NodeHandoff::onLinkDown(const DeviceId& peer)
{
    machine_.onLinkDown(peer);
    apply();
}

void NodeHandoff::onCallReady(const SessionId& sid)
{
    if (accepting_.contains(sid) && readyToAccept(sid)) acceptNow(sid);
}

void NodeHandoff::onMessage(const DeviceId& from, const Message& message)
{
    const SessionId& sid = message.header.sid;
    // Only this account's devices hand sessions to each other (their verified chains).
    const auto sender = deps_.keys.entry(from);
    if (!sender || sender->account != account()) {
        Q_EMIT warning("a hand-off message from " + from.shortHex() +
                       ", a device of another account, was dropped");
        return;
    }
    if (const auto* snapshot = std::get_if<HandoffSnapshot>(&message.body)) {
        onSnapshot(from, sid, *snapshot);
    } else if (const auto* pull = std::get_if<HandoffPull>(&message.body)) {
        const session::Session* s = deps_.host.session(sid);
        const bool member = s && s->phase() == session::Session::Phase::Member &&
                            session::member(s->committed(), device());
        machine_.onPull(sid, from, pull->keep, member, deps_.linkUp(from), now());
    } else if (const auto* answer = std::get_if<HandoffPullAnswer>(&message.body)) {
        machine_.onPullAnswer(sid, from,
                              answer->reason.isEmpty() ? codeText(answer->code) : answer->reason);
    }
    apply();
}

void NodeHandoff::onSnapshot(const DeviceId& from, const SessionId& sid,
                             const HandoffSnapshot& snapshot)
{
    // The SM never seats a device that is a member, so a snapshot for a session we are in
    // that opens no hand-off here is a late copy of the one that brought us here.
    const session::Session* s = deps_.host.session(sid);
    const bool member = s &&
                        (s->phase() == session::Session::Phase::Member ||
                         s->phase() == session::Session::Phase::Joining) &&
                        session::member(s->committed(), device());
    if (member && !machine_.stage(sid)) {
        Q_EMIT warning("a late copy of the hand-off snapshot for " + sid.shortHex() +
                       " was dropped: this device is in that session already");
        machine_.onSnapshot(sid, from, true, {}, member, now()); // which drops it
        return;
    }
    const auto verdict =
        handoff::checkSnapshot(sid, snapshot, from, device(), account(), deps_.keys);
    if (verdict.ok) {
        HandoffSnapshot kept = snapshot;
        // Messages whose authors we cannot check yet are left out: the anti-entropy on
        // admission brings them from their authors' co-members, checked then.
        kept.history.removeIf([&](const ChatMessage& m) {
            return std::any_of(
                verdict.unverified.cbegin(), verdict.unverified.cend(),
                [&](const ChatMessage& u) { return u.sender == m.sender && u.seq == m.seq; });
        });
        snapshots_[sid] = std::move(kept);
    }
    machine_.onSnapshot(sid, from, verdict.ok, verdict.reason, member, now());
    const auto stage = machine_.stage(sid);
    if (!verdict.ok || (stage != handoff::HandoffMachine::Stage::Waiting &&
                        stage != handoff::HandoffMachine::Stage::Offered))
        return;
    // A link to the SM that seats us: should this device restart before it answers, that
    // link coming back is what makes the SM send its INVITE again (Session::resendSeatInvite).
    // Only that one: starting the JOIN's other links here too made the whole hand-off slower
    // (handoff_bench 5 8: 161-172 ms against 120-126; their ICE competes with the INVITE).
    if (snapshot.sm != device() && !deps_.linkUp(snapshot.sm)) deps_.connect(snapshot.sm);
}

// ---- effects ----

void NodeHandoff::apply()
{
    // Effects may call into the session core, whose events come back here: the nested call
    // drains what they added, the outer loop what was there before.
    for (QList<handoff::Effect> effects = machine_.takeEffects(); !effects.isEmpty();
         effects = machine_.takeEffects()) {
        recordPushes();
        for (const handoff::Effect& e : effects)
            apply(e);
    }
    recordPushes(); // one that ended in a nested call
    arm();
}

void NodeHandoff::recordPushes()
{
    if (!pushFile_) return;
    QList<PendingPush> current;
    for (const auto& p : machine_.pushes())
        current.append({p.sid, p.device, p.keep});
    if (current == pushesOnDisk_) return;
    if (auto written = pushFile_->write(current); !written) {
        // The hand-off goes on; only a crash before its seat commits would go unreported.
        // Said once per state, not at every step while the disk refuses.
        if (current != pushesNotWritten_)
            Q_EMIT warning("a hand-off under way could not be recorded: " + written.error());
        pushesNotWritten_ = current;
        return;
    }
    pushesOnDisk_ = current;
    pushesNotWritten_.reset();
}

void NodeHandoff::apply(const handoff::Effect& effect)
{
    if (const auto* e = std::get_if<fx::Connect>(&effect)) {
        deps_.connect(e->device);
    } else if (const auto* e = std::get_if<fx::Reserve>(&effect)) {
        if (session::Session* s = deps_.host.session(e->sid)) {
            s->handoff(e->device, e->ttl, e->keep, now());
            deps_.runEffects();
        } else {
            machine_.onSeatFailed(e->sid, QStringLiteral("this device is not in that session"));
        }
    } else if (const auto* e = std::get_if<fx::CancelSeat>(&effect)) {
        if (session::Session* s = deps_.host.session(e->sid)) {
            s->cancelHandoff(now());
            deps_.runEffects();
        }
    } else if (const auto* e = std::get_if<fx::SendSnapshot>(&effect)) {
        sendSnapshot(e->sid, e->to);
    } else if (const auto* e = std::get_if<fx::StoreSnapshot>(&effect)) {
        storeSnapshot(e->sid, e->to, e->ttl);
    } else if (const auto* e = std::get_if<fx::SendPull>(&effect)) {
        const Message m{Header{e->sid, 0, 0, {}}, HandoffPull{e->keep}};
        if (deps_.linkUp(e->to)) {
            deps_.send(e->to, m);
        } else {
            waiting_.append({e->to, m});
            deps_.connect(e->to);
        }
    } else if (const auto* e = std::get_if<fx::SendPullAnswer>(&effect)) {
        deps_.send(e->to, Message{Header{e->sid, 0, 0, {}}, HandoffPullAnswer{e->code, e->reason}});
    } else if (const auto* e = std::get_if<fx::Offer>(&effect)) {
        if (stored_.contains(e->sid)) preconnect(e->sid); // while the user reads the offer
        Q_EMIT offered(e->sid, e->from);
    } else if (const auto* e = std::get_if<fx::Accept>(&effect)) {
        adopt(e->sid);
        const auto snap = snapshots_.find(e->sid);
        if (snap != snapshots_.end() && snap->second.call.inCall && deps_.joinStandby) {
            acceptWithCall(e->sid);
        } else if (!stored_.contains(e->sid) || linksReady(e->sid)) {
            // Only a device that just came online (the snapshot came from the DHT) waits for
            // its links; one that was online links within the JOIN's attempts (handoff_bench:
            // waiting there cost up to the full wait).
            acceptNow(e->sid);
        } else {
            accepting_.insert(e->sid);
            preconnect(e->sid);
            waitThenAccept(e->sid, kLinkWaitMs);
        }
    } else if (const auto* e = std::get_if<fx::Decline>(&effect)) {
        if (standby_.remove(e->sid) && deps_.endStandby) deps_.endStandby(e->sid);
        accepting_.remove(e->sid);
        stored_.remove(e->sid);
        snapshots_.erase(e->sid);
        if (deps_.host.session(e->sid)) {
            deps_.host.decline(e->sid, now());
            deps_.runEffects();
        }
    } else if (const auto* e = std::get_if<fx::Done>(&effect)) {
        storedPushes_.erase(e->sid);
        stored_.remove(e->sid);
        standby_.remove(e->sid); // the Node's done() makes the standby the call
        CallState call;
        if (auto it = snapshots_.find(e->sid); it != snapshots_.end()) {
            call = it->second.call;
            snapshots_.erase(it);
        }
        Q_EMIT done(e->sid, e->device, e->pushed, call);
    } else if (const auto* e = std::get_if<fx::Failed>(&effect)) {
        if (e->pushed) withdrawStored(e->sid);
        if (standby_.remove(e->sid) && deps_.endStandby) deps_.endStandby(e->sid);
        accepting_.remove(e->sid);
        stored_.remove(e->sid);
        snapshots_.erase(e->sid);
        Q_EMIT failed(e->sid, e->device, e->pushed, e->reason);
    }
}

std::optional<HandoffSnapshot> NodeHandoff::snapshotFor(const SessionId& sid, const DeviceId& to,
                                                        qsizetype maxBytes)
{
    const session::Session* s = deps_.host.session(sid);
    const auto seat = s ? session::reservationFor(s->committed(), to) : std::nullopt;
    if (!seat) return std::nullopt;
    handoff::SnapshotInput in;
    in.sid = sid;
    in.seat = *seat;
    in.roster = s->committed();
    in.epoch = s->epoch();
    if (auto h = deps_.history.lastMessages(account(), sid, int(limits::kMaxSnapshotMessages)))
        for (const auto& stored : h.value())
            in.history.append(stored.message);
    if (auto marks = deps_.history.maxima(account(), sid)) in.lastSeqs = marks.value();
    in.call = deps_.callState(sid);
    in.plainTyping = !deps_.chat.liveTyping();
    return handoff::makeSnapshot(in, deps_.sign, maxBytes);
}

void NodeHandoff::sendSnapshot(const SessionId& sid, const DeviceId& to)
{
    const auto snapshot = snapshotFor(sid, to, 0);
    if (!snapshot) {
        machine_.cancel(sid);
        return;
    }
    if (!deps_.linkUp(to)) {
        machine_.onLinkDown(to); // sent once the link is back (apply() takes its Connect)
        return;
    }
    deps_.send(
        to, Message{Header{sid, snapshot->epoch, snapshot->at.version, snapshot->sm}, *snapshot});
}

void NodeHandoff::preconnect(const SessionId& sid)
{
    auto it = snapshots_.find(sid);
    if (it == snapshots_.end()) return;
    for (const MemberInfo& m : it->second.members)
        if (needsLink(it->second, m.device) && !deps_.linkUp(m.device)) deps_.connect(m.device);
}

bool NodeHandoff::needsLink(const HandoffSnapshot& snapshot, const DeviceId& member) const
{
    // The INVITE's endpoints: every member but this device and the one the seat replaces
    // (unless it stays, or is the SM that admits us; Session::sendInvite).
    if (member == device()) return false;
    const Reservation& seat = snapshot.seat;
    return member != seat.replaces || seat.keep || seat.replaces == snapshot.sm;
}

bool NodeHandoff::linksReady(const SessionId& sid) const
{
    auto it = snapshots_.find(sid);
    if (it == snapshots_.end()) return true;
    return std::all_of(
        it->second.members.cbegin(), it->second.members.cend(),
        [&](const MemberInfo& m) { return m.device == device() || deps_.linkUp(m.device); });
}

bool NodeHandoff::readyToAccept(const SessionId& sid) const
{
    return (!stored_.contains(sid) || linksReady(sid)) &&
           (!standby_.contains(sid) || !deps_.standbyReady || deps_.standbyReady(sid));
}

void NodeHandoff::acceptWithCall(const SessionId& sid)
{
    // Make before break for the call: A2 joins it on standby with every member but A1 (the
    // same person; the user hears the call from A1 until the swap), opening the links it needs,
    // and accepts the seat once those streams are up. The swap then only switches which of
    // Alice's streams the members play (NodeCall).
    const HandoffSnapshot& snap = snapshots_.at(sid);
    QList<DeviceId> members;
    for (const MemberInfo& m : snap.members)
        if (m.device != device() && m.device != snap.seat.replaces) members.append(m.device);
    for (const DeviceId& d : std::as_const(members))
        if (!deps_.linkUp(d)) deps_.connect(d);
    if (deps_.joinStandby(sid, members, snap.call, snap.seat.replaces)) standby_.insert(sid);
    if (readyToAccept(sid)) return acceptNow(sid);
    accepting_.insert(sid);
    if (stored_.contains(sid)) preconnect(sid);
    waitThenAccept(sid, stored_.contains(sid) ? kLinkWaitMs : kCallWaitMs);
}

void NodeHandoff::waitThenAccept(const SessionId& sid, int ms)
{
    QPointer<NodeHandoff> self(this);
    QTimer::singleShot(ms, this, [self, sid, ms] {
        if (!self || !self->accepting_.contains(sid)) return;
        QStringList missing;
        if (auto it = self->snapshots_.find(sid); it != self->snapshots_.end())
            for (const MemberInfo& m : it->second.members)
                if (self->needsLink(it->second, m.device) && !self->deps_.linkUp(m.device))
                    missing.append(m.name.isEmpty() ? m.device.shortHex() : m.name);
        QString why;
        if (!missing.isEmpty()) why = "without links to " + missing.join(", ");
        if (self->standby_.contains(sid) && self->deps_.standbyReady &&
            !self->deps_.standbyReady(sid))
            why += QString(why.isEmpty() ? "" : " and ") + "with its call streams not all up";
        if (why.isEmpty()) return self->acceptNow(sid); // ready, and nothing said so
        Q_EMIT self->warning("the hand-off of " + sid.shortHex() + " joins " + why +
                             QStringLiteral(" (not ready within %1 s)").arg(ms / 1000));
        self->acceptNow(sid);
    });
}

void NodeHandoff::acceptNow(const SessionId& sid)
{
    accepting_.remove(sid);
    if (!deps_.host.session(sid)) return; // the INVITE was withdrawn meanwhile
    deps_.host.accept(sid, now());
    deps_.runEffects();
}

void NodeHandoff::adopt(const SessionId& sid)
{
    auto it = snapshots_.find(sid);
    if (it == snapshots_.end()) return;
    deps_.chat.adoptHandoff(sid, it->second.history);
    deps_.chat.setLiveTyping(!it->second.plainTyping);
}

void NodeHandoff::arm()
{
    const auto next = machine_.nextDeadline();
    if (!next) {
        timer_.stop();
        return;
    }
    timer_.start(int(std::clamp<session::Millis>(*next - now(), 0, 24 * 3600 * 1000)));
}

} // namespace plenum::node

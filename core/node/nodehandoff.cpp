#include "node/nodehandoff.h"

#include "handoff/snapshot.h"
#include "node/nodechat.h"
#include "session/roster.h"

#include <QDateTime>

namespace plenum::node {

using namespace protocol;
namespace fx = handoff::effect;

NodeHandoff::NodeHandoff(Deps deps, handoff::HandoffMachine::Config config, QObject* parent)
    : QObject(parent), deps_(std::move(deps)), machine_(config)
{
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, [this] {
        machine_.onTick(now());
        apply();
    });
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

Status NodeHandoff::push(const SessionId& sid, const DeviceId& to, bool keep)
{
    const session::Session* s = deps_.host.session(sid);
    if (!s || s->phase() != session::Session::Phase::Member)
        return fail("this device is not in that session");
    if (to == device()) return fail("that is this device");
    if (const auto other = deps_.keys.entry(to); other && other->account != account())
        return fail("that device belongs to another account");
    machine_.push(sid, to, keep, deps_.linkUp(to), now());
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
    machine_.onInvite(sid, seat.replaces, now());
    apply();
}

void NodeHandoff::onSeatEvent(const SessionId& sid, const session::event::Handoff& e)
{
    using Stage = session::event::Handoff::Stage;
    switch (e.stage) {
    case Stage::Reserved:
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
    machine_.onSnapshot(sid, from, verdict.ok, verdict.reason, now());
}

// ---- effects ----

void NodeHandoff::apply()
{
    // Effects may call into the session core, whose events come back here: the nested call
    // drains what they added, the outer loop what was there before.
    for (QList<handoff::Effect> effects = machine_.takeEffects(); !effects.isEmpty();
         effects = machine_.takeEffects())
        for (const handoff::Effect& e : effects)
            apply(e);
    arm();
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
        Q_EMIT offered(e->sid, e->from);
    } else if (const auto* e = std::get_if<fx::Accept>(&effect)) {
        adopt(e->sid);
        deps_.host.accept(e->sid, now());
        deps_.runEffects();
    } else if (const auto* e = std::get_if<fx::Decline>(&effect)) {
        snapshots_.erase(e->sid);
        if (deps_.host.session(e->sid)) {
            deps_.host.decline(e->sid, now());
            deps_.runEffects();
        }
    } else if (const auto* e = std::get_if<fx::Done>(&effect)) {
        bool call = false;
        if (auto it = snapshots_.find(e->sid); it != snapshots_.end()) {
            call = it->second.call.inCall;
            snapshots_.erase(it);
        }
        Q_EMIT done(e->sid, e->device, e->pushed, call);
    } else if (const auto* e = std::get_if<fx::Failed>(&effect)) {
        snapshots_.erase(e->sid);
        Q_EMIT failed(e->sid, e->device, e->pushed, e->reason);
    }
}

void NodeHandoff::sendSnapshot(const SessionId& sid, const DeviceId& to)
{
    const session::Session* s = deps_.host.session(sid);
    const auto seat = s ? session::reservationFor(s->committed(), to) : std::nullopt;
    if (!seat) {
        machine_.cancel(sid);
        return;
    }
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
    const HandoffSnapshot snapshot = handoff::makeSnapshot(in, deps_.sign);
    deps_.send(to,
               Message{Header{sid, snapshot.epoch, snapshot.at.version, snapshot.sm}, snapshot});
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

#include "node/nodecall.h"

#include "media/fileaudiodevice.h"
#include "net/controllink.h"
#include "protocol/limits.h"
#include "session/roster.h"

#include <QCoreApplication>
#include <QDateTime>

#include <algorithm>

namespace plenum::node {

using protocol::CallProbe;
using protocol::CallState;
using protocol::Message;

NodeCall::NodeCall(session::SessionHost& host, LinkSender send, LinkLookup link, QObject* parent)
    : QObject(parent), host_(host), send_(std::move(send)), link_(std::move(link))
{
    clock_.start();
    ticker_.setInterval(kStatsIntervalMs);
    connect(&ticker_, &QTimer::timeout, this, &NodeCall::tick);
    retry_.setSingleShot(true);
    retry_.setInterval(kMediaRetryMs);
    connect(&retry_, &QTimer::timeout, this, &NodeCall::reconcile);
    drain_.setSingleShot(true);
    drain_.setInterval(kHandOverDrainMs);
    connect(&drain_, &QTimer::timeout, this, [this] {
        if (!active_) stopEngine(); // the drain of a handed-over call ends
    });
}

NodeCall::~NodeCall()
{
    stopEngine();
}

bool NodeCall::isCall(const protocol::Body& body)
{
    return std::holds_alternative<CallState>(body) || std::holds_alternative<CallProbe>(body);
}

// ---- commands ----

Status NodeCall::join(const SessionId& sid)
{
    const session::Session* s = host_.session(sid);
    if (!s || s->phase() != session::Session::Phase::Member)
        return fail("this device is not a member of that session");
    if (active_ == sid && standby_) {
        // The swap committed: the standby's primed streams are the call from now, and the
        // members play them as their rosters make this device a member (nothing restarts).
        standby_ = false;
        standbyMembers_.clear();
        standbyFor_ = {};
        engine_->setDeafened(deafened_);
        sinceJoin_.start(); // the user joins now: what it hears is played from here
        bumpCounter();
        broadcast(sid);
        Q_EMIT callChanged(sid);
        reconcile(); // reports the first audio of every peer heard on standby: played now
        return Ok{};
    }
    if (active_ == sid) return Ok{};
    if (active_ && !standby_) (void)leave();
    if (auto ok = startEngine(sid); !ok) return ok;
    bumpCounter();
    broadcast(sid); // before any media offer: the others must know we are in the call first
    reconcile();
    Q_EMIT callChanged(sid);
    return Ok{};
}

Status NodeCall::joinStandby(const SessionId& sid, const QList<DeviceId>& members,
                             const CallState& carried, const DeviceId& replaces)
{
    if (active_ == sid) return Ok{};
    // In another call: that call is not broken for a standby; A2 joins at the swap instead.
    if (active_) return fail("this device is in another call");
    mutedBefore_ = muted_;
    deafenedBefore_ = deafened_;
    muted_ = carried.muted;
    deafened_ = carried.deafened;
    if (auto ok = startEngine(sid); !ok) {
        muted_ = mutedBefore_;
        deafened_ = deafenedBefore_;
        return ok;
    }
    standby_ = true;
    standbyWasReady_ = false;
    standbyMembers_ = members;
    standbyMembers_.removeAll(self());
    standbyFor_ = replaces;
    engine_->setDeafened(true); // A1 still plays the call; the user would hear it twice
    bumpCounter();
    broadcast(sid);
    reconcile();
    return Ok{};
}

void NodeCall::endStandby(const SessionId& sid)
{
    if (!standby_ || active_ != sid) return;
    active_.reset();
    muted_ = mutedBefore_;
    deafened_ = deafenedBefore_;
    bumpCounter();
    for (const DeviceId& d : std::as_const(standbyMembers_))
        sendState(sid, d); // not in the call (any more)
    stopEngine();
}

bool NodeCall::standbyReady(const SessionId& sid) const
{
    if (!standby_ || active_ != sid || !engine_) return false;
    const auto states = states_.find(sid);
    for (const DeviceId& d : standbyMembers_) {
        const net::ControlLink* link = link_(d);
        if (!link || link->state() != net::ControlLink::State::Up) return false;
        if (states == states_.end() || !states->second.contains(d)) return false;
        // A member in the call: its stream is open (its first packet here, or the stream up:
        // a silent member sends nothing under DTX). The swap is a few round trips and a
        // disk write later, by which time the member's jitter buffer holds this device too.
        if (states->second.value(d).inCall && !heardFrom_.contains(d) && !link->isMediaUp())
            return false;
    }
    return true;
}

void NodeCall::handOver(const SessionId& sid)
{
    if (active_ != sid || standby_ || !engine_) return onSessionGone(sid);
    // Out of the call here at once, but the stream runs on: a member that commits the swap
    // after this device did still plays it until its own commit switches it to A2 (its
    // reconcile stops the stream then); no CALL_STATE "left", which would cut it earlier.
    active_.reset();
    states_.erase(sid);
    told_.erase(sid);
    drain_.start();
    Q_EMIT callChanged(sid);
}

Status NodeCall::startEngine(const SessionId& sid)
{
    if (engine_) stopEngine(); // a handed-over call still draining
    auto device = factory_ ? factory_() : std::make_unique<media::FileAudioDevice>();
    if (!device) return fail("no audio device for the call");
    std::unique_ptr<media::AudioThread> audioThread;
    media::AudioDevice* raw = device.get();
    // A thread's event loop needs the application's (unit tests may have none).
    if (config_.audioThread && QCoreApplication::instance()) {
        audioThread = std::make_unique<media::AudioThread>();
        raw = audioThread->adopt(std::move(device));
    }
    auto engine = std::make_unique<media::CallEngine>(raw, config_);
    engine->setMuted(muted_ || deafened_);
    engine->setDeafened(deafened_);
    if (auto ok = engine->start(); !ok)
        return fail("the audio device did not start: " + ok.error());
    connect(engine.get(), &media::CallEngine::peerMediaDown, this,
            [this](const DeviceId& peer, const QString& reason) {
                // Taken out now; reconcile() puts it back (a new stream) if both ends still
                // are in the call, after a pause so a peer that refuses is not hammered.
                if (engine_) engine_->removePeer(peer);
                if (!active_) return; // a handed-over call's drain: the member switched
                Q_EMIT warning("the media stream with " + peer.shortHex() +
                               " went down: " + reason);
                retry_.start();
            });
    connect(engine.get(), &media::CallEngine::firstPacket, this, [this](const DeviceId& peer) {
        if (!active_ || heardFrom_.contains(peer)) return;
        heardFrom_.insert(peer);
        reportAudio();
        checkStandby();
    });
    audioThread_ = std::move(audioThread);
    ownDevice_ = std::move(device);
    device_ = raw;
    engine_ = std::move(engine);
    active_ = sid;
    heardFrom_.clear();
    reported_.clear();
    sinceJoin_.start();
    ticker_.start();
    return Ok{};
}

Status NodeCall::leave()
{
    if (!active_ || standby_) return fail("this device is not in a call");
    const SessionId sid = *active_;
    active_.reset();
    bumpCounter();
    broadcast(sid);
    stopEngine();
    Q_EMIT callChanged(sid);
    return Ok{};
}

void NodeCall::setMuted(bool muted)
{
    if (muted_ == muted) return;
    muted_ = muted;
    if (engine_) engine_->setMuted(muted_ || deafened_);
    bumpCounter();
    if (active_) {
        broadcast(*active_);
        Q_EMIT callChanged(*active_);
    }
}

void NodeCall::setDeafened(bool deafened)
{
    if (deafened_ == deafened) return;
    deafened_ = deafened;
    if (engine_) {
        engine_->setMuted(muted_ || deafened_); // a deafened member is not heard either
        engine_->setDeafened(deafened_);
    }
    bumpCounter();
    if (active_) {
        broadcast(*active_);
        Q_EMIT callChanged(*active_);
    }
}

QList<NodeCall::Member> NodeCall::members(const SessionId& sid) const
{
    QList<Member> out;
    const session::Session* s = host_.session(sid);
    if (!s) return out;
    if (active_ == sid && !standby_) {
        const auto& me = host_.self();
        out.append({me.device, me.account, me.name, true, muted_, deafened_,
                    engine_ && engine_->localSpeaking(), true,
                    engine_ && !muted_ ? engine_->localLevelDb() : -96.0});
    }
    auto it = states_.find(sid);
    if (it == states_.end()) return out;
    for (const auto& m : s->committed().members) {
        const auto st = it->second.constFind(m.device);
        if (m.device == self() || st == it->second.cend() || !st->inCall) continue;
        Member member{m.device, m.account, m.name, false, st->muted, st->deafened};
        if (engine_ && active_ == sid && !standby_ && engine_->peers().contains(m.device)) {
            const auto heard = engine_->peerStats(m.device);
            member.speaking = heard.speaking;
            member.levelDb = heard.levelDb;
            const net::ControlLink* link = link_(m.device);
            member.mediaUp = link && link->isMediaUp();
        }
        out.append(member);
    }
    return out;
}

QList<NodeCall::PeerStats> NodeCall::stats() const
{
    QList<PeerStats> out;
    if (!engine_) return out;
    for (const DeviceId& peer : engine_->peers())
        out.append({peer, engine_->peerStats(peer),
                    rttMs_.contains(peer) ? std::optional(rttMs_.value(peer)) : std::nullopt});
    return out;
}

// ---- from the Node ----

void NodeCall::onRosterChanged(const SessionId& sid, const protocol::RosterSnapshot& roster)
{
    // Members added since we last told: they get our state (they may have missed it while
    // joining). Members gone: their state is forgotten.
    (void)roster;
    QSet<DeviceId> now;
    for (const DeviceId& d : callPeers(sid))
        now.insert(d);
    QSet<DeviceId>& told = told_[sid];
    for (const DeviceId& d : now)
        if (!told.contains(d)) sendState(sid, d);
    told = now;
    auto& states = states_[sid];
    bool changed = false;
    for (auto it = states.begin(); it != states.end();) {
        if (!isMember(sid, it.key()) && !isSeat(sid, it.key())) {
            changed = changed || it->inCall;
            it = states.erase(it);
        } else {
            ++it;
        }
    }
    reconcile();
    if (changed) Q_EMIT callChanged(sid);
}

void NodeCall::onSessionGone(const SessionId& sid)
{
    if (active_ == sid) {
        active_.reset();
        stopEngine();
    }
    states_.erase(sid);
    told_.erase(sid);
    Q_EMIT callChanged(sid);
}

void NodeCall::onLinkUp(const DeviceId& peer)
{
    if (net::ControlLink* link = link_(peer)) watch(link);
    for (const SessionId& sid : host_.sessionIds())
        if (isMember(sid, peer) || isSeat(sid, peer)) sendState(sid, peer);
    reconcile();
}

void NodeCall::onLinkDown(const DeviceId& peer)
{
    rttMs_.remove(peer);
    reconcile();
}

void NodeCall::onMessage(const DeviceId& from, const Message& message)
{
    const SessionId& sid = message.header.sid;
    // §5.1 rule 6: only a member speaks about its call state, and only about itself (the
    // body names no device: the link's verified peer is the one it is about). A hand-off
    // seat's device speaks about its standby the same way (it is played only once a member).
    // On standby, the device whose place it takes (A1, this account's) is heard as well.
    const bool replaced = standby_ && active_ == sid && from == standbyFor_;
    if (!isMember(sid, from) && !isSeat(sid, from) && !replaced) return;
    if (const auto* state = std::get_if<CallState>(&message.body))
        onState(sid, from, *state);
    else if (const auto* probe = std::get_if<CallProbe>(&message.body))
        onProbe(sid, from, *probe);
}

// ---- private ----

CallState NodeCall::ownState(const SessionId& sid) const
{
    const bool in = active_ == sid;
    return CallState{in, muted_, deafened_, counter_};
}

bool NodeCall::isMember(const SessionId& sid, const DeviceId& device) const
{
    const session::Session* s = host_.session(sid);
    if (!s || device == self()) return false;
    if (standby_ && active_ == sid && standbyMembers_.contains(device)) return true;
    return session::member(s->committed(), device) || session::member(s->accepted(), device);
}

bool NodeCall::isSeat(const SessionId& sid, const DeviceId& device) const
{
    const session::Session* s = host_.session(sid);
    if (!s || device == self()) return false;
    const auto& seats = s->committed().reservations;
    return std::any_of(seats.cbegin(), seats.cend(),
                       [&](const protocol::Reservation& r) { return r.device == device; });
}

QList<DeviceId> NodeCall::callPeers(const SessionId& sid) const
{
    QList<DeviceId> out;
    const session::Session* s = host_.session(sid);
    if (!s) return out;
    if (standby_ && active_ == sid && s->phase() != session::Session::Phase::Member)
        return standbyMembers_;
    for (const auto& m : s->committed().members)
        if (m.device != self()) out.append(m.device);
    for (const auto& r : s->committed().reservations)
        if (r.device != self() && !out.contains(r.device)) out.append(r.device);
    return out;
}

void NodeCall::checkStandby()
{
    if (!standby_ || standbyWasReady_ || !active_ || !standbyReady(*active_)) return;
    standbyWasReady_ = true;
    Q_EMIT standbyReadyChanged(*active_);
}

void NodeCall::bumpCounter()
{
    // Wall-clock milliseconds, so a restarted device's new state still beats its old one.
    const auto wall = std::uint64_t(std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch()));
    counter_ = std::min(std::max(counter_ + 1, wall), protocol::limits::kMaxCallCounter - 1);
}

void NodeCall::broadcast(const SessionId& sid)
{
    for (const DeviceId& d : callPeers(sid))
        sendState(sid, d);
}

void NodeCall::sendState(const SessionId& sid, const DeviceId& to)
{
    if (counter_ == 0) bumpCounter(); // never sent anything yet: "not in the call" from now
    send_(to, Message{host_.headerFor(sid), ownState(sid)});
}

void NodeCall::onState(const SessionId& sid, const DeviceId& from, const CallState& state)
{
    auto& states = states_[sid];
    const auto old = states.constFind(from);
    const bool known = old != states.cend();
    if (known && old->counter >= state.counter) return; // a late or repeated copy
    const bool visible =
        !known || old->inCall != state.inCall ||
        (state.inCall && (old->muted != state.muted || old->deafened != state.deafened));
    states.insert(from, state);
    // A1 muted or deafened on its device while this one stands by for it: the user's choice
    // holds here too (after the swap, it is this device's own).
    if (standby_ && active_ == sid && from == standbyFor_ && state.inCall &&
        (muted_ != state.muted || deafened_ != state.deafened)) {
        muted_ = state.muted;
        deafened_ = state.deafened;
        engine_->setMuted(muted_ || deafened_); // deafened on standby all along (see join)
        bumpCounter();
        broadcast(sid);
    }
    // The first word from this member: it may have missed ours while it was joining.
    if (!known) sendState(sid, from);
    if (active_ == sid && engine_ && !state.inCall) dropPeer(from);
    reconcile();
    checkStandby();
    if (visible && (known || state.inCall)) Q_EMIT callChanged(sid);
}

void NodeCall::onProbe(const SessionId& sid, const DeviceId& from, const CallProbe& probe)
{
    if (!probe.reply) {
        send_(from, Message{host_.headerFor(sid), CallProbe{probe.stampUs, true}});
        return;
    }
    const qint64 nowUs = clock_.nsecsElapsed() / 1000;
    if (probe.stampUs > std::uint64_t(nowUs)) return; // not ours
    rttMs_.insert(from, double(std::uint64_t(nowUs) - probe.stampUs) / 1000.0);
}

void NodeCall::reconcile()
{
    if (!engine_ || !active_) return;
    const auto states = states_.find(*active_);
    const session::Session* s = host_.session(*active_);
    QSet<DeviceId> wanted;
    if (s && states != states_.end())
        for (const DeviceId& d : callPeers(*active_)) {
            const auto st = states->second.constFind(d);
            net::ControlLink* link = link_(d);
            if (st != states->second.cend() && st->inCall && link &&
                link->state() == net::ControlLink::State::Up)
                wanted.insert(d);
        }
    for (const DeviceId& peer : engine_->peers())
        if (!wanted.contains(peer)) dropPeer(peer);
    const QList<DeviceId> have = engine_->peers();
    for (const DeviceId& peer : wanted) {
        if (have.contains(peer)) continue;
        net::ControlLink* link = link_(peer);
        watch(link);
        if (auto ok = engine_->addPeer(link); !ok)
            Q_EMIT warning("no media stream with " + peer.shortHex() + ": " + ok.error());
    }
    // Played: members only. A seat's device (A2 on standby) is heard once the swap makes it a
    // member, in the same commit that takes A1 out (so never both). On standby this device
    // plays nothing at all (deafened), and every peer counts.
    for (const DeviceId& peer : engine_->peers())
        engine_->setAudible(peer, standby_ || (s && session::member(s->committed(), peer)));
    reportAudio();
    checkStandby();
}

void NodeCall::reportAudio()
{
    // Played: this device is in the call (not on standby: deafened) and the peer is audible
    // (a member; a seat's device is not played before the swap).
    if (!engine_ || !active_ || standby_) return;
    for (const DeviceId& peer : engine_->peers())
        if (heardFrom_.contains(peer) && !reported_.contains(peer) && engine_->isAudible(peer)) {
            reported_.insert(peer);
            Q_EMIT firstAudio(*active_, peer, sinceJoin_.elapsed());
        }
}

void NodeCall::dropPeer(const DeviceId& peer)
{
    engine_->removePeer(peer);
    heardFrom_.remove(peer);
    reported_.remove(peer);
}

void NodeCall::watch(net::ControlLink* link)
{
    if (!link || watched_.value(link->peer()) == link) return;
    watched_.insert(link->peer(), link);
    const DeviceId peer = link->peer();
    // A stream the other end opened while this device does not count it in its call (it is
    // not in the call, or not in this call): closed again, so no media flows to a non-member.
    // A stream of this call that comes up may be the last one a standby waits for: a silent
    // member (DTX) sends no first packet to tell, and the next check came up to 400 ms later
    // (handoff_bench with a call at N = 8: the whole hand-off 529 ms, the stream up at 113).
    connect(link, &net::ControlLink::mediaUp, this, [this, peer] {
        if (engine_ && engine_->peers().contains(peer)) return checkStandby();
        if (net::ControlLink* l = link_(peer)) l->stopMedia();
    });
}

void NodeCall::tick()
{
    if (!active_ || !engine_) {
        ticker_.stop();
        return;
    }
    const auto stamp = std::uint64_t(clock_.nsecsElapsed() / 1000);
    for (const DeviceId& peer : engine_->peers())
        send_(peer, Message{host_.headerFor(*active_), CallProbe{stamp, false}});
    if (!standby_) Q_EMIT statsTick(*active_);
}

void NodeCall::stopEngine()
{
    ticker_.stop();
    retry_.stop();
    drain_.stop();
    standby_ = false;
    standbyMembers_.clear();
    standbyFor_ = {};
    if (engine_) {
        for (const DeviceId& peer : engine_->peers())
            engine_->removePeer(peer);
        engine_->stop();
    }
    engine_.reset();
    device_ = nullptr;
    ownDevice_.reset();
    audioThread_.reset();
    rttMs_.clear();
}

} // namespace plenum::node

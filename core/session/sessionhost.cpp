#include "session/sessionhost.h"

#include "session/roster.h"

namespace plenum::session {

using namespace protocol;

SessionHost::SessionHost(const SessionConfig& config, const MemberInfo& self, Outbox& io,
                         TicketAuthority& tickets, std::function<std::uint64_t()> random)
    : config_(config), self_(self), io_(io), tickets_(tickets), random_(std::move(random))
{
}

SessionHost::~SessionHost() = default;

SessionDeps SessionHost::deps()
{
    return SessionDeps{*this, tickets_, random_};
}

SessionId SessionHost::create(Millis now)
{
    nowHint_ = now;
    QByteArray raw(SessionId::size, '\0');
    for (int i = 0; i < raw.size(); i += 8) {
        const std::uint64_t r = random_();
        for (int b = 0; b < 8 && i + b < raw.size(); ++b)
            raw[i + b] = static_cast<char>(r >> (8 * b));
    }
    const SessionId sid = *SessionId::fromBytes(raw);
    auto& created = sessions_[sid];
    created = Session::create(config_, self_, sid, deps(), now);
    for (const DeviceId& peer : links_) // links are shared: tell it which are already up
        created->onLinkUp(peer, now);
    return sid;
}

void SessionHost::restore(const QList<SessionRecord>& records, Millis now)
{
    nowHint_ = now;
    for (const SessionRecord& r : records) {
        if (r.ended) {
            tombstones_[r.sid] = Tombstone::of(r);
            continue;
        }
        if (!contains(r.accepted, self_.device)) {
            // It acknowledged a roster that removes it and crashed before it could act on it:
            // it is out, and says so from now on (seed 20622).
            SessionRecord tomb = r;
            tomb.ended = true;
            persist(tomb);
            continue;
        }
        sessions_[r.sid] = Session::restore(config_, self_, r, deps(), now);
        for (const DeviceId& peer : links_)
            sessions_[r.sid]->onLinkUp(peer, now);
    }
}

Session* SessionHost::session(const SessionId& sid)
{
    auto it = sessions_.find(sid);
    return it == sessions_.end() ? nullptr : it->second.get();
}

protocol::Header SessionHost::headerFor(const SessionId& sid) const
{
    protocol::Header h;
    h.sid = sid;
    if (auto it = sessions_.find(sid); it != sessions_.end()) {
        h.epoch = it->second->epoch();
        h.version = it->second->committed().at.version;
        h.sm = it->second->sm();
    }
    return h;
}

QList<SessionId> SessionHost::sessionIds() const
{
    QList<SessionId> out;
    for (const auto& [sid, s] : sessions_)
        out.append(sid);
    return out;
}

void SessionHost::invite(const SessionId& sid, const AccountId& account,
                         const QList<DeviceId>& devices, Millis now)
{
    nowHint_ = now;
    if (Session* s = session(sid)) s->invite(account, devices, now);
    reap();
}

void SessionHost::accept(const SessionId& sid, Millis now)
{
    nowHint_ = now;
    if (Session* s = session(sid)) s->accept(now);
    reap();
}

void SessionHost::decline(const SessionId& sid, Millis now)
{
    nowHint_ = now;
    if (Session* s = session(sid)) s->decline(now);
    reap();
}

void SessionHost::leave(const SessionId& sid, Millis now)
{
    nowHint_ = now;
    if (Session* s = session(sid)) s->leave(now);
    reap();
}

void SessionHost::requestBaton(const SessionId& sid, Millis now)
{
    nowHint_ = now;
    if (Session* s = session(sid)) s->requestBaton(now);
}

void SessionHost::passBaton(const SessionId& sid, const DeviceId& to, Millis now)
{
    nowHint_ = now;
    if (Session* s = session(sid)) s->passBaton(to, now);
}

void SessionHost::answerBaton(const SessionId& sid, bool grant, Millis now)
{
    nowHint_ = now;
    if (Session* s = session(sid)) s->answerBaton(grant, now);
}

void SessionHost::onMessage(const DeviceId& from, const Message& m, Millis now)
{
    nowHint_ = now;
    Session* s = session(m.header.sid);
    if (!s) {
        answerUnknown(from, m, now);
    } else if (const auto* inv = std::get_if<Invite>(&m.body);
               inv && s->phase() == Session::Phase::Member) {
        send(from, Message{Header{m.header.sid, 0, 0, {}}, InviteAnswer{Code::AlreadyHere, self_}});
    } else {
        s->onMessage(from, m, now);
    }
    reap();
}

SessionHost::Tombstone SessionHost::Tombstone::of(const SessionRecord& r)
{
    // What it hands out is `accepted`, as committed when it is the committed roster.
    const bool committed = r.accepted.at == r.committed.at;
    Tombstone t{r.committed.at, r.accepted, r.grantedEpoch,
                committed ? r.committedSignature : r.acceptedSignature};
    t.told = deviceSet(r.accepted) | deviceSet(r.committed);
    for (const DeviceId& d : r.formerMembers)
        t.told.insert(d);
    return t;
}

bool SessionHost::provesMembership(const SessionId& sid, const Tombstone& t, const DeviceId& from,
                                   const SnapshotRequest& q) const
{
    // Rule 7's proof, as a member takes it (Session::provesMembership): a roster older than
    // ours that lists the asker, signed by an SM we can vouch for (us, or a device of our
    // rosters or one we saw removed). A member removed after we left is in none of our sets,
    // and may reach nobody but us (--handoff seeds 852659, 955489).
    if (!q.proof || !q.proof->full) return false;
    const Roster& p = *q.proof;
    if (!(p.at < t.accepted.at) || !contains(snapshotOf(p), from)) return false;
    if (p.sm != self_.device && !t.told.contains(p.sm)) return false;
    return config_.ruleOff(Rule::SignedRoster) || signedBySm(p, sid, tickets_);
}

void SessionHost::answerUnknown(const DeviceId& from, const Message& m, Millis now)
{
    // A session we left answers with the roster we left from (see Session::departedFrom).
    Header reply{m.header.sid, 0, 0, {}};
    std::optional<RosterStamp> accepted; // none: never had a record of it
    std::uint64_t votedIn = 0;           // without a record it holds no vote either
    if (auto t = tombstones_.find(m.header.sid); t != tombstones_.end()) {
        reply.epoch = t->second.committed.epoch;
        reply.version = t->second.committed.version;
        accepted = t->second.accepted.at;
        votedIn = t->second.grantedEpoch;
        // Only to who may still count us (Tombstone::told): anyone else who names the sid
        // learns no member (docs/security.md). Members of the last rosters alone were not
        // enough: an SM swapped out of its own hand-off holds no roster listing itself, and
        // learns it is out from us (--handoff seed 99912); we saw it removed.
        const auto* ask = std::get_if<SnapshotRequest>(&m.body);
        if (ask && accepted->epoch != 0 &&
            (t->second.told.contains(from) ||
             provesMembership(m.header.sid, t->second, from, *ask))) {
            // A member that still counts us asks for the roster we left with (it may be newer
            // than its own: docs/session.md, "Leavers"). It is a copy of its SM's proposal.
            const RosterSnapshot& a = t->second.accepted;
            Roster r;
            fillFull(r, a);
            r.committed = a.at == t->second.committed;
            r.base = t->second.committed;
            r.signature = t->second.signature; // members believe no snapshot without it
            send(from,
                 Message{Header{m.header.sid, a.at.epoch, t->second.committed.version, {}}, r});
        }
    }
    if (const auto* inv = std::get_if<Invite>(&m.body)) {
        AccountId inviter;
        const DeviceId asker = inv->referredBy.value_or(from);
        for (const MemberInfo& e : inv->endpoints)
            if (e.device == asker) inviter = e.account;
        if (blocked_.contains(inviter)) {
            send(from, Message{reply, InviteAnswer{Code::Offline, self_}});
            return;
        }
        int fromSender = 0;
        for (const auto& [pending, sender] : invitedBy_)
            fromSender += sender == from ? 1 : 0;
        if (fromSender >= kMaxInvitesPerSender ||
            invitedBy_.size() >= static_cast<std::size_t>(kMaxPendingInvites)) {
            refused(m.header.sid, from,
                    QStringLiteral("INVITE refused: too many pending invitations"), false);
            send(from, Message{reply, InviteAnswer{Code::Full, self_}});
            return;
        }
        invitedBy_[m.header.sid] = from;
        auto& created = sessions_[m.header.sid];
        created = Session::invited(config_, self_, from, m, deps(), now);
        for (const DeviceId& peer : links_) // links are shared: tell it which are already up
            created->onLinkUp(peer, now);
        return;
    }
    // A device that does not know the session says so (seed 004: 610 Session Not Known).
    if (std::holds_alternative<Join>(m.body))
        send(from, Message{reply, JoinAnswer{Code::SessionNotKnown}});
    else if (std::holds_alternative<Refer>(m.body) || std::holds_alternative<Rejoin>(m.body) ||
             std::holds_alternative<SnapshotRequest>(m.body))
        send(from, Message{reply, ErrorReply{Code::NotFound, QStringLiteral("no such session"),
                                             accepted, votedIn}});
    else if (std::holds_alternative<Hello>(m.body) || std::holds_alternative<Ping>(m.body) ||
             std::holds_alternative<Roster>(m.body))
        // It still counts us as a member (an SM's proposal, too): we left and our BYE was lost,
        // or we were removed.
        send(from,
             Message{reply, ErrorReply{Code::SessionNotKnown, QStringLiteral("not in this session"),
                                       accepted, votedIn}});
    else if (const auto* r = std::get_if<RequestSm>(&m.body))
        send(from, Message{reply, Vote{r->epoch, false, Vote::Refusal::NotMember}});
}

void SessionHost::onLinkUp(const DeviceId& peer, Millis now)
{
    nowHint_ = now;
    links_.insert(peer);
    for (auto& [sid, s] : sessions_)
        s->onLinkUp(peer, now);
    reap();
}

void SessionHost::onLinkDown(const DeviceId& peer, Millis now)
{
    nowHint_ = now;
    links_.remove(peer);
    for (auto& [sid, s] : sessions_)
        s->onLinkDown(peer, now);
    reap();
}

void SessionHost::onTick(const SessionId& sid, Millis now)
{
    nowHint_ = now;
    if (Session* s = session(sid)) s->onTick(now);
    reap();
}

void SessionHost::reap()
{
    for (auto it = invitedBy_.begin(); it != invitedBy_.end();) {
        const Session* s = session(it->first);
        const bool pending =
            s && (s->phase() == Session::Phase::Invited || s->phase() == Session::Phase::Joining);
        it = pending ? std::next(it) : invitedBy_.erase(it);
    }
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (it->second->phase() == Session::Phase::Gone) {
            io_.cancelTimer(it->first);
            it = sessions_.erase(it);
        } else {
            ++it;
        }
    }
}

// ----------------------------------------------------------------------- Outbox

void SessionHost::send(const DeviceId& to, const Message& message)
{
    io_.send(to, message);
}

void SessionHost::openLink(const SessionId& sid, const DeviceId& to)
{
    wanted_[to].insert(sid);
    if (links_.contains(to)) {
        // Already up (another session, or the peer, opened it): answer at once, since the
        // transport will not report it again.
        if (Session* s = session(sid); s && !s->linkedTo(to)) s->onLinkUp(to, nowHint_);
        return;
    }
    io_.openLink(sid, to);
}

void SessionHost::closeLink(const SessionId& sid, const DeviceId& to)
{
    auto it = wanted_.find(to);
    if (it != wanted_.end()) {
        it->remove(sid);
        if (!it->isEmpty()) return;
        wanted_.erase(it);
    }
    // Another session may use the link without having asked for it (the peer opened it).
    for (const auto& [other, s] : sessions_)
        if (other != sid && s->phase() == Session::Phase::Member && contains(s->accepted(), to))
            return;
    io_.closeLink(sid, to);
}

void SessionHost::setTimer(const SessionId& sid, Millis at)
{
    io_.setTimer(sid, at);
}

void SessionHost::cancelTimer(const SessionId& sid)
{
    io_.cancelTimer(sid);
}

void SessionHost::persist(const SessionRecord& record)
{
    if (record.ended) {
        tombstones_[record.sid] = Tombstone::of(record);
        // Bounded: the oldest tombstones go (a session id is random; order is arbitrary).
        while (tombstones_.size() > kMaxTombstones) {
            io_.forget(tombstones_.begin()->first);
            tombstones_.erase(tombstones_.begin());
        }
    }
    io_.persist(record);
}

void SessionHost::forget(const SessionId& sid)
{
    io_.forget(sid);
}

void SessionHost::notify(const SessionId& sid, const SessionEvent& event)
{
    io_.notify(sid, event);
}

bool SessionHost::knowsAnywhere(const DeviceId& peer) const
{
    if (wanted_.contains(peer)) return true;
    for (const auto& [sid, s] : sessions_)
        if (s->knows(peer)) return true;
    return false;
}

QList<protocol::Message> SessionHost::pingsFor(const DeviceId& peer) const
{
    QList<protocol::Message> out;
    for (const auto& [sid, s] : sessions_)
        if (auto ping = s->pingTo(peer)) out.append(std::move(*ping));
    return out;
}

void SessionHost::refused(const SessionId& sid, const DeviceId& from, const QString& reason,
                          bool outsider)
{
    ++refused_;
    // The link is closed only if no session of ours has a reason to hear from the sender.
    io_.refused(sid, from, reason, outsider && !knowsAnywhere(from));
}

} // namespace plenum::session

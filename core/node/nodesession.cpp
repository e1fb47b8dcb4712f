// Node: the session core's side — commands into it (create, invite, accept, leave, the baton)
// and the Outbox that carries out its queued effects in order (persist before send).
#include "node/node.h"

#include "identity/devicemailbox.h"
#include "net/linkmanager.h"
#include "protocol/codec.h"
#include "session/roster.h"

#include <QDateTime>

namespace plenum::node {

using protocol::Message;

namespace {

// First contact (no link yet) goes through the DHT mailbox, and only these (issue 6).
bool travelsByDht(const protocol::Body& body)
{
    return std::holds_alternative<protocol::Invite>(body) ||
           std::holds_alternative<protocol::InviteAnswer>(body) ||
           std::holds_alternative<protocol::Cancel>(body) ||
           std::holds_alternative<protocol::Rejoin>(body) ||
           std::holds_alternative<protocol::ErrorReply>(body);
}

// Tests only (Node::setForgedInvite): the INVITE a hostile inviter sends instead.
Message forgedInvite(const Message& message, const Node::ForgedInvite& f, const DeviceId& self,
                     const std::optional<protocol::Invite>& replayable)
{
    Message out = message;
    auto& invite = std::get<protocol::Invite>(out.body);
    if (f.replayReferral && replayable && !invite.referral) {
        invite.referredBy = replayable->referredBy;
        invite.referral = replayable->referral;
    }
    if (!f.name.isEmpty()) invite.inviterName = f.name;
    for (protocol::MemberInfo& e : invite.endpoints) {
        if (e.device != self) continue;
        if (!f.name.isEmpty()) e.name = f.name;
        if (f.account && !f.referrer) e.account = *f.account;
    }
    if (f.referrer) {
        invite.referredBy = *f.referrer;
        protocol::MemberInfo referrer{*f.referrer, f.account.value_or(AccountId{}), f.name,
                                      protocol::DeviceClass::Desktop, true};
        invite.endpoints.append(referrer);
    }
    return out;
}

} // namespace

// ---- commands ----

SessionId Node::create(std::uint32_t capacity, bool inviteOnly)
{
    host_->config().rules.capacity = capacity;
    host_->config().rules.inviteOnly = inviteOnly;
    host_->config().rules.owner = account();
    const SessionId sid = host_->create(now());
    runEffects();
    current_ = sid;
    chat_->open(sid);
    return sid;
}

CodedStatus Node::invite(const SessionId& sid, const AccountId& account, QList<DeviceId> devices)
{
    if (!host_->session(sid))
        return {int(protocol::Code::NotFound), QStringLiteral("there is no such session")};
    if (devices.isEmpty()) {
        if (!account_->watch(account)) return {0, QStringLiteral("the node is not connected yet")};
        devices = account_->onlineDevicesOf(account);
        if (devices.isEmpty()) {
            // A presence not watched before needs a DHT round trip: look again for a while.
            inviteWhenOnline(sid, account, kPresenceWaitMs);
            return {};
        }
    }
    host_->invite(sid, account, devices, now());
    runEffects();
    return {};
}

void Node::inviteWhenOnline(const SessionId& sid, const AccountId& account, int leftMs)
{
    QTimer::singleShot(kPresencePollMs, this, [this, sid, account, leftMs] {
        if (!host_->session(sid)) return;
        const QList<DeviceId> devices = account_->onlineDevicesOf(account);
        if (!devices.isEmpty()) {
            host_->invite(sid, account, devices, now());
            runEffects();
        } else if (leftMs > kPresencePollMs) {
            inviteWhenOnline(sid, account, leftMs - kPresencePollMs);
        } else {
            Q_EMIT inviteResult(sid, account, DeviceId{}, int(protocol::Code::Offline),
                                QStringLiteral("no device of that account is online"));
        }
    });
}

Status Node::accept(const SessionId& sid)
{
    if (!host_->session(sid)) return fail("there is no such invitation");
    current_ = sid;
    host_->accept(sid, now());
    runEffects();
    return Ok{};
}

Status Node::decline(const SessionId& sid)
{
    if (!host_->session(sid)) return fail("there is no such invitation");
    host_->decline(sid, now());
    runEffects();
    return Ok{};
}

Status Node::leave(const SessionId& sid)
{
    if (!host_->session(sid)) return fail("there is no such session");
    host_->leave(sid, now());
    runEffects();
    return Ok{};
}

std::optional<protocol::RosterSnapshot> Node::roster(const SessionId& sid) const
{
    const session::Session* s = host_->session(sid);
    if (!s) return std::nullopt;
    return s->committed();
}

QString Node::nameOf(const AccountId& account) const
{
    if (account == this->account()) return name();
    for (const SessionId& sid : host_->sessionIds())
        if (const session::Session* s = host_->session(sid))
            for (const auto& m : s->committed().members)
                if (m.account == account && !m.name.isEmpty()) return m.name;
    if (const QString known = account_->knownName(account); !known.isEmpty()) return known;
    return account.shortHex();
}

void Node::requestBaton(const SessionId& sid)
{
    host_->requestBaton(sid, now());
    runEffects();
}

void Node::passBaton(const SessionId& sid, const DeviceId& to)
{
    host_->passBaton(sid, to, now());
    runEffects();
}

void Node::answerBaton(const SessionId& sid, bool grant)
{
    host_->answerBaton(sid, grant, now());
    runEffects();
}

// ---- Outbox ----

void Node::runEffects()
{
    while (!effects_.empty())
        effects_.applyFirst(static_cast<session::Outbox&>(*this));
}

void Node::send(const DeviceId& to, const Message& message)
{
    if (forgedInvite_ && std::holds_alternative<protocol::Invite>(message.body)) {
        const ForgedInvite f = *std::exchange(forgedInvite_, std::nullopt);
        const auto& invite = std::get<protocol::Invite>(message.body);
        if (f.replayReferral && invite.referral) replayable_ = invite; // its chain added below
        send(to, forgedInvite(message, f, device(), replayable_));
        forgedInvite_ = f;
        return;
    }
    if (std::holds_alternative<protocol::Joined>(message.body) && invitedAt_.isValid() &&
        joinTrace_.joinedMs < 0)
        joinTrace_.joinedMs = invitedAt_.elapsed();
    if (const auto* invite = std::get_if<protocol::Invite>(&message.body)) {
        invitePeers_.insert(to);
        if (invite->referral && invite->referral->linkCert.isEmpty()) {
            // The session core passes on the referrer's signature; its chain is ours to add
            // (verified on our link to it). Without one the invitee could not check it.
            Message withChain = message;
            auto& referral = std::get<protocol::Invite>(withChain.body).referral;
            const auto chain =
                invite->referredBy ? linkChains_.value(*invite->referredBy) : QList<QByteArray>{};
            if (chain.size() == 3)
                *referral = {referral->signature, chain[0], chain[1], chain[2],
                             referral->issuedAtMs};
            else
                referral.reset();
            send(to, withChain);
            return;
        }
    }
    net::ControlLink* link = links_ ? links_->link(to) : nullptr;
    if (link && link->state() == net::ControlLink::State::Up) {
        sendOnLink(to, message);
    } else if (mailbox_ && travelsByDht(message.body)) {
        mailbox_->send(to, identity::RequestKind::Invitation, protocol::encode(message));
    }
    // Anything else needs a link; the session core re-sends once the link is up.
}

void Node::openLink(const SessionId&, const DeviceId& to)
{
    if (links_ && to != device()) links_->connectTo(to);
}

void Node::closeLink(const SessionId&, const DeviceId& to)
{
    if (links_) links_->disconnectFrom(to, QStringLiteral("no session needs this link"));
}

void Node::setTimer(const SessionId& sid, session::Millis at)
{
    auto& timer = timers_[sid];
    if (!timer) {
        timer = std::make_unique<QTimer>();
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
        connect(timer.get(), &QTimer::timeout, this, [this, sid] {
            host_->onTick(sid, now());
            runEffects();
            chat_->flush();
        });
    }
    timer->start(int(std::clamp<session::Millis>(at - now(), 0, 24 * 3600 * 1000)));
}

void Node::cancelTimer(const SessionId& sid)
{
    if (auto it = timers_.find(sid); it != timers_.end()) it->second->stop();
}

void Node::persist(const session::SessionRecord& record)
{
    if (auto s = records_.write(record); !s) Q_EMIT warning(s.error());
}

void Node::forget(const SessionId& sid)
{
    if (auto s = records_.remove(sid); !s) Q_EMIT warning(s.error());
    if (auto it = timers_.find(sid); it != timers_.end()) {
        it->second->stop();
        it->second.release()->deleteLater();
        timers_.erase(it);
    }
}

void Node::notify(const SessionId& sid, const session::SessionEvent& event)
{
    namespace ev = session::event;
    if (std::holds_alternative<ev::RosterCommitted>(event) ||
        std::holds_alternative<ev::Left>(event) || std::holds_alternative<ev::Removed>(event))
        handoff_->onSessionsChanged(); // the live sessions in this device's presence
    if (const auto* e = std::get_if<ev::Invited>(&event); e && e->handoff) {
        // A seat of this account's hand-off: the snapshot decides, then the user (or the pull).
        handoff_->onInvited(sid, *e->handoff);
    } else if (const auto* e = std::get_if<ev::Invited>(&event)) {
        invitedAt_.start();
        joinTrace_ = {};
        Q_EMIT invited(sid, inviterOf(sid, e->from)); // never e->inviterName (issue 13)
        if (options_.autoAccept && host_->session(sid)) (void)accept(sid);
    } else if (const auto* e = std::get_if<ev::RosterCommitted>(&event)) {
        noteCommitted(sid, e->roster);
        chat_->onRosterCommitted(sid, e->roster);
        call_->onRosterChanged(sid, e->roster);
        browse_->onRosterCommitted(sid, e->roster);
        Q_EMIT rosterChanged(sid, e->roster);
    } else if (const auto* e = std::get_if<ev::Admitted>(&event)) {
        endInvitation(sid);
        current_ = sid;
        if (invitedAt_.isValid()) joinTrace_.admittedMs = invitedAt_.elapsed();
        noteCommitted(sid, e->roster);
        chat_->onAdmitted(sid, e->roster);
        call_->onRosterChanged(sid, e->roster);
        browse_->onRosterCommitted(sid, e->roster);
        Q_EMIT rosterChanged(sid, e->roster);
        handoff_->onAdmitted(sid);
    } else if (const auto* e = std::get_if<ev::BecameSm>(&event)) {
        Q_EMIT becameSm(sid, e->epoch);
    } else if (const auto* e = std::get_if<ev::InviteResult>(&event)) {
        Q_EMIT inviteResult(sid, e->account, e->device, int(e->code), protocol::codeText(e->code));
    } else if (const auto* e = std::get_if<ev::JoinFailed>(&event)) {
        endInvitation(sid);
        chat_->onShutOut(sid);
        Q_EMIT joinFailed(sid, int(e->code), e->reason);
        handoff_->onJoinFailed(sid, e->reason);
    } else if (std::holds_alternative<ev::Left>(event)) {
        endInvitation(sid);
        call_->onSessionGone(sid);
        browse_->onSessionGone(sid);
        Q_EMIT left(sid);
    } else if (const auto* e = std::get_if<ev::Removed>(&event)) {
        endInvitation(sid);
        call_->onSessionGone(sid);
        browse_->onSessionGone(sid);
        Q_EMIT removed(sid, e->rejoining);
    } else if (const auto* e = std::get_if<ev::Notice>(&event)) {
        Q_EMIT notice(sid, e->text);
    } else if (const auto* e = std::get_if<ev::BatonChanged>(&event)) {
        browse_->onBaton(sid, e->baton);
    } else if (const auto* e = std::get_if<ev::BatonRequested>(&event)) {
        Q_EMIT batonRequested(sid, e->from);
    } else if (const auto* e = std::get_if<ev::BatonRefused>(&event)) {
        Q_EMIT batonRefused(sid, e->text);
    } else if (const auto* e = std::get_if<ev::Handoff>(&event)) {
        handoff_->onSeatEvent(sid, *e);
    }
}

void Node::refused(const SessionId& sid, const DeviceId& from, const QString& reason, bool outsider)
{
    // §5.1 rule 6: said in words; an outsider (no session of ours knows it) loses its link.
    Q_EMIT warning("session " + sid.shortHex() + ", from " + from.shortHex() + ": " + reason);
    if (outsider && links_) links_->disconnectFrom(from, reason);
}

void Node::noteCommitted(const SessionId& sid, const protocol::RosterSnapshot& roster)
{
    const QSet<DeviceId> members = session::deviceSet(roster);
    QSet<DeviceId>& before = committedMembers_[sid];
    for (const DeviceId& gone : before - members) {
        if (formerMembers_.size() >= kMaxFormerMembers)
            formerMembers_.erase(formerMembers_.begin());
        formerMembers_.insert(gone);
    }
    before = members;
}

} // namespace plenum::node

// Node: the network's side — messages from links and the DHT mailbox routed to the parts,
// link up/down, and relayed signaling (issue 11).
#include "node/node.h"

#include "chat/chatsignature.h"
#include "identity/devicemailbox.h"
#include "net/linkmanager.h"
#include "node/linkping.h"
#include "protocol/claims.h"
#include "protocol/codec.h"
#include "session/roster.h"

namespace plenum::node {

using protocol::Message;

void Node::sendOnLink(const DeviceId& to, const Message& message)
{
    net::ControlLink* link = links_ ? links_->link(to) : nullptr;
    if (link && link->state() == net::ControlLink::State::Up) {
        if (auto s = link->send(protocol::encode(message)); !s)
            Q_EMIT warning("a message to " + to.shortHex() + " was not sent: " + s.error());
    }
}

Status Node::injectChat(const SessionId& sid, const DeviceId& to, protocol::ChatMessage message,
                        bool sign)
{
    if (!host_->session(sid)) return fail("no such session");
    net::ControlLink* link = links_ ? links_->link(to) : nullptr;
    if (!link || link->state() != net::ControlLink::State::Up)
        return fail("no link to that device");
    if (sign) chat::signChat(message, sid, profile_.device.linkKey());
    sendOnLink(to, Message{host_->headerFor(sid), message});
    return Ok{};
}

Status Node::injectNewerEpochRoster(const SessionId& sid, const DeviceId& to,
                                    const DeviceId& leaveOut)
{
    const session::Session* s = host_->session(sid);
    if (!s) return fail("no such session");
    net::ControlLink* link = links_ ? links_->link(to) : nullptr;
    if (!link || link->state() != net::ControlLink::State::Up)
        return fail("no link to that device");
    protocol::Roster r;
    session::fillFull(r, s->committed());
    r.committed = true;
    r.at = protocol::RosterStamp{r.at.epoch + 5, r.at.version + 5};
    r.sm = device();
    r.members.removeIf([&](const protocol::MemberInfo& m) { return m.device == leaveOut; });
    r.signature = tickets_.sign(protocol::rosterSigningBytes(sid, session::snapshotOf(r), true));
    sendOnLink(to, Message{protocol::Header{sid, r.at.epoch, r.at.version, device()}, r});
    return Ok{};
}

// ---- inputs ----

void Node::onRequest(const identity::OpenedEnvelope& request)
{
    if (request.kind == identity::RequestKind::HandoffNotice && handoff_)
        return handoff_->onStored(request); // a snapshot stored while we were offline
    if (request.kind != identity::RequestKind::Invitation || !request.chain) return;
    tickets_.learn(request.sender, request.senderKeyDer);
    tickets_.learnAccount(request.sender, request.chain->account);
    auto message = protocol::decode(request.body);
    if (!message) {
        Q_EMIT warning("an invalid request from " + request.sender.shortHex() + ": " +
                       message.error());
        return;
    }
    if (const QString why =
            protocol::checkSelfClaim(message->body, request.sender, request.chain->account);
        !why.isEmpty()) {
        Q_EMIT warning("a request from " + request.sender.shortHex() + " was dropped: " + why);
        return;
    }
    if (!admitInvite(message.value(), request.sender, request.chain->account)) return;
    if (std::holds_alternative<protocol::Invite>(message->body) && invitePeers_.size() < 4096)
        invitePeers_.insert(request.sender);
    host_->onMessage(request.sender, message.value(), now());
    runEffects();
}

void Node::onLinkMessage(const DeviceId& from, const QByteArray& bytes)
{
    auto message = protocol::decode(bytes);
    if (!message) {
        Q_EMIT warning("an invalid message from " + from.shortHex() + ": " + message.error());
        return;
    }
    // Identity binding: what the sender says about itself must match its verified chain.
    if (protocol::selfClaim(message->body)) {
        const auto key = linkKeys_.entry(from);
        const QString why = key ? protocol::checkSelfClaim(message->body, from, key->account)
                                : QStringLiteral("the link's chain is not known");
        if (!why.isEmpty()) {
            Q_EMIT warning("a message from " + from.shortHex() + " was dropped: " + why);
            return;
        }
    }
    if (std::holds_alternative<protocol::Invite>(message->body)) {
        const auto account = verifiedAccountOf(from);
        if (!account) {
            Q_EMIT warning("an INVITE from " + from.shortHex() +
                           " was refused: the link's chain is not known");
            return;
        }
        if (!admitInvite(message.value(), from, *account)) return;
    }
    if (std::holds_alternative<protocol::RelaySignal>(message->body) ||
        std::holds_alternative<protocol::RelayKeyRequest>(message->body) ||
        std::holds_alternative<protocol::RelayKey>(message->body) ||
        std::holds_alternative<protocol::RelayFailed>(message->body)) {
        onRelayMessage(from, message.value());
    } else if (NodeChat::isChat(message->body)) {
        chat_->onMessage(from, message.value());
    } else if (NodeCall::isCall(message->body)) {
        call_->onMessage(from, message.value());
    } else if (NodeBrowse::isBrowse(message->body)) {
        browse_->onMessage(from, message.value());
    } else if (NodeHandoff::isHandoff(message->body)) {
        handoff_->onMessage(from, message.value());
    } else {
        host_->onMessage(from, message.value(), now());
        runEffects();
    }
}

QByteArray Node::pingHeaderFor(const DeviceId& peer)
{
    // Persist before send: a header is not read while effects wait (a link can ping from
    // inside one, e.g. the OpenLink that made it), as a PING effect would have waited too.
    if (!host_ || !effects_.empty()) return {};
    QList<Message> rest;
    const QByteArray header =
        linkping::pack(host_->pingsFor(peer), net::ControlLinkConfig{}.maxPingHeader, &rest);
    // More sessions shared with this peer than one ping holds: the rest as messages, after
    // this ping went out (not from inside the link's own send).
    if (!rest.isEmpty())
        QTimer::singleShot(0, this, [this, peer, rest] {
            for (const Message& m : rest)
                sendOnLink(peer, m);
        });
    return header;
}

void Node::onLinkPing(const DeviceId& from, const QByteArray& header)
{
    if (header.isEmpty() || !host_) return;
    auto pings = linkping::unpack(header);
    if (!pings) {
        Q_EMIT warning("a ping from " + from.shortHex() + " was refused: " + pings.error());
        if (links_) links_->disconnectFrom(from, pings.error());
        return;
    }
    for (const Message& m : std::as_const(pings.value()))
        host_->onMessage(from, m, now());
    runEffects();
}

void Node::onLinkUp(const DeviceId& peer)
{
    if (signaling_) signaling_->onLinkUp(peer);
    host_->onLinkUp(peer, now());
    runEffects();
    chat_->onLinkUp(peer);
    call_->onLinkUp(peer);
    browse_->onLinkUp(peer);
    handoff_->onLinkUp(peer);
}

void Node::onLinkDown(const DeviceId& peer)
{
    host_->onLinkDown(peer, now());
    runEffects();
    chat_->onLinkDown(peer);
    call_->onLinkDown(peer);
    handoff_->onLinkDown(peer);
}

// ---- relayed signaling (issue 11) ----

bool Node::linkIsUp(const DeviceId& peer) const
{
    net::ControlLink* link = links_ ? links_->link(peer) : nullptr;
    return link && link->state() == net::ControlLink::State::Up;
}

std::optional<SignalRouter::Relay> Node::relayFor(const DeviceId& to) const
{
    // The SM of a session that knows `to` (DESIGN §3: the SM is linked to every member and,
    // once first contact is made, to the joiner). A joiner's link to the SM starts with its
    // other links (in any order), so the router waits for it, bounded by its deadline; anyone
    // else uses the SM only over a link that exists (no waiting while the SM is missing).
    for (const SessionId& sid : host_->sessionIds()) {
        session::Session* s = host_->session(sid);
        if (!s || !s->knows(to)) continue;
        const DeviceId sm = s->sm();
        if (sm.isNull() || sm == to || sm == device()) continue;
        const bool joining = s->phase() == session::Session::Phase::Joining;
        if (!joining && !linkIsUp(sm)) continue;
        return SignalRouter::Relay{sm, sid};
    }
    return std::nullopt;
}

void Node::onRelayMessage(const DeviceId& from, const Message& message)
{
    if (!signaling_) return;
    if (const auto* m = std::get_if<protocol::RelaySignal>(&message.body)) {
        if (m->delivered)
            signaling_->onRelaySignal(from, message.header.sid, *m);
        else
            relay_.onSignal(from, message.header, *m);
    } else if (const auto* m = std::get_if<protocol::RelayKeyRequest>(&message.body)) {
        relay_.onKeyRequest(from, message.header, *m);
    } else if (const auto* m = std::get_if<protocol::RelayKey>(&message.body)) {
        signaling_->onRelayKey(from, *m);
    } else if (const auto* m = std::get_if<protocol::RelayFailed>(&message.body)) {
        signaling_->onRelayFailed(from, *m);
    }
}

QHash<DeviceId, Node::LinkTiming> Node::linkTimings() const
{
    QHash<DeviceId, LinkTiming> out;
    if (!links_) return out;
    for (const DeviceId& peer : links_->peers())
        if (net::ControlLink* link = links_->link(peer))
            out.insert(peer, {link->iceConnectedMs(), link->tlsEstablishedMs(), link->answering(),
                              link->pingsSent(), link->messagesSent()});
    return out;
}

} // namespace plenum::node

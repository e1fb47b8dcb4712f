#include "node/nodechat.h"

#include "chat/chatsignature.h"

#include "chat/visibility.h"
#include "identity/contactlist.h"
#include "session/roster.h"

#include <QDateTime>

namespace plenum::node {

using protocol::ChatMessage;
using protocol::Message;

namespace {

session::Millis now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QList<DeviceId> othersIn(const protocol::RosterSnapshot& roster, const DeviceId& self)
{
    QList<DeviceId> out;
    for (const auto& m : roster.members)
        if (m.device != self) out.append(m.device);
    return out;
}

} // namespace

bool NodeChat::isChat(const protocol::Body& body)
{
    return std::holds_alternative<protocol::ChatMessage>(body) ||
           std::holds_alternative<protocol::ChatAck>(body) ||
           std::holds_alternative<protocol::Typing>(body) ||
           std::holds_alternative<protocol::HighWater>(body) ||
           std::holds_alternative<protocol::ChatPull>(body);
}

NodeChat::NodeChat(session::SessionHost& host, chat::HistoryStore& history,
                   const identity::ContactList& contacts, int joinerHistory, LinkSender send,
                   const crypto::LinkKeyRing& linkKeys, Signer sign, QObject* parent)
    : QObject(parent), host_(host), history_(history), contacts_(contacts),
      joinerHistory_(joinerHistory), send_(std::move(send)), linkKeys_(linkKeys),
      sign_(std::move(sign))
{
}

NodeChat::~NodeChat() = default;

// ---- commands ----

Result<std::uint64_t> NodeChat::say(const SessionId& sid, const QString& text,
                                    const QList<AccountId>& to)
{
    const session::Session* s = host_.session(sid);
    // While it rejoins (after a crash or a removal) what is said is held: stored, and sent
    // to the members once it is back (onAdmitted), or shown as not delivered if the group
    // refuses it (onShutOut).
    if (!s || (s->phase() != session::Session::Phase::Member && !s->rejoining()))
        return fail("this device is not a member of that session");
    if (auto ok = chat::checkOutgoingText(text); !ok) return Error{ok.error()};
    QList<DeviceId> recipients;
    for (const AccountId& a : to) {
        bool found = false;
        for (const auto& m : s->committed().members)
            if (m.account == a && m.device != device()) {
                recipients.append(m.device);
                found = true;
            }
        if (!found && a != account()) return fail("a side-chat recipient is not in the session");
    }
    if (!to.isEmpty() && recipients.isEmpty()) return fail("the side-chat has no recipient");
    Chat& c = chatOf(sid);
    ChatMessage m = c.sender->compose(text, recipients);
    sign_(m, sid); // DESIGN §6: every copy can be checked against its author
    // §5.1 rule 8: on disk before it leaves.
    history_.add(account(), sid, m, now());
    auto flushed = history_.flush();
    if (!flushed) return fail("the message could not be saved: " + flushed.error());
    c.sync->record(m);
    apply(sid, c.sender->send(m, now()));
    sendTyping(sid, c.typing.onSend(now()));
    return m.seq;
}

Status NodeChat::type(const SessionId& sid, const QString& text)
{
    const session::Session* s = host_.session(sid);
    if (!s || s->phase() != session::Session::Phase::Member)
        return fail("this device is not a member of that session");
    sendTyping(sid, chatOf(sid).typing.onEdit(text, now()));
    return Ok{};
}

void NodeChat::sendTyping(const SessionId& sid, const std::optional<protocol::Typing>& update)
{
    Chat& c = chatOf(sid);
    const session::Session* s = host_.session(sid);
    if (update && s)
        for (const DeviceId& peer : othersIn(s->committed(), device()))
            sendOnLink(peer, Message{host_.headerFor(sid), *update});
    if (auto at = c.typing.nextWake())
        c.typingTimer.start(int(std::clamp<session::Millis>(*at - now(), 0, 3600 * 1000)));
    else
        c.typingTimer.stop();
}

Status NodeChat::retry(const SessionId& sid, std::uint64_t seq)
{
    auto it = chats_.find(sid);
    if (it == chats_.end() || !it->second->sender->receipt(seq))
        return fail("there is no message of this device to retry");
    apply(sid, it->second->sender->retry(seq, now()));
    return Ok{};
}

Result<QList<chat::StoredMessage>> NodeChat::history(const SessionId& sid, int limit) const
{
    return history_.lastMessages(account(), sid, limit);
}

Result<QList<chat::StoredMessage>> NodeChat::historyBefore(const SessionId& sid,
                                                           std::uint64_t lamport,
                                                           const DeviceId& sender, int limit) const
{
    return history_.messagesBefore(account(), sid, lamport, sender, limit);
}

std::optional<chat::Receipt> NodeChat::receipt(const SessionId& sid, std::uint64_t seq) const
{
    auto it = chats_.find(sid);
    if (it == chats_.end()) return std::nullopt;
    return it->second->sender->receipt(seq);
}

void NodeChat::setLiveTyping(bool live)
{
    liveTyping_ = live;
    for (auto& [sid, c] : chats_)
        c->typing.setPlain(!live);
}

// ---- from the Node ----

void NodeChat::open(const SessionId& sid)
{
    chatOf(sid);
}

void NodeChat::restored(const SessionId& sid)
{
    Chat& c = chatOf(sid);
    c.wasMember = true;
    if (const session::Session* s = host_.session(sid); s && !s->committed().members.isEmpty())
        apply(sid, c.sender->setMembers(othersIn(s->committed(), device())));
}

void NodeChat::onRosterCommitted(const SessionId& sid, const protocol::RosterSnapshot& roster)
{
    Chat& c = chatOf(sid);
    for (const DeviceId& d : othersIn(roster, device()))
        if (!c.members.contains(d)) c.sync->sawJoin(d, c.sender->lamport(), now());
    c.members = othersIn(roster, device());
    apply(sid, c.sender->setMembers(c.members));
    broadcastHighWater(sid); // §5.1 rule 8: after every roster change
}

void NodeChat::onAdmitted(const SessionId& sid, const protocol::RosterSnapshot& roster)
{
    Chat& c = chatOf(sid);
    // A first join is owed only what follows its cut; a member coming back (REJOIN after a
    // crash or a removal) is owed everything it missed, so it takes no floors.
    if (!c.wasMember) c.sync->joined(c.sender->lamport());
    c.wasMember = true;
    c.members = othersIn(roster, device());
    apply(sid, c.sender->setMembers(c.members));
    // Back after a crash or a removal: what the members dropped while we were out (said
    // then, or sent before the link that carried it broke) goes again.
    apply(sid, c.sender->resendUnacknowledged(now()));
    broadcastHighWater(sid); // members answer a joiner with floors
}

void NodeChat::adoptHandoff(const SessionId& sid, const QList<protocol::ChatMessage>& history)
{
    for (const ChatMessage& m : history)
        history_.add(account(), sid, m, now());
    flush();
    Chat& c = chatOf(sid); // seeded from disk, the snapshot's messages included
    for (const ChatMessage& m : history)
        c.sync->record(m);
    c.wasMember = true;
}

void NodeChat::onShutOut(const SessionId& sid)
{
    if (auto it = chats_.find(sid); it != chats_.end()) apply(sid, it->second->sender->abandon());
}

void NodeChat::onLinkUp(const DeviceId& peer)
{
    for (auto& [sid, c] : chats_) {
        apply(sid, c->sender->onLinkUp(peer, now()));
        // §5.1 rule 8: after a re-link, exchange high-water marks.
        const session::Session* s = host_.session(sid);
        if (s && s->phase() == session::Session::Phase::Member &&
            session::member(s->committed(), peer))
            sendHighWater(sid, peer);
    }
}

void NodeChat::onLinkDown(const DeviceId& peer)
{
    for (auto& [sid, c] : chats_) {
        c->sender->onLinkDown(peer);
        c->sync->onLinkDown(peer);
    }
}

void NodeChat::onMessage(const DeviceId& from, const Message& message)
{
    const SessionId sid = message.header.sid;
    const session::Session* s = host_.session(sid);
    if (!s || s->phase() != session::Session::Phase::Member) return;
    const auto* author = session::member(s->accepted(), from) ? &s->accepted() : &s->committed();
    const auto who = session::member(*author, from);
    if (!who) return; // chat only from members (§5.1 rule 8 still applies per link)
    const bool blocked = contacts_.isBlocked(who->account); // as if we were offline
    Chat& c = chatOf(sid);
    if (const auto* m = std::get_if<ChatMessage>(&message.body)) {
        if (!blocked) onChatMessage(sid, from, *m);
    } else if (const auto* a = std::get_if<protocol::ChatAck>(&message.body)) {
        apply(sid, c.sender->onAck(from, *a));
    } else if (const auto* t = std::get_if<protocol::Typing>(&message.body)) {
        if (blocked) return;
        Q_EMIT typingState(sid, who->account, t->text, t->plain);
    } else if (const auto* hw = std::get_if<protocol::HighWater>(&message.body)) {
        onHighWater(sid, from, *hw);
    } else if (const auto* pull = std::get_if<protocol::ChatPull>(&message.body)) {
        answerPull(sid, from, *pull);
    }
}

// A message straight from its sender, or relayed by a member (a pull answer, or the SM's
// recent history for a joiner). Relayed ones must name the author the roster gives the
// sender, when the sender is a member.
void NodeChat::onChatMessage(const SessionId& sid, const DeviceId& from, const ChatMessage& m)
{
    const session::Session* s = host_.session(sid);
    if (m.seq == 0) return;
    for (const auto* roster : {&s->accepted(), &s->committed()})
        if (auto sender = session::member(*roster, m.sender); sender && sender->account != m.author)
            return;
    if (m.sender == from && !session::member(s->accepted(), from) &&
        !session::member(s->committed(), from))
        return;
    // DESIGN §6: every copy is checked against its author, whoever relayed it; only valid
    // copies are stored, so the first copy wins only among valid ones.
    if (const auto verdict = chat::verifyChat(m, sid, linkKeys_);
        verdict != chat::ChatVerdict::Valid && verdict != chat::ChatVerdict::Stub) {
        Q_EMIT warning("a chat message from " + from.shortHex() + " (sender " +
                       m.sender.shortHex() + ") was dropped: " + chat::verdictText(verdict));
        return;
    }
    Chat& c = chatOf(sid);
    if (contacts_.isBlocked(m.author)) {
        c.sync->record(m); // not kept, and not pulled again either
        return;
    }
    // A Lamport value far beyond our clock is refused, not adopted (nor stored: it would
    // come back on resume).
    if (!c.sender->observe(m.lamport)) {
        Q_EMIT warning("a chat message from " + from.shortHex() +
                       " was dropped: its Lamport clock is far beyond ours");
        return;
    }
    // Known = on disk or waiting for this turn's flush (below a joiner's floor is not known:
    // the SM's recent history for it lies there).
    // (From memory when the seq is newer than the sender's on disk: no query on the way to
    // showing a live message.)
    auto onDisk = history_.contains(account(), sid, m.sender, m.seq);
    bool known = onDisk && onDisk.value();
    for (const Stored& st : pendingStored_)
        known =
            known || (st.sid == sid && st.message.sender == m.sender && st.message.seq == m.seq);
    const bool gap = m.sender == from && m.seq > c.sync->highWater(m.sender) + 1;
    history_.add(account(), sid, m, now());
    pendingAcks_.append({sid, protocol::ChatAck{m.sender, m.seq}});
    pendingStored_.append({sid, m, m.sender != from});
    // Shown at once, acknowledged once on disk (flush): a crash in between loses nothing, as
    // the sender sends again what we did not acknowledge. Waiting for the disk cost the
    // reader the fsync's tail (issue 11: fan-out p99 10.3 ms at N = 8 on an idle machine).
    if (!known && (m.recipients.isEmpty() || m.recipients.contains(device())) && !m.text.isEmpty())
        Q_EMIT chatReceived(sid, m);
    if (!flushQueued_) {
        flushQueued_ = true;
        QTimer::singleShot(0, this, &NodeChat::flush);
    }
    // A hole in a sender's sequence: ask the others what they hold (§5.1 rule 8).
    if (gap && !known && c.sync->takeGapBroadcast(now())) {
        broadcastHighWater(sid);
        retryGapLater(sid);
    }
}

// A member answers HIGH_WATER at most once a second per peer, and drops what comes sooner;
// on a busy machine the gap broadcast can fall in that second and no one offers the hole.
// While a hole stays open, this device asks again, past each answer window, for a while.
void NodeChat::retryGapLater(const SessionId& sid)
{
    Chat& c = chatOf(sid);
    if (c.gapRetries > 0) return; // one retry chain per session
    c.gapRetries = kGapRetries;
    QTimer::singleShot(kGapRetryMs, this, [this, sid] { retryGap(sid); });
}

void NodeChat::retryGap(const SessionId& sid)
{
    auto it = chats_.find(sid);
    if (it == chats_.end()) return;
    Chat& c = *it->second;
    const session::Session* s = host_.session(sid);
    if (!s || s->phase() != session::Session::Phase::Member || !c.sync->hasGaps() ||
        --c.gapRetries <= 0) {
        c.gapRetries = 0; // the chain ends here, and the next hole may start another
        return;
    }
    if (c.sync->takeGapBroadcast(now())) broadcastHighWater(sid);
    QTimer::singleShot(kGapRetryMs, this, [this, sid] { retryGap(sid); });
}

void NodeChat::onHighWater(const SessionId& sid, const DeviceId& from,
                           const protocol::HighWater& hw)
{
    const session::Session* s = host_.session(sid);
    Chat& c = chatOf(sid);
    // A joiner whose commit we have not applied yet is a newcomer already.
    if (!session::member(s->committed(), from)) c.sync->sawJoin(from, c.sender->lamport(), now());
    if (c.sync->onHighWater(from, hw, now()))
        sendOnLink(from, Message{host_.headerFor(sid), c.sync->marksFor(from, now())});
    if (auto cut = c.sync->cutOf(from, now());
        cut && s->sm() == device() && joinerHistory_ > 0 && c.sync->takeHistoryTurn(from))
        sendRecentHistory(sid, from, *cut);
    pull(sid);
}

// DESIGN §6: a joiner may receive recent history (the last N messages to everyone before it
// joined; side-chats never).
void NodeChat::sendRecentHistory(const SessionId& sid, const DeviceId& to, std::uint64_t cut)
{
    const int n = std::clamp(joinerHistory_, 0, kMaxJoinerHistory);
    auto recent = history_.messagesBefore(account(), sid, cut + 1, DeviceId{}, 2 * n);
    if (!recent) return Q_EMIT warning("recent history for a joiner: " + recent.error());
    QList<ChatMessage> out;
    for (const auto& r : recent.value())
        if (r.message.recipients.isEmpty()) out.append(r.message);
    for (const ChatMessage& m : out.mid(std::max<qsizetype>(0, out.size() - n)))
        sendOnLink(to, Message{host_.headerFor(sid), m});
}

void NodeChat::answerPull(const SessionId& sid, const DeviceId& from, const protocol::ChatPull& p)
{
    if (p.fromSeq == 0 || p.toSeq < p.fromSeq) return;
    const std::uint64_t last = std::min(p.toSeq, p.fromSeq + kMaxPullAnswer - 1);
    auto held = history_.range(account(), sid, p.sender, p.fromSeq, last);
    if (!held) return;
    for (const ChatMessage& m : held.value())
        if (auto copy = chat::copyFor(m, from))
            sendOnLink(from, Message{host_.headerFor(sid), *copy});
}

void NodeChat::pull(const SessionId& sid)
{
    Chat& c = chatOf(sid);
    const auto pulls = c.sync->plan(now());
    for (const auto& p : pulls)
        sendOnLink(p.from, Message{host_.headerFor(sid), p.request});
    // Planned again, even if nothing else happens in the session meanwhile, while some peer
    // holds more than we do: a pull whose answer never completes (the peer left, its link
    // dropped), or whose copies could not be checked yet (after a restart, an author whose
    // chain we have not seen again) and were dropped. When every peer was asked, plan()
    // starts a fresh round only on its next call.
    if ((!pulls.isEmpty() || c.sync->behind()) && !c.pullRetryArmed) {
        c.pullRetryArmed = true;
        QTimer::singleShot(int(chat::ChatSync::kPullTimeoutMs) + 50, this, [this, sid] {
            auto it = chats_.find(sid);
            if (it == chats_.end()) return;
            it->second->pullRetryArmed = false;
            const session::Session* s = host_.session(sid);
            if (s && s->phase() == session::Session::Phase::Member) pull(sid);
        });
    }
}

void NodeChat::sendHighWater(const SessionId& sid, const DeviceId& to)
{
    sendOnLink(to, Message{host_.headerFor(sid), chatOf(sid).sync->marksFor(to, now())});
}

void NodeChat::broadcastHighWater(const SessionId& sid)
{
    const session::Session* s = host_.session(sid);
    if (!s) return;
    for (const DeviceId& peer : othersIn(s->committed(), device()))
        sendHighWater(sid, peer);
}

// Once per event-loop turn: one transaction for everything received, then the acks (DESIGN
// §6: a recipient acknowledges only what is on disk).
void NodeChat::flush()
{
    flushQueued_ = false;
    if (history_.queued() == 0 && pendingAcks_.isEmpty()) return;
    auto flushed = history_.flush();
    if (!flushed) {
        Q_EMIT warning("the chat history could not be written: " + flushed.error());
        return; // no acks: the senders retry
    }
    const auto acks = std::exchange(pendingAcks_, {});
    for (const auto& [sid, ack] : acks)
        sendOnLink(ack.sender, Message{host_.headerFor(sid), ack});
    // On disk now: counted by anti-entropy; pulled messages may let the next pull go out.
    QSet<SessionId> progressed;
    for (const auto& st : std::exchange(pendingStored_, {})) {
        if (!host_.session(st.sid)) continue;
        chatOf(st.sid).sync->record(st.message);
        if (st.relayed) progressed.insert(st.sid);
    }
    for (const SessionId& sid : progressed)
        pull(sid);
}

NodeChat::Chat& NodeChat::chatOf(const SessionId& sid)
{
    auto& c = chats_[sid];
    if (!c) {
        c = std::make_unique<Chat>();
        c->sender = std::make_unique<chat::ChatSender>(device(), account());
        c->typing.setPlain(!liveTyping_);
        c->sync = std::make_unique<chat::ChatSync>(device());
        // Who is already in (after a restart too): only later additions are newcomers.
        if (const session::Session* s = host_.session(sid))
            c->members = othersIn(s->committed(), device());
        if (auto stored = history_.messagesAfter(account(), sid, {}, kMaxSeededMessages))
            for (const ChatMessage& m : stored.value())
                c->sync->record(m);
        if (auto m = history_.ownMaxima(account(), sid, device()))
            c->sender->resume(m->lastSeq, m->maxLamport);
        for (const DeviceId& peer : host_.links())
            (void)c->sender->onLinkUp(peer, now());
        c->timer.setSingleShot(true);
        connect(&c->timer, &QTimer::timeout, this,
                [this, sid] { apply(sid, chatOf(sid).sender->onTick(now())); });
        c->typingTimer.setSingleShot(true);
        connect(&c->typingTimer, &QTimer::timeout, this,
                [this, sid] { sendTyping(sid, chatOf(sid).typing.onTick(now())); });
    }
    return *c;
}

void NodeChat::apply(const SessionId& sid, const chat::ChatSender::Output& out)
{
    for (const auto& o : out.sends) {
        if (dropTo_.contains(o.to)) continue; // fault injection (tests), see sendOnLink
        if (!o.message.text.isEmpty()) ++sentTo_[o.to];
        sendOnLink(o.to, Message{host_.headerFor(sid), o.message});
    }
    Chat& c = chatOf(sid);
    for (std::uint64_t seq : out.changed)
        if (auto r = c.sender->receipt(seq)) Q_EMIT receiptChanged(sid, seq, *r);
    armTimer(sid);
}

void NodeChat::armTimer(const SessionId& sid)
{
    Chat& c = chatOf(sid);
    if (auto at = c.sender->nextDeadline())
        c.timer.start(int(std::clamp<session::Millis>(*at - now(), 0, 3600 * 1000)));
    else
        c.timer.stop();
}

void NodeChat::sendOnLink(const DeviceId& to, const Message& message)
{
    // Fault injection (tests): every chat message to that device is lost, also the copies
    // anti-entropy sends in answer to a pull, or the message would arrive after all.
    if (dropTo_.contains(to) && std::holds_alternative<protocol::ChatMessage>(message.body)) return;
    send_(to, message);
}

} // namespace plenum::node

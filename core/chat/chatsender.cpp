#include "chat/chatsender.h"

#include "chat/visibility.h"

#include "protocol/limits.h"

#include <algorithm>

namespace plenum::chat {

using protocol::ChatMessage;

ChatSender::ChatSender(DeviceId self, AccountId account, Options options)
    : self_(self), account_(account), options_(options)
{
}

Status checkOutgoingText(const QString& text)
{
    if (text.isEmpty()) return fail(QStringLiteral("an empty message cannot be sent"));
    const qsizetype bytes = text.toUtf8().size();
    if (bytes > qsizetype(protocol::limits::kMaxChatTextBytes))
        return fail(QStringLiteral("the message is too long (%1 bytes; at most %2 can be sent)")
                        .arg(bytes)
                        .arg(protocol::limits::kMaxChatTextBytes));
    return Ok{};
}

bool lamportAcceptable(std::uint64_t clock, std::uint64_t lamport)
{
    if (lamport >= protocol::limits::kMaxChatCounter - kMaxLamportLead) return false;
    return lamport <= clock || lamport - clock <= kMaxLamportLead;
}

void ChatSender::resume(std::uint64_t lastSeq, std::uint64_t maxLamport)
{
    seq_ = std::max(seq_, lastSeq);
    if (maxLamport < protocol::limits::kMaxChatCounter - kMaxLamportLead)
        lamport_ = std::max(lamport_, maxLamport);
}

bool ChatSender::observe(std::uint64_t lamport)
{
    if (!lamportAcceptable(lamport_, lamport)) return false;
    lamport_ = std::max(lamport_, lamport);
    return true;
}

ChatMessage ChatSender::compose(const QString& text, const QList<DeviceId>& recipients)
{
    ChatMessage m;
    m.sender = self_;
    m.seq = ++seq_;
    m.lamport = ++lamport_;
    m.author = account_;
    m.text = text;
    for (const DeviceId& r : recipients)
        if (r != self_ && !m.recipients.contains(r)) m.recipients.append(r);
    return m;
}

QList<DeviceId> ChatSender::audience(const ChatMessage& message) const
{
    if (message.recipients.isEmpty()) return members_;
    QList<DeviceId> out;
    for (const DeviceId& r : message.recipients)
        if (members_.contains(r)) out.append(r);
    return out;
}

ChatSender::Output ChatSender::setMembers(const QList<DeviceId>& members)
{
    members_.clear();
    for (const DeviceId& m : members)
        if (m != self_ && !members_.contains(m)) members_.append(m);
    Output out;
    for (auto& [seq, t] : tracked_) {
        const auto erased =
            std::erase_if(t.waits, [this](const auto& w) { return !members_.contains(w.first); });
        if (erased > 0) out.changed.append(seq);
    }
    return out;
}

ChatSender::Output ChatSender::send(const ChatMessage& message, std::int64_t nowMs)
{
    Output out;
    Tracked t{message, {}};
    for (const DeviceId& peer : audience(message)) {
        t.waits[peer] = Wait{nowMs + options_.ackTimeoutMs, false, false};
        if (linksUp_.contains(peer)) out.sends.append({peer, message});
    }
    // Members outside a side-chat get a stub so that their per-sender sequence has no hole.
    if (!message.recipients.isEmpty())
        for (const DeviceId& peer : members_)
            if (!t.waits.count(peer) && linksUp_.contains(peer))
                out.sends.append({peer, stubOf(message)});
    tracked_[message.seq] = std::move(t);
    out.changed.append(message.seq);
    return out;
}

ChatSender::Output ChatSender::onAck(const DeviceId& from, const protocol::ChatAck& ack)
{
    Output out;
    if (ack.sender != self_) return out;
    auto t = tracked_.find(ack.seq);
    if (t == tracked_.end()) return out;
    auto w = t->second.waits.find(from);
    if (w == t->second.waits.end() || w->second.acked) return out;
    w->second.acked = true;
    out.changed.append(ack.seq);
    return out;
}

ChatSender::Output ChatSender::onLinkUp(const DeviceId& peer, std::int64_t nowMs)
{
    Output out;
    if (!linksUp_.contains(peer)) linksUp_.append(peer);
    // Retry everything this peer has not acknowledged, with a fresh timeout.
    for (auto& [seq, t] : tracked_) {
        auto w = t.waits.find(peer);
        if (w == t.waits.end() || w->second.acked) continue;
        if (w->second.timedOut) out.changed.append(seq);
        w->second = Wait{nowMs + options_.ackTimeoutMs, false, false};
        out.sends.append({peer, t.message});
    }
    return out;
}

void ChatSender::onLinkDown(const DeviceId& peer)
{
    linksUp_.removeAll(peer);
}

ChatSender::Output ChatSender::onTick(std::int64_t nowMs)
{
    Output out;
    for (auto& [seq, t] : tracked_) {
        bool changed = false;
        for (auto& [peer, w] : t.waits)
            if (!w.acked && !w.timedOut && nowMs >= w.deadline) {
                w.timedOut = true;
                changed = true;
            }
        if (changed) out.changed.append(seq);
    }
    return out;
}

ChatSender::Output ChatSender::retry(std::uint64_t seq, std::int64_t nowMs)
{
    Output out;
    auto t = tracked_.find(seq);
    if (t == tracked_.end()) return out;
    for (auto& [peer, w] : t->second.waits) {
        if (w.acked) continue;
        w = Wait{nowMs + options_.ackTimeoutMs, false, false};
        if (linksUp_.contains(peer)) out.sends.append({peer, t->second.message});
    }
    out.changed.append(seq);
    return out;
}

ChatSender::Output ChatSender::resendUnacknowledged(std::int64_t nowMs)
{
    Output out;
    for (const auto& [seq, t] : tracked_) {
        const bool waiting = std::any_of(t.waits.begin(), t.waits.end(),
                                         [](const auto& w) { return !w.second.acked; });
        if (!waiting) continue;
        Output one = retry(seq, nowMs);
        out.sends += one.sends;
        out.changed += one.changed;
    }
    return out;
}

ChatSender::Output ChatSender::abandon()
{
    Output out;
    for (auto& [seq, t] : tracked_) {
        bool changed = false;
        for (auto& [peer, w] : t.waits)
            if (!w.acked && !w.timedOut) w.timedOut = changed = true;
        if (changed) out.changed.append(seq);
    }
    return out;
}

std::optional<Receipt> ChatSender::receipt(std::uint64_t seq) const
{
    auto t = tracked_.find(seq);
    if (t == tracked_.end()) return std::nullopt;
    Receipt r;
    for (const auto& [peer, w] : t->second.waits) {
        if (w.acked) continue;
        (w.timedOut ? r.notDelivered : r.pending).append(peer);
    }
    r.state = !r.notDelivered.isEmpty() ? Delivery::NotDelivered
              : !r.pending.isEmpty()    ? Delivery::Pending
                                        : Delivery::Delivered;
    return r;
}

std::optional<std::int64_t> ChatSender::nextDeadline() const
{
    std::optional<std::int64_t> next;
    for (const auto& [seq, t] : tracked_)
        for (const auto& [peer, w] : t.waits)
            if (!w.acked && !w.timedOut && (!next || w.deadline < *next)) next = w.deadline;
    return next;
}

} // namespace plenum::chat

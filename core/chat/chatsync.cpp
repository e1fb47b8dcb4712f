#include "chat/chatsync.h"

namespace plenum::chat {

void ChatSync::sawJoin(const DeviceId& device, std::uint64_t lamport, std::int64_t nowMs)
{
    if (device == self_ || newcomers_.contains(device)) return;
    newcomers_.insert(device, Newcomer{lamport, nowMs});
}

std::optional<std::uint64_t> ChatSync::cutOf(const DeviceId& device, std::int64_t nowMs) const
{
    auto it = newcomers_.find(device);
    if (it == newcomers_.end() || nowMs - it->since > kNewcomerMs) return std::nullopt;
    return it->cut;
}

protocol::HighWater ChatSync::marksFor(const DeviceId& peer, std::int64_t nowMs) const
{
    return ae_.marks(cutOf(peer, nowMs));
}

bool ChatSync::onHighWater(const DeviceId& peer, const protocol::HighWater& marks,
                           std::int64_t nowMs)
{
    ae_.onHighWater(peer, marks);
    if (cutOf(peer, nowMs)) return true;
    QHash<DeviceId, std::uint64_t> theirs;
    for (const auto& m : marks.marks)
        theirs.insert(m.sender, m.seq);
    bool theyLack = false;
    for (const auto& mine : ae_.marks().marks)
        if (mine.seq > theirs.value(mine.sender, 0)) theyLack = true;
    if (!theyLack) return false;
    auto last = lastReply_.find(peer);
    if (last != lastReply_.end() && nowMs - *last < kReplyIntervalMs) return false;
    lastReply_.insert(peer, nowMs);
    return true;
}

QList<Pull> ChatSync::plan(std::int64_t nowMs)
{
    QList<Pull> out;
    QHash<DeviceId, std::uint64_t> asked;
    for (const chat::Pull& p : ae_.plan()) {
        const DeviceId& sender = p.request.sender;
        auto it = inFlight_.find(sender);
        if (it != inFlight_.end() && nowMs < it->deadline && ae_.highWater(sender) < it->toSeq)
            continue;
        out.append(p);
        asked[sender] = std::max(asked.value(sender, 0), p.request.toSeq);
    }
    for (auto it = asked.begin(); it != asked.end(); ++it)
        inFlight_.insert(it.key(), InFlight{it.value(), nowMs + kPullTimeoutMs});
    return out;
}

bool ChatSync::takeGapBroadcast(std::int64_t nowMs)
{
    if (nowMs - lastGapBroadcast_ < kGapHighWaterMs) return false;
    lastGapBroadcast_ = nowMs;
    return true;
}

bool ChatSync::takeHistoryTurn(const DeviceId& newcomer)
{
    if (historySent_.contains(newcomer)) return false;
    historySent_.insert(newcomer);
    return true;
}

} // namespace plenum::chat

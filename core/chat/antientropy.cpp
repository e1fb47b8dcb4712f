#include "chat/antientropy.h"

#include "protocol/limits.h"

#include <algorithm>

namespace plenum::chat {

using protocol::limits::kMaxPullSpan;

AntiEntropy::Sender& AntiEntropy::sender(const DeviceId& id)
{
    return senders_[id];
}

bool AntiEntropy::hasGaps() const
{
    for (const auto& [id, s] : senders_)
        if (!s.held.empty() && s.held.rbegin()->first > s.contiguous) return true;
    return false;
}

bool AntiEntropy::behind() const
{
    if (awaitingFloors_) return false;
    for (const auto& [peer, marks] : peerMarks_)
        for (const auto& [id, mark] : marks)
            if (id != self_ && mark > highWater(id)) return true;
    return false;
}

void AntiEntropy::advance(Sender& s)
{
    const std::uint64_t before = s.contiguous;
    s.contiguous = std::max(s.contiguous, s.floor);
    while (s.held.count(s.contiguous + 1))
        ++s.contiguous;
    if (s.contiguous != before) s.asked.clear();
}

void AntiEntropy::joinedAt(std::uint64_t cut)
{
    awaitingFloors_ = true;
    joined_ = true;
    cut_ = cut;
}

void AntiEntropy::record(const DeviceId& id, std::uint64_t seq, std::uint64_t lamport)
{
    Sender& s = sender(id);
    if (seq <= s.floor) return;
    s.held.emplace(seq, lamport);
    advance(s);
}

bool AntiEntropy::holds(const DeviceId& id, std::uint64_t seq) const
{
    auto s = senders_.find(id);
    return s != senders_.end() && (seq <= s->second.floor || s->second.held.count(seq));
}

std::uint64_t AntiEntropy::highWater(const DeviceId& id) const
{
    auto s = senders_.find(id);
    return s == senders_.end() ? 0 : s->second.contiguous;
}

protocol::HighWater AntiEntropy::marks(std::optional<std::uint64_t> joinerCut) const
{
    protocol::HighWater out;
    for (const auto& [id, s] : senders_) {
        if (s.contiguous == 0 && s.held.empty()) continue;
        out.marks.append({id, s.contiguous});
        if (!joinerCut) continue;
        // Lamport values grow with seq for each sender, so the messages after the cut are
        // a seq suffix; its start is one past the last held seq at or before the cut.
        std::uint64_t floor = s.floor;
        for (const auto& [seq, lamport] : s.held) {
            if (lamport > *joinerCut) break;
            floor = seq;
        }
        out.floors.append({id, floor});
    }
    return out;
}

void AntiEntropy::onHighWater(const DeviceId& peer, const protocol::HighWater& hw)
{
    auto& marks = peerMarks_[peer];
    for (const auto& m : hw.marks)
        marks[m.sender] = std::max(marks[m.sender], m.seq);
    // Members may know different amounts of history; each floor is at most the true one,
    // so the highest floor heard is the best estimate.
    // A joiner's HIGH_WATER names a floor for every sender it marks; one with no marks at
    // all comes from a member that holds nothing, so nothing before the cut is owed either.
    if (!joined_ || (hw.floors.isEmpty() && !hw.marks.isEmpty())) return;
    awaitingFloors_ = false;
    for (const auto& f : hw.floors) {
        Sender& s = sender(f.sender);
        s.floor = std::max(s.floor, f.seq);
        s.held.erase(s.held.begin(), s.held.upper_bound(s.floor));
        advance(s);
    }
}

void AntiEntropy::onLinkDown(const DeviceId& peer)
{
    peerMarks_.erase(peer);
}

QList<Pull> AntiEntropy::plan()
{
    QList<Pull> out;
    if (awaitingFloors_) return out;
    std::set<DeviceId> known;
    for (const auto& [peer, marks] : peerMarks_)
        for (const auto& [id, mark] : marks)
            known.insert(id);
    for (const DeviceId& id : known) {
        if (id == self_) continue; // our own messages are on our disk first
        Sender& s = sender(id);
        // The best peer for this sender that we have not asked since the last progress.
        std::optional<DeviceId> best;
        std::uint64_t bestMark = s.contiguous;
        for (const auto& [peer, marks] : peerMarks_) {
            auto m = marks.find(id);
            if (m == marks.end() || m->second <= bestMark || s.asked.count(peer)) continue;
            best = peer;
            bestMark = m->second;
        }
        if (!best) {
            // Everyone was asked: start over with a fresh round on the next plan().
            s.asked.clear();
            continue;
        }
        s.asked.insert(*best);
        // Ask for the missing runs in (contiguous, bestMark], one span's worth at most.
        std::uint64_t seq = s.contiguous + 1;
        const std::uint64_t last = std::min(bestMark, s.contiguous + kMaxPullSpan);
        while (seq <= last) {
            while (seq <= last && s.held.count(seq))
                ++seq;
            if (seq > last) break;
            std::uint64_t end = seq;
            while (end + 1 <= last && !s.held.count(end + 1))
                ++end;
            out.append({*best, protocol::ChatPull{id, seq, end}});
            seq = end + 1;
        }
    }
    return out;
}

} // namespace plenum::chat

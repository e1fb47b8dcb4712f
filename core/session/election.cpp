#include "session/election.h"

#include <algorithm>

namespace plenum::session {

std::uint64_t Election::makeBid(protocol::DeviceClass cls, std::uint64_t random)
{
    return (static_cast<std::uint64_t>(cls) << 56) | (random & 0x00FFFFFFFFFFFFFFull);
}

bool Election::beats(const Candidate& a, const DeviceId& aId, const Candidate& b,
                     const DeviceId& bId)
{
    if (a.bid != b.bid) return a.bid > b.bid;
    return aId > bId;
}

std::optional<DeviceId> Election::best(const protocol::RosterStamp& mine,
                                       const QSet<DeviceId>& voters, bool upToDate) const
{
    if (!round_) return std::nullopt;
    std::optional<DeviceId> bestId;
    const Candidate* bestC = nullptr;
    for (const auto& [id, c] : round_->seen) {
        if ((upToDate && c.accepted < mine) || !voters.contains(id)) continue;
        // The newest roster first: others refuse an out-of-date candidate, however high its
        // bid, and voting for it anyway would stall every round. Then the bid.
        const bool better =
            !bestC || (upToDate && c.accepted > bestC->accepted) ||
            ((!upToDate || c.accepted == bestC->accepted) && beats(c, id, *bestC, *bestId));
        if (better) {
            bestId = id;
            bestC = &c;
        }
    }
    return bestId;
}

bool Election::record(const DeviceId& from, std::uint64_t epoch, const Candidate& candidate)
{
    highestSeen_ = std::max(highestSeen_, epoch);
    if (round_ && round_->epoch == epoch) {
        round_->seen[from] = candidate;
        return true;
    }
    if (!round_ || epoch > round_->epoch) {
        pending_[epoch][from] = candidate;
        // Bounded: a peer sending requests for ever higher epochs cannot grow this.
        while (pending_.size() > kMaxPendingEpochs)
            pending_.erase(pending_.begin());
    }
    return false;
}

void Election::open(std::uint64_t epoch, Millis windowEnd)
{
    round_ = Round{};
    round_->epoch = epoch;
    round_->windowEnd = windowEnd;
    highestSeen_ = std::max(highestSeen_, epoch);
    if (auto it = pending_.find(epoch); it != pending_.end()) round_->seen = it->second;
    forgetRequestsUpTo(epoch);
}

std::uint64_t Election::nextEpoch(std::uint64_t currentEpoch) const
{
    // Above every round seen: a round someone opened before we lost the SM has most likely
    // been voted on already (its bid window is 50 ms), and joining it only earns AlreadyVoted
    // (seed 78569). A request that arrives while we are lost still pulls us into its round
    // (Session::onRequestSm).
    return std::max({currentEpoch, votedEpoch_, round_ ? round_->epoch : 0, highestSeen_}) + 1;
}

std::optional<std::uint64_t> Election::pendingRequestFrom(const DeviceId& candidate) const
{
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it)
        if (it->second.count(candidate) && canVote(it->first)) return it->first;
    return std::nullopt;
}

void Election::forgetRequestsUpTo(std::uint64_t epoch)
{
    pending_.erase(pending_.begin(), pending_.upper_bound(epoch));
}

} // namespace plenum::session

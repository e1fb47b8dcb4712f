#pragma once
// Election bookkeeping (DESIGN §5, seed 004 REQUESTRM/SETRM): one round per epoch, bids
// seen, allows collected, and the one final vote per epoch. Decisions that send messages
// live in Session; this class holds the state and the pure choices.

#include "protocol/messages.h"
#include "session/clock.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>
#include <optional>

namespace plenum::session {

struct Candidate {
    std::uint64_t bid = 0;
    protocol::RosterStamp accepted;
};

class Election {
public:
    static constexpr std::size_t kMaxPendingEpochs = 16;

    struct Round {
        std::uint64_t epoch = 0;
        Millis windowEnd = 0;
        bool voted = false;
        std::map<DeviceId, Candidate> seen;
        QSet<DeviceId> allows;
        QHash<DeviceId, QByteArray> signatures; // of the allows: SET_SM carries them (§5)
        QSet<DeviceId> refusals;
        // A better candidate showed up after we had voted for ourselves: let it open the next
        // round (we join it) instead of racing it with another self-vote.
        bool outbid = false;
        bool deferred = false;
    };

    // Capability class in the high byte, random low bits (DESIGN §5 "Bid").
    static std::uint64_t makeBid(protocol::DeviceClass cls, std::uint64_t random);
    // Higher bid wins; a tie goes to the larger DeviceId.
    static bool beats(const Candidate& a, const DeviceId& aId, const Candidate& b,
                      const DeviceId& bId);

    // The best candidate of the round that passes the up-to-date check against `mine`
    // and is in `voters` (Raft's rule: never vote for an older roster): the newest roster
    // first, then the highest bid. `upToDate` false (a test switching the rule off) drops
    // both the check and the newest-first order: the highest bid wins.
    std::optional<DeviceId> best(const protocol::RosterStamp& mine, const QSet<DeviceId>& voters,
                                 bool upToDate = true) const;

    // Remembers a request; returns true when it belongs to the current round.
    bool record(const DeviceId& from, std::uint64_t epoch, const Candidate& candidate);
    // Opens a round for `epoch`, pulling in requests already seen for it.
    void open(std::uint64_t epoch, Millis windowEnd);
    void close()
    {
        round_.reset();
        failedRounds_ = 0;
    }
    // The epoch a new round should target, above everything seen or voted.
    std::uint64_t nextEpoch(std::uint64_t currentEpoch) const;
    // The newest epoch `candidate` asked for that has no round yet (a request that came in
    // before we lost the SM), if we can still vote in it.
    std::optional<std::uint64_t> pendingRequestFrom(const DeviceId& candidate) const;

    bool canVote(std::uint64_t epoch) const { return epoch > votedEpoch_; }
    void recordVote(std::uint64_t epoch, const DeviceId& candidate, const DeviceId& self = {})
    {
        votedEpoch_ = epoch;
        votedFor_ = candidate;
        if (candidate != self) grantedEpoch_ = std::max(grantedEpoch_, epoch);
    }
    // The newest epoch in which this device's vote went to another device: proposals of older
    // epochs must not get its ack (Raft's term rule). A self-vote that did not win helped no one.
    std::uint64_t grantedEpoch() const { return grantedEpoch_; }
    bool votedFor(std::uint64_t epoch, const DeviceId& candidate) const
    {
        return votedEpoch_ == epoch && votedFor_ == candidate;
    }
    std::uint64_t votedEpoch() const { return votedEpoch_; }
    const DeviceId& votedFor() const { return votedFor_; }
    void restoreVote(std::uint64_t epoch, const DeviceId& candidate, std::uint64_t granted)
    {
        votedEpoch_ = epoch;
        votedFor_ = candidate;
        grantedEpoch_ = granted;
    }

    Round* round() { return round_ ? &*round_ : nullptr; }
    const Round* round() const { return round_ ? &*round_ : nullptr; }
    int failedRounds() const { return failedRounds_; }
    void roundFailed() { ++failedRounds_; }
    void forgetRequestsUpTo(std::uint64_t epoch);

private:
    std::optional<Round> round_;
    std::map<std::uint64_t, std::map<DeviceId, Candidate>> pending_;
    std::uint64_t highestSeen_ = 0;
    std::uint64_t votedEpoch_ = 0;
    std::uint64_t grantedEpoch_ = 0;
    DeviceId votedFor_;
    int failedRounds_ = 0;
};

} // namespace plenum::session

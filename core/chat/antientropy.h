#pragma once
// Chat anti-entropy (§5.1 rule 8). Each peer knows, per sender, up to which seq it holds
// every message (its high-water mark); after a roster change or re-link peers exchange
// HIGH_WATER and pull their gaps with CHAT_PULL. A joiner is owed only what comes after the
// Lamport cut of the roster that committed it: members tell it, per sender, the last seq
// at or before the cut (`floors`). Pure logic; no I/O, no clock.

#include "protocol/messages.h"

#include <QList>

#include <cstdint>
#include <map>
#include <optional>
#include <set>

namespace plenum::chat {

struct Pull {
    DeviceId from;
    protocol::ChatPull request;
};

class AntiEntropy {
public:
    explicit AntiEntropy(DeviceId self) : self_(self) {}

    // This device joined at Lamport `cut`: pull nothing until members' floors arrive.
    void joinedAt(std::uint64_t cut);

    // A message (or side-chat stub) from `sender` is on disk here.
    void record(const DeviceId& sender, std::uint64_t seq, std::uint64_t lamport);
    bool holds(const DeviceId& sender, std::uint64_t seq) const;
    // Every seq of `sender` up to this one is held (or before this device's cut).
    std::uint64_t highWater(const DeviceId& sender) const;
    // Some sender's messages are held above a hole (a later seq arrived, an earlier did not).
    bool hasGaps() const;
    // Some peer's mark is above what we hold without a hole: plan() has, or will have after a
    // fresh round, something to pull.
    bool behind() const;

    // What to tell a peer. For a joiner, pass the cut of the roster that admitted it.
    protocol::HighWater marks(std::optional<std::uint64_t> joinerCut = std::nullopt) const;

    void onHighWater(const DeviceId& peer, const protocol::HighWater& marks);
    void onLinkDown(const DeviceId& peer);

    // The pulls that would close our gaps: each gap goes to the peer with the highest mark
    // that has not been asked for it since the last progress, so a peer that cannot
    // answer (it holds only a stub) is not asked forever.
    QList<Pull> plan();

private:
    struct Sender {
        std::uint64_t floor = 0;                     // seqs <= floor are not owed to us
        std::map<std::uint64_t, std::uint64_t> held; // seq -> lamport, above floor
        std::uint64_t contiguous = 0;                // highest c with floor..c all held
        std::set<DeviceId> asked;                    // peers asked since the last progress
    };
    void advance(Sender& s);
    Sender& sender(const DeviceId& id);

    DeviceId self_;
    bool joined_ = false;
    bool awaitingFloors_ = false;
    std::uint64_t cut_ = 0;
    std::map<DeviceId, Sender> senders_;
    std::map<DeviceId, std::map<DeviceId, std::uint64_t>> peerMarks_; // peer -> sender -> mark
};

} // namespace plenum::chat

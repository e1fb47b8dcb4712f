#pragma once
// One session's chat anti-entropy and history for joiners, as a device runs them (§5.1
// rule 8, DESIGN §6). Wraps chat::AntiEntropy with what it leaves to its user: which members
// are newcomers (they get floors: only what follows their Lamport cut is owed to them), when
// to answer a HIGH_WATER with our own, and whom the SM already sent recent history. No I/O.

#include "chat/antientropy.h"

#include <QHash>
#include <QSet>

namespace plenum::chat {

class ChatSync {
public:
    // A member seen joining this recently is a newcomer: our HIGH_WATER to it carries floors.
    static constexpr std::int64_t kNewcomerMs = 10'000;
    // At most one unsolicited HIGH_WATER answer per peer in this interval (no ping-pong).
    static constexpr std::int64_t kReplyIntervalMs = 1'000;
    static constexpr std::int64_t kPullTimeoutMs = 2'000;
    static constexpr std::int64_t kGapHighWaterMs = 500;

    explicit ChatSync(DeviceId self) : self_(self), ae_(self) {}

    // A message or stub is on disk here (or deliberately not kept: a blocked author).
    void record(const protocol::ChatMessage& m) { ae_.record(m.sender, m.seq, m.lamport); }
    std::uint64_t highWater(const DeviceId& sender) const { return ae_.highWater(sender); }
    bool hasGaps() const { return ae_.hasGaps(); }
    bool behind() const { return ae_.behind(); }
    bool holds(const DeviceId& sender, std::uint64_t seq) const { return ae_.holds(sender, seq); }

    // This device was admitted when its clock read `lamport`.
    void joined(std::uint64_t lamport) { ae_.joinedAt(lamport); }
    // `device` joined the roster while our clock read `lamport` (first sight counts).
    void sawJoin(const DeviceId& device, std::uint64_t lamport, std::int64_t nowMs);
    // The Lamport cut of a newcomer, if it still is one.
    std::optional<std::uint64_t> cutOf(const DeviceId& device, std::int64_t nowMs) const;

    // What to send `peer`: our marks, with floors if it is a newcomer.
    protocol::HighWater marksFor(const DeviceId& peer, std::int64_t nowMs) const;
    // Takes a peer's marks; true if we should answer with ours (it is a newcomer, or it lacks
    // something we hold and we have not answered it lately).
    bool onHighWater(const DeviceId& peer, const protocol::HighWater& marks, std::int64_t nowMs);
    void onLinkDown(const DeviceId& peer) { ae_.onLinkDown(peer); }
    // The pulls to send now. A sender's range already asked for is not asked again until its
    // answer arrived or kPullTimeoutMs passed: answers come one message per link frame, and
    // re-planning after each would ask for the same messages over and over.
    QList<Pull> plan(std::int64_t nowMs);
    // At most one gap-triggered HIGH_WATER broadcast per kGapHighWaterMs.
    bool takeGapBroadcast(std::int64_t nowMs);

    // The SM sends a newcomer recent history once.
    bool takeHistoryTurn(const DeviceId& newcomer);

private:
    struct Newcomer {
        std::uint64_t cut = 0;
        std::int64_t since = 0;
    };

    DeviceId self_;
    chat::AntiEntropy ae_;
    QHash<DeviceId, Newcomer> newcomers_;
    QHash<DeviceId, std::int64_t> lastReply_;
    QSet<DeviceId> historySent_;
    struct InFlight {
        std::uint64_t toSeq = 0;
        std::int64_t deadline = 0;
    };
    QHash<DeviceId, InFlight> inFlight_; // sender -> the pull being answered
    std::int64_t lastGapBroadcast_ = -kGapHighWaterMs;
};

} // namespace plenum::chat

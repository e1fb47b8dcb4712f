#pragma once
// The conversation as every replica shows it: ordered by (lamport, sender), with seq as a
// last tie-break so that even a misbehaving sender cannot make two replicas disagree.
// A late message is inserted at its place, never appended out of order (§5.1 rule 8), and
// a second copy of (sender, seq) is ignored.

#include "protocol/messages.h"

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

namespace plenum::chat {

class ConversationLog {
public:
    struct Insertion {
        bool added = false;    // false: a duplicate of (sender, seq)
        std::size_t index = 0; // where it went (display position), when added
    };

    Insertion insert(const protocol::ChatMessage& message);
    bool contains(const DeviceId& sender, std::uint64_t seq) const;

    const std::vector<protocol::ChatMessage>& messages() const { return messages_; }
    std::size_t size() const { return messages_.size(); }
    std::uint64_t maxLamport() const { return maxLamport_; }

    // The display order: true when a comes before b.
    static bool before(const protocol::ChatMessage& a, const protocol::ChatMessage& b);

private:
    std::vector<protocol::ChatMessage> messages_;
    std::set<std::pair<DeviceId, std::uint64_t>> ids_;
    std::uint64_t maxLamport_ = 0;
};

} // namespace plenum::chat

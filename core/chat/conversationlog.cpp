#include "chat/conversationlog.h"

#include <algorithm>
#include <tuple>

namespace plenum::chat {

bool ConversationLog::before(const protocol::ChatMessage& a, const protocol::ChatMessage& b)
{
    return std::tie(a.lamport, a.sender, a.seq) < std::tie(b.lamport, b.sender, b.seq);
}

ConversationLog::Insertion ConversationLog::insert(const protocol::ChatMessage& message)
{
    if (!ids_.emplace(message.sender, message.seq).second) return {};
    // Messages mostly arrive in order, so the search usually ends at the back.
    const auto at = std::upper_bound(messages_.begin(), messages_.end(), message, before);
    const std::size_t index = std::size_t(at - messages_.begin());
    messages_.insert(at, message);
    maxLamport_ = std::max(maxLamport_, message.lamport);
    return {true, index};
}

bool ConversationLog::contains(const DeviceId& sender, std::uint64_t seq) const
{
    return ids_.count({sender, seq}) != 0;
}

} // namespace plenum::chat

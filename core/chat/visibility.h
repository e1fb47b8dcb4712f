#pragma once
// Who may read a chat message (DESIGN §6 side-chats). A side-chat travels in full only to
// its recipients; everyone else holds a stub with the same (sender, seq, lamport) and no
// text, so that per-sender sequences stay gap-free for anti-entropy (docs/chat.md).

#include "protocol/messages.h"

#include <optional>

namespace plenum::chat {

// Everyone (recipients empty), the sender and the listed recipients may read it.
bool mayRead(const protocol::ChatMessage& message, const DeviceId& device);

// The message without its text and recipients: what a non-recipient holds.
protocol::ChatMessage stubOf(const protocol::ChatMessage& message);

// True for a stub: a side-chat copy without text.
bool isStub(const protocol::ChatMessage& message);

// What `holder` may hand to `requester` when answering CHAT_PULL: the full message, a stub
// when the requester may not read it, or nothing when the holder itself has only a stub
// (the requester then pulls from the sender or a recipient: §5.1 rule 8).
std::optional<protocol::ChatMessage> copyFor(const protocol::ChatMessage& held,
                                             const DeviceId& requester);

} // namespace plenum::chat

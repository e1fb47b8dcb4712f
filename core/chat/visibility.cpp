#include "chat/visibility.h"

namespace plenum::chat {

bool mayRead(const protocol::ChatMessage& message, const DeviceId& device)
{
    return message.recipients.isEmpty() || message.sender == device ||
           message.recipients.contains(device);
}

protocol::ChatMessage stubOf(const protocol::ChatMessage& message)
{
    protocol::ChatMessage stub = message;
    stub.text.clear();
    stub.signature.clear(); // signs the text, which the stub does not carry
    // A stub keeps one recipient (the sender) only so that it stays recognisable as a
    // side-chat copy; the real recipient list is not revealed to non-recipients.
    stub.recipients = {message.sender};
    return stub;
}

bool isStub(const protocol::ChatMessage& message)
{
    return message.text.isEmpty() && message.recipients.size() == 1 &&
           message.recipients.front() == message.sender;
}

std::optional<protocol::ChatMessage> copyFor(const protocol::ChatMessage& held,
                                             const DeviceId& requester)
{
    // A stub holder cannot tell whether the requester is a recipient (the stub hides the
    // list), so it never hands a stub on: the requester then pulls from another member,
    // and only the sender and real recipients answer for a side-chat (§5.1 rule 8).
    if (isStub(held)) return std::nullopt;
    if (mayRead(held, requester)) return held;
    return stubOf(held);
}

} // namespace plenum::chat

#include "chat/chatsignature.h"

#include "chat/visibility.h"

namespace plenum::chat {

void signChat(protocol::ChatMessage& message, const SessionId& sid,
              const crypto::PrivateKey& linkKey)
{
    message.signature.clear();
    if (isStub(message)) return;
    message.signature = linkKey.sign(protocol::chatSigningBytes(sid, message));
}

ChatVerdict verifyChat(const protocol::ChatMessage& message, const SessionId& sid,
                       const crypto::LinkKeyRing& keys)
{
    if (isStub(message) && message.signature.isEmpty()) return ChatVerdict::Stub;
    if (message.signature.isEmpty()) return ChatVerdict::Unsigned;
    const auto author = keys.entry(message.sender);
    if (!author) return ChatVerdict::UnknownAuthor;
    if (author->account != message.author) return ChatVerdict::WrongAccount;
    if (!crypto::verifySignature(author->linkKeyDer, protocol::chatSigningBytes(sid, message),
                                 message.signature))
        return ChatVerdict::BadSignature;
    return ChatVerdict::Valid;
}

QString verdictText(ChatVerdict verdict)
{
    switch (verdict) {
    case ChatVerdict::Valid:
        return QStringLiteral("signed by its author");
    case ChatVerdict::Stub:
        return QStringLiteral("a side-chat stub");
    case ChatVerdict::Unsigned:
        return QStringLiteral("the message is not signed");
    case ChatVerdict::UnknownAuthor:
        return QStringLiteral("the author's device is not known, so the message cannot be checked");
    case ChatVerdict::WrongAccount:
        return QStringLiteral("the message names an account that its device does not belong to");
    case ChatVerdict::BadSignature:
        return QStringLiteral("the signature does not match its author (forged or altered)");
    }
    return {};
}

} // namespace plenum::chat

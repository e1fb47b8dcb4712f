#pragma once
// Signed chat (DESIGN §6): every message is signed by its author's device with the Ed25519
// link key, over protocol::chatSigningBytes (session id, sender, seq, lamport, author,
// recipients, text). Every copy is checked against its author's link key, wherever it came
// from (live, a pull answer, a joiner's history), and against the account that certified the
// author's device, so a member cannot speak for another device or another account.

#include "crypto/linkkeyring.h"
#include "protocol/messages.h"

namespace plenum::chat {

enum class ChatVerdict {
    Valid,         // signed by the sender's link key, author = the sender's account
    Stub,          // a side-chat stub: no text, nothing to check, never shown
    Unsigned,      // text without a signature
    UnknownAuthor, // no verified chain for the sender yet: cannot be checked
    WrongAccount,  // the author field is not the account of the sender's chain
    BadSignature,  // forged or altered
};

// Signs in place (sets message.signature). `linkKey` is this device's Ed25519 link key.
void signChat(protocol::ChatMessage& message, const SessionId& sid,
              const crypto::PrivateKey& linkKey);

ChatVerdict verifyChat(const protocol::ChatMessage& message, const SessionId& sid,
                       const crypto::LinkKeyRing& keys);

// A sentence for logs and warnings ("the signature does not match its author").
QString verdictText(ChatVerdict verdict);

} // namespace plenum::chat

#pragma once
// The wire codec: Message <-> one CBOR map with integer keys (docs/protocol.md has the key
// tables). decode() is the only way untrusted bytes become a Message; it enforces
// protocol/limits.h and says in a sentence what was wrong.

#include "protocol/messages.h"
#include "protocol/result.h"

#include <QByteArray>

#include <cstdint>

namespace plenum::protocol {

// Map keys of the message header; body fields start at kFirstBodyKey.
namespace key {
inline constexpr std::uint64_t kProtocol = 0;
inline constexpr std::uint64_t kType = 1;
inline constexpr std::uint64_t kSid = 2;
inline constexpr std::uint64_t kEpoch = 3;
inline constexpr std::uint64_t kVersion = 4;
inline constexpr std::uint64_t kSm = 5;
inline constexpr std::uint64_t kFirstBodyKey = 10;
} // namespace key

// The wire type number of a body: its index in Body plus one. Body is append-only, so
// numbers never change (codec.cpp pins each one with a static_assert).
std::uint32_t messageType(const Body& body);

// Encodes a message we produce. It does not check limits: a sender that builds an
// over-long field gets a message that every decoder (including its own) rejects.
QByteArray encode(const Message& message);

// Decodes bytes from a peer. Never crashes, never allocates more than the input allows.
Result<Message> decode(const QByteArray& bytes);

} // namespace plenum::protocol

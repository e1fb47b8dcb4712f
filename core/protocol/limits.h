#pragma once
// Hard limits for decoding untrusted bytes (DESIGN §4: "Decoders enforce size and depth
// limits"). The decoder checks every declared length against these before reading, so a
// hostile peer can neither crash a device nor make it allocate more than kMaxMessageBytes.

#include <cstddef>
#include <cstdint>

namespace plenum::protocol::limits {

// Whole encoded message, as one frame on a control link.
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;
// CBOR nesting: message map -> list -> member map -> stamp map is 4 levels.
inline constexpr int kMaxDepth = 5;
// Items of any one array or map, and CBOR items in a whole message: these bound work and
// memory for unknown extension fields too.
inline constexpr std::size_t kMaxContainerItems = 512;
inline constexpr std::size_t kMaxTotalItems = 8192;

// Map keys at or above this number are optional extensions: a decoder that does not know
// them skips them. Any other unknown key is a required field we do not understand: rejected.
inline constexpr std::uint64_t kFirstExtensionKey = 1000;

// Lists.
inline constexpr std::size_t kMaxMembers = 64; // roster, endpoints, linked, removed
// Accounts in an allow or block list of the session rules.
inline constexpr std::size_t kMaxRuleAccounts = 256;
inline constexpr std::size_t kMaxDevicesPerAccount = 16; // REFER rings these devices
inline constexpr std::size_t kMaxRecipients = 64;        // side-chat recipients
inline constexpr std::size_t kMaxHighWaterSenders = 256; // senders ever seen in a session

// Strings and byte strings (UTF-8 bytes for text).
inline constexpr std::size_t kMaxNameBytes = 128;
inline constexpr std::size_t kMaxReasonBytes = 512;
inline constexpr std::size_t kMaxSignatureBytes = 512;
inline constexpr std::size_t kMaxChatTextBytes = 16 * 1024;
inline constexpr std::size_t kMaxUrlBytes = 2048;      // what browsers reliably accept
inline constexpr std::size_t kMaxPageTitleBytes = 256; // shown in one line
inline constexpr std::uint32_t kScrollFull = 10000;    // BROWSE_SCROLL: 100 % of the page

// Chat seq and Lamport values stay below this, so SQLite's signed 64-bit integers hold them
// and a hostile peer cannot push everyone's Lamport clock to overflow.
inline constexpr std::uint64_t kMaxChatCounter = std::uint64_t(1) << 62;

// CALL_STATE counters stay below this (the same bound as chat counters, for the same reason).
inline constexpr std::uint64_t kMaxCallCounter = std::uint64_t(1) << 62;

// A hand-off seat lives at most this long (DESIGN §8: 60 s by default), and a roster holds at
// most this many live seats (one per hand-off under way).
inline constexpr std::uint32_t kMaxHandoffTtlMs = 10 * 60 * 1000;
inline constexpr std::size_t kMaxReservations = 16;
// A hand-off snapshot carries at most this many chat messages (the joiner's default history
// is 50); the whole snapshot is one message, so kMaxMessageBytes bounds it too.
inline constexpr std::size_t kMaxSnapshotMessages = 200;

// RELAY_SIGNAL: one sealed envelope of batched ICE signaling (an offer or answer with its
// candidates is about 1-2 KiB sealed); RELAY_KEY: one DER certificate.
inline constexpr std::size_t kMaxRelaySealedBytes = 8 * 1024;
inline constexpr std::size_t kMaxCertificateBytes = 4096;

// CHAT_PULL asks for at most this many sequence numbers at once.
inline constexpr std::uint64_t kMaxPullSpan = 1024;

} // namespace plenum::protocol::limits

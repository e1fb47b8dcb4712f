#pragma once
// The sending side of chat (DESIGN §6): own (seq, lamport) counters, and receipts per
// recipient. Pure logic: time comes in as `nowMs`, sends go out as return values.
//
// Use: m = compose(text); store m and flush it (§5.1 rule 8: on disk before sending);
// then send(m, now). Feed onAck / onLinkUp / onLinkDown / onTick; `changed` lists the
// seqs whose receipt the UI should redraw.

#include "protocol/messages.h"
#include "protocol/result.h"

#include <QList>

#include <cstdint>
#include <map>
#include <optional>

namespace plenum::chat {

enum class Delivery {
    Pending,      // some recipient has not acknowledged yet, none timed out
    Delivered,    // every recipient wrote it to disk
    NotDelivered, // at least one recipient did not acknowledge within the timeout
};

struct Receipt {
    Delivery state = Delivery::Pending;
    QList<DeviceId> pending;      // not acknowledged, still within the timeout
    QList<DeviceId> notDelivered; // not acknowledged after the timeout ("not delivered to X")
};

struct Outgoing {
    DeviceId to;
    protocol::ChatMessage message; // a stub for members outside a side-chat
};

// DESIGN §6: a Lamport value far beyond the receiver's clock is refused, not adopted. A
// session's Lamport values grow by one per message, so a lead of 2^24 is never legitimate,
// and a hostile member needs 2^38 messages to push anyone's clock to the codec's 2^62 limit.
inline constexpr std::uint64_t kMaxLamportLead = std::uint64_t(1) << 24;
// True if a message stamped `lamport` may be accepted by a device whose clock is `clock`.
bool lamportAcceptable(std::uint64_t clock, std::uint64_t lamport);

// Whether `text` may be sent as a chat message: not empty, and within the codec's limit of
// kMaxChatTextBytes UTF-8 bytes (every peer refuses a longer one, so the sender refuses it
// first, before it is stored or reported sent). The error is a sentence for the user.
Status checkOutgoingText(const QString& text);

class ChatSender {
public:
    struct Options {
        std::int64_t ackTimeoutMs = 10'000;
    };
    struct Output {
        QList<Outgoing> sends;
        QList<std::uint64_t> changed; // seqs whose Receipt changed
    };

    ChatSender(DeviceId self, AccountId account, Options options);
    ChatSender(DeviceId self, AccountId account) : ChatSender(self, account, Options{}) {}

    // After a restart: the last own seq and the highest Lamport value on disk (values that
    // leave no room below the codec's limit are ignored: they can only come from a bomb).
    void resume(std::uint64_t lastSeq, std::uint64_t maxLamport);
    // Every message received moves the Lamport clock past it, unless its value is far beyond
    // the clock (lamportAcceptable): then it returns false and the caller drops the message.
    bool observe(std::uint64_t lamport);

    // The next own message. Recipients empty = everyone; else a side-chat to those devices.
    protocol::ChatMessage compose(const QString& text, const QList<DeviceId>& recipients = {});

    // The session's other members (roster minus self). A member that left is no longer
    // waited for: its receipts are dropped rather than shown as failures forever.
    Output setMembers(const QList<DeviceId>& members);

    // Call once `message` is on disk. Sends to every member whose link is up; the rest
    // stay pending until their link comes back or the timeout passes.
    Output send(const protocol::ChatMessage& message, std::int64_t nowMs);
    Output onAck(const DeviceId& from, const protocol::ChatAck& ack);
    Output onLinkUp(const DeviceId& peer, std::int64_t nowMs);
    void onLinkDown(const DeviceId& peer);
    Output onTick(std::int64_t nowMs);
    // The user asked to retry: every recipient that did not acknowledge gets a fresh timeout
    // and, if its link is up, the message again. Nothing if the message is not tracked.
    Output retry(std::uint64_t seq, std::int64_t nowMs);
    // This device is a member again (readmitted after a crash or a removal): what it said
    // meanwhile, and anything else not acknowledged, goes again to every recipient, with a
    // fresh timeout (the members dropped what came while it was out).
    Output resendUnacknowledged(std::int64_t nowMs);
    // This device will not be back (the group refused it): every recipient still waited for
    // is "not delivered" at once, rather than after the timeout or never.
    Output abandon();

    std::optional<Receipt> receipt(std::uint64_t seq) const;
    // The earliest time onTick can change something, if any.
    std::optional<std::int64_t> nextDeadline() const;

    std::uint64_t lastSeq() const { return seq_; }
    std::uint64_t lamport() const { return lamport_; }

private:
    struct Wait {
        std::int64_t deadline = 0;
        bool acked = false;
        bool timedOut = false;
    };
    struct Tracked {
        protocol::ChatMessage message;
        std::map<DeviceId, Wait> waits; // recipients only; stubs are not acknowledged
    };

    QList<DeviceId> audience(const protocol::ChatMessage& message) const;

    DeviceId self_;
    AccountId account_;
    Options options_;
    std::uint64_t seq_ = 0;
    std::uint64_t lamport_ = 0;
    QList<DeviceId> members_;
    QList<DeviceId> linksUp_;
    std::map<std::uint64_t, Tracked> tracked_;
};

} // namespace plenum::chat

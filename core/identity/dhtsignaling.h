#pragma once
// net::Signaling over the DHT (DESIGN §3: first contact, and re-links while the SM is
// missing): each signaling message is a sealed, signed request in the peer's DeviceMailbox,
// so `received(from, ...)` names a device whose signature and chain were checked.

#include "identity/devicemailbox.h"
#include "net/signaling.h"

namespace plenum::identity {

class DhtSignaling : public net::Signaling {
    Q_OBJECT
public:
    explicit DhtSignaling(DeviceMailbox* mailbox, QObject* parent = nullptr);
    void send(const DeviceId& to, const QByteArray& bytes) override;
    int failedSends() const { return failed_; }
    // Signaling stored while this device was offline is dropped (see kStaleBeforeStartMs).
    int staleDropped() const { return stale_; }

    // A link attempt lives at most its connect timeout (10 s): a signal sent more than this
    // long before this device started belongs to an attempt that is over. The DHT keeps such
    // values (up to 10 min) and hands them to a new listener; answered, the dead offer held
    // this device's link to the sender until ICE gave up, and the hand-off of a device coming
    // online waited 10 s for it (docs/handoff.md). 20 s: the timeout plus 10 s for clocks that
    // disagree (a sender whose clock is further behind loses signals only in the first
    // seconds after this device started, and the attempt is retried).
    static constexpr qint64 kStaleBeforeStartMs = 20'000;

    // Several signaling messages in one request body (a CBOR array of them; one alone is sent
    // as it is), and back. Shared with relayed signaling (node::SignalRouter).
    static constexpr qsizetype kMaxBatch = 64;
    static QByteArray pack(const QList<QByteArray>& messages);
    // Empty if `body` is a malformed or oversized list.
    static QList<QByteArray> unpack(const QByteArray& body);

private:
    void pump(const DeviceId& to);

    DeviceMailbox* mailbox_;
    // One request in flight per device: the next is stored only after the previous one,
    // so the peer's listen sees them in order (ICE needs the offer before candidates).
    QHash<DeviceId, QList<QByteArray>> queues_;
    QSet<DeviceId> busy_;
    int failed_ = 0;
    int stale_ = 0;
    qint64 startedMs_ = 0; // Unix ms
};

} // namespace plenum::identity

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
};

} // namespace plenum::identity

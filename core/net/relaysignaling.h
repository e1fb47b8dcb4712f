#pragma once
// Signaling relayed through an existing control link (DESIGN §3: inside a session, offers
// between a joiner and members travel over the SM's links). Generic: the owner supplies how
// bytes leave (`send`) and feeds what arrives (`deliver`); the Node routes both via the SM.

#include "net/signaling.h"

#include <functional>

namespace plenum::net {

class RelaySignaling : public Signaling {
    Q_OBJECT
public:
    using SendFunction = std::function<void(DeviceId, QByteArray)>;
    explicit RelaySignaling(SendFunction send, QObject* parent = nullptr);

    void send(const DeviceId& to, const QByteArray& bytes) override;
    // Bytes that the relay says come from device `from`; emitted as received() on the next
    // event-loop turn so callers may deliver from inside their own handlers.
    void deliver(const DeviceId& from, const QByteArray& bytes);

private:
    SendFunction send_;
};

} // namespace plenum::net

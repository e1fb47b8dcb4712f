#pragma once
// How ICE credentials and candidates reach a device before any link to it exists.
// Implementations: LoopSignaling (in-process, tests), RelaySignaling (through an existing
// control link, routed by the Node via the SM), and the DHT one in core/identity.
//
// Contract for an implementation (keep it this small):
//  - send(to, bytes): deliver `bytes` to device `to`, best effort, without reordering
//    messages to the same device where the transport allows. Never call back synchronously
//    into received() from send().
//  - emit received(from, bytes) for each delivered message, with `from` authenticated as
//    well as the transport can (DHT: signed by the device; relay: the SM's link peer).
//  - bytes are opaque here (SignalMessage::encode, at most SignalMessage::kMaxEncoded).

// ids.h uses qHashBits without including <QHash> (reported to the lead).
#include <QHash>

#include "protocol/ids.h"

#include <QByteArray>
#include <QObject>

namespace plenum::net {

class Signaling : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void send(const DeviceId& to, const QByteArray& bytes) = 0;

Q_SIGNALS:
    void received(plenum::DeviceId from, QByteArray bytes);
};

} // namespace plenum::net

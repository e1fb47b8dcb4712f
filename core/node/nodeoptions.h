#pragma once
// How a Node starts: its profile, DHT world and ICE settings (plenum-peer's options).

#include "identity/dhtconfig.h"
#include "net/iceconfig.h"
#include "protocol/messages.h"

#include <QString>

namespace plenum::node {

struct NodeOptions {
    QString profileDir;
    QString name; // display name for a new profile
    protocol::DeviceClass deviceClass = protocol::DeviceClass::Desktop;
    identity::DhtConfig dht = identity::DhtConfig::isolated({}, 0);
    net::IceConfig ice;
    bool autoAccept = false;
};

} // namespace plenum::node

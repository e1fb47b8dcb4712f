#pragma once
// How a Node starts: its profile, DHT world and ICE settings (plenum-peer's options).

#include "identity/dhtconfig.h"
#include "net/iceconfig.h"
#include "protocol/messages.h"

#include <QString>

#include <optional>

namespace plenum::node {

struct NodeOptions {
    QString profileDir;
    QString name; // display name for a new profile
    // Unset: the class stored by Node::createProfile, else desktop.
    std::optional<protocol::DeviceClass> deviceClass;
    identity::DhtConfig dht = identity::DhtConfig::isolated({}, 0);
    net::IceConfig ice;
    bool autoAccept = false;
    // As SM: how many recent messages (to everyone, no side-chats) a joiner receives; 0 = none.
    int joinerHistory = 50;
    // Set on a fresh profile: start() pairs with this code before anything else.
    QString pairCode;
};

} // namespace plenum::node

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
    // Tests only: drop this share (0..1) of received media datagrams, to check that media as a
    // liveness signal (docs/media.md) removes nobody at 5 % loss where netem is missing.
    double mediaReceiveLoss = 0;
};

} // namespace plenum::node

#pragma once
// A private OpenDHT network on loopback for tests: an embedded bootstrap node bound to
// 127.0.0.1 with a private network id, no LAN discovery, no public bootstrap (DESIGN §2).

#include "identity/devicemailbox.h"
#include "identity/presence.h"
#include "testaccounts.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <functional>
#include <memory>

namespace plenum::testsupport {

// Runs the Qt event loop until `done` or `timeoutMs`; returns whether `done` became true.
bool waitFor(const std::function<bool()>& done, int timeoutMs);

// One device on the test network: its profile, DHT node, mailbox and presence.
struct TestDevice {
    identity::Profile profile;
    std::unique_ptr<identity::DhtNode> node;
    identity::DeviceMailbox* mailbox = nullptr; // child of node
    identity::Presence* presence = nullptr;     // child of node
    QList<identity::OpenedEnvelope> received;
    QStringList rejected;
};

class DhtTestNet {
public:
    DhtTestNet();
    ~DhtTestNet();
    quint32 networkId() const { return network_; }
    identity::DhtConfig config() const;

    // Starts a device for `profile` and waits until its node is connected.
    std::unique_ptr<TestDevice> join(identity::Profile profile);

private:
    quint32 network_;
    identity::Profile bootstrapProfile_;
    std::unique_ptr<identity::DhtNode> bootstrap_;
};

} // namespace plenum::testsupport

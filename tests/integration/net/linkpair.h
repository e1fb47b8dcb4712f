#pragma once
// Two ControlLinks on loopback, signaling wired directly (next event-loop turn), reused by
// every integration case. `bExpected` lets a case make A expect the wrong device.

#include "eventloop.h"
#include "testidentity.h"

#include "net/controllink.h"

#include <QList>

#include <memory>

namespace plenum::net::test {

ControlLinkConfig loopbackConfig();

struct LinkEvents {
    bool up = false;
    bool down = false;
    QString reason;
    QList<QByteArray> messages;
    QList<QByteArray> pingHeaders;
    bool mediaUp = false;
    int datagrams = 0;
    QByteArray lastDatagram;
    void watch(ControlLink* link);
};

class LinkPair {
public:
    explicit LinkPair(ControlLinkConfig config = loopbackConfig());
    // Starts both ends; A offers. A expects `aExpects` (default: B's real device).
    void start(std::optional<DeviceId> aExpects = std::nullopt);
    // B presents `identity` instead of identityB() (forged or odd chains).
    void startWithB(const TestIdentity& identity, const DeviceId& aExpects);
    bool waitUp(int timeoutMs = 5000);
    bool waitDown(int timeoutMs = 5000);

    static const TestIdentity& identityA();
    static const TestIdentity& identityB();

    ControlLinkConfig config;
    ChainVerifier verifierA = chainVerifier(); // how A checks B's chain
    std::unique_ptr<ControlLink> a;
    std::unique_ptr<ControlLink> b;
    LinkEvents ea;
    LinkEvents eb;
    qint64 connectMs = -1; // start() until both ends are up
    qint64 connectUs = -1;
};

} // namespace plenum::net::test

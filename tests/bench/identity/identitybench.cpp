// DHT timings on a private loopback network (isolated config, embedded bootstrap node):
//  - start -> connected: DhtNode::start until the node reports Connected
//  - presence propagation: publish() on one device until a watcher sees the new state
//  - request delivery: DeviceMailbox::send until the recipient's requestReceived
// Prints one JSON object with the median, min and max of each (milliseconds).
#include "dhttestnet.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

using namespace plenum;
using namespace plenum::identity;
using namespace plenum::testsupport;

namespace {

QJsonObject stats(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return {{QStringLiteral("median_ms"), median},
            {QStringLiteral("min_ms"), v.front()},
            {QStringLiteral("max_ms"), v.back()},
            {QStringLiteral("runs"), static_cast<int>(n)}};
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(10, atoi(argv[1])) : 10;
    DhtTestNet net;
    Profile alice = testProfile(0, QStringLiteral("Alice"), QStringLiteral("laptop"));
    Profile bob = testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc"));

    std::vector<double> connect;
    for (int i = 0; i < runs; ++i) {
        DhtNode node;
        QElapsedTimer t;
        t.start();
        if (!node.start(net.config(), alice.device.deviceKey(), alice.device.deviceCertificate()))
            return 1;
        if (!waitFor([&] { return node.isConnected(); }, 10000)) return 2;
        connect.push_back(t.nsecsElapsed() / 1e6);
    }

    auto a = net.join(std::move(alice));
    auto b = net.join(std::move(bob));
    const AccountId aliceId = a->profile.account.id();
    b->presence->watch(aliceId);
    std::vector<double> presence;
    for (int i = 0; i < runs + 1; ++i) {
        const auto state = i % 2 ? PresenceState::Busy : PresenceState::Online;
        QElapsedTimer t;
        t.start();
        a->presence->publish(state, DeviceClass::Laptop, "Alice", {});
        if (!waitFor([&] { return b->presence->stateOf(aliceId) == state; }, 5000)) return 3;
        if (i > 0) presence.push_back(t.nsecsElapsed() / 1e6); // run 0 includes the first listen
    }

    std::vector<double> delivery;
    const DeviceId to = b->profile.device.id();
    a->mailbox->addKnownDevice(b->profile.device.deviceCertificate());
    for (int i = 0; i < runs; ++i) {
        const auto before = b->received.size();
        QElapsedTimer t;
        t.start();
        a->mailbox->send(to, RequestKind::Invitation, QByteArray::number(i));
        if (!waitFor([&] { return b->received.size() > before; }, 5000)) return 4;
        delivery.push_back(t.nsecsElapsed() / 1e6);
    }

    const QJsonObject out{{QStringLiteral("bench"), QStringLiteral("identity-dht-loopback")},
                          {QStringLiteral("start_to_connected"), stats(connect)},
                          {QStringLiteral("presence_propagation"), stats(presence)},
                          {QStringLiteral("request_delivery"), stats(delivery)}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

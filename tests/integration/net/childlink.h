#pragma once
// This process (LinkPair's identity A) linked to a plenum-linktest child process over
// loopback, signaled directly, with a session active on the link: the set-up of the tests
// that stop or starve one end and watch the other's liveness verdict.

#include "linkpair.h"
#include "linktestprocess.h"

#include "net/linkmanager.h"
#include "net/relaysignaling.h"

#include <gtest/gtest.h>

namespace plenum::net::test {

struct ChildLink {
    // `childArgs` are added to the child's own (loopback, 250 ms pings).
    explicit ChildLink(const QStringList& childArgs = {})
        : child(QStringList{QStringLiteral("--loopback"), QStringLiteral("--ping-ms"),
                            QStringLiteral("250"), QStringLiteral("--name"),
                            QStringLiteral("child")} +
                childArgs),
          relay(
              [this](DeviceId, QByteArray bytes) { child.command("signal " + bytes.toBase64()); }),
          manager(LinkPair::identityA().credentials, chainVerifier(), &relay, loopbackConfig())
    {
        QObject::connect(&manager, &LinkManager::linkUp, [this] { up = true; });
        QObject::connect(&manager, &LinkManager::linkDown, [this](DeviceId, const QString& r) {
            down = true;
            reason = r;
        });
    }

    // Links to the child and waits until both ends use 250 ms pings.
    testing::AssertionResult connect(int upTimeoutMs)
    {
        if (!child.started()) return testing::AssertionFailure() << "the child did not start";
        const DeviceId childId = *DeviceId::fromHex(child.device());
        child.onSignal([this, childId](const QByteArray& bytes) { relay.deliver(childId, bytes); });
        child.command("peer " + LinkPair::identityA().device.toHex().toLatin1());
        link = manager.connectTo(childId);
        link->setSessionActive(true);
        if (!waitFor([&] { return up || down; }, upTimeoutMs) || !up)
            return testing::AssertionFailure()
                   << "no link: " << reason.toStdString() << child.stderrText().toStdString();
        if (!waitFor([&] { return link->peerPingInterval() == 250; }, 5000))
            return testing::AssertionFailure() << "the child's 250 ms pings were not announced";
        return testing::AssertionSuccess();
    }

    LinkTestProcess child;
    RelaySignaling relay;
    LinkManager manager;
    ControlLink* link = nullptr;
    bool up = false, down = false;
    QString reason;
};

} // namespace plenum::net::test

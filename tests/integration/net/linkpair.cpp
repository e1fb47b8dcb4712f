#include "linkpair.h"

#include <QPointer>
#include <QRandomGenerator>

namespace plenum::net::test {

ControlLinkConfig loopbackConfig()
{
    ControlLinkConfig config;
    config.ice.allowLoopback = true;
    config.ice.stunPacingMs = 5;
    config.connectTimeoutMs = 5000;
    return config;
}

void LinkEvents::watch(ControlLink* link)
{
    QObject::connect(link, &ControlLink::linkUp, link, [this] { up = true; });
    QObject::connect(link, &ControlLink::linkDown, link, [this](const QString& r) {
        down = true;
        reason = r;
    });
    QObject::connect(link, &ControlLink::message, link,
                     [this](const QByteArray& m) { messages.append(m); });
    QObject::connect(link, &ControlLink::pingReceived, link,
                     [this](const QByteArray& h) { pingHeaders.append(h); });
    QObject::connect(link, &ControlLink::mediaUp, link, [this] { mediaUp = true; });
    QObject::connect(link, &ControlLink::mediaDatagram, link, [this](const QByteArray& d) {
        ++datagrams;
        lastDatagram = d;
    });
}

const TestIdentity& LinkPair::identityA()
{
    static const TestIdentity id = makeTestIdentity(QStringLiteral("A"));
    return id;
}

const TestIdentity& LinkPair::identityB()
{
    static const TestIdentity id = makeTestIdentity(QStringLiteral("B"));
    return id;
}

LinkPair::LinkPair(ControlLinkConfig c) : config(std::move(c))
{
    ensureApp();
}

void LinkPair::start(std::optional<DeviceId> aExpects)
{
    startWithB(identityB(), aExpects.value_or(identityB().device));
}

void LinkPair::startWithB(const TestIdentity& ib, const DeviceId& aExpects)
{
    const TestIdentity& ia = identityA();
    a = std::make_unique<ControlLink>(ia.credentials, verifierA, aExpects, config);
    b = std::make_unique<ControlLink>(ib.credentials, chainVerifier(), ia.device, config);
    ea.watch(a.get());
    eb.watch(b.get());
    QPointer<ControlLink> pa = a.get();
    QPointer<ControlLink> pb = b.get();
    // Deliver on the next loop turn, like a network would.
    a->setSignalSender([pb](const QByteArray& bytes) {
        QTimer::singleShot(0, pb, [pb, bytes] {
            auto m = SignalMessage::decode(bytes);
            if (!pb || !m) return;
            if (m->type == SignalMessage::Type::Offer)
                (void)pb->acceptOffer(m.value());
            else
                pb->handleSignal(m.value());
        });
    });
    b->setSignalSender([pa](const QByteArray& bytes) {
        QTimer::singleShot(0, pa, [pa, bytes] {
            auto m = SignalMessage::decode(bytes);
            if (pa && m) pa->handleSignal(m.value());
        });
    });
    QElapsedTimer clock;
    clock.start();
    QObject::connect(a.get(), &ControlLink::linkUp, a.get(), [this, clock] {
        if (eb.up) connectUs = clock.nsecsElapsed() / 1000, connectMs = connectUs / 1000;
    });
    QObject::connect(b.get(), &ControlLink::linkUp, b.get(), [this, clock] {
        if (ea.up) connectUs = clock.nsecsElapsed() / 1000, connectMs = connectUs / 1000;
    });
    (void)a->connectToPeer(QRandomGenerator::global()->generate64());
}

bool LinkPair::waitUp(int timeoutMs)
{
    return waitFor([this] { return (ea.up && eb.up) || ea.down || eb.down; }, timeoutMs) && ea.up &&
           eb.up && !ea.down && !eb.down;
}

bool LinkPair::waitDown(int timeoutMs)
{
    return waitFor([this] { return ea.down && eb.down; }, timeoutMs);
}

} // namespace plenum::net::test

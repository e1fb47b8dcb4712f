#include "dhttestnet.h"

#include <QThread>

#include <gtest/gtest.h>

namespace plenum::testsupport {

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::msleep(1);
    }
    return true;
}

DhtTestNet::DhtTestNet()
    : network_(0x504c0000u + static_cast<quint32>(QCoreApplication::applicationPid() & 0xffff))
{
    bootstrapProfile_ = testProfile(2, QStringLiteral("bootstrap"), QStringLiteral("bootstrap"));
    bootstrap_ = std::make_unique<identity::DhtNode>();
    auto s = bootstrap_->start(identity::DhtConfig::isolated({}, network_),
                               bootstrapProfile_.device.deviceKey(),
                               bootstrapProfile_.device.deviceCertificate());
    EXPECT_TRUE(s.ok()) << s.error().toStdString();
}

DhtTestNet::~DhtTestNet() = default;

identity::DhtConfig DhtTestNet::config() const
{
    return identity::DhtConfig::isolated({bootstrap_->endpoint()}, network_);
}

std::unique_ptr<TestDevice> DhtTestNet::join(identity::Profile profile)
{
    auto d = std::make_unique<TestDevice>();
    d->profile = std::move(profile);
    d->node = std::make_unique<identity::DhtNode>();
    auto s = d->node->start(config(), d->profile.device.deviceKey(),
                            d->profile.device.deviceCertificate());
    EXPECT_TRUE(s.ok()) << s.error().toStdString();
    d->mailbox =
        identity::DeviceMailbox::create(d->node.get(), d->profile.device, d->node.get()).value();
    TestDevice* raw = d.get();
    QObject::connect(d->mailbox, &identity::DeviceMailbox::requestReceived, d->node.get(),
                     [raw](const identity::OpenedEnvelope& e) { raw->received.append(e); });
    QObject::connect(d->mailbox, &identity::DeviceMailbox::requestRejected, d->node.get(),
                     [raw](const QString& r) { raw->rejected.append(r); });
    d->mailbox->setRefusal(
        [raw](const AccountId& a) { return raw->profile.contacts.isBlocked(a); });
    d->mailbox->start();
    d->presence = new identity::Presence(d->node.get(), &d->profile.device, d->node.get());
    EXPECT_TRUE(waitFor([&] { return d->node->isConnected(); }, 5000)) << "DHT node not connected";
    return d;
}

} // namespace plenum::testsupport

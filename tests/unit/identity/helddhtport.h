#pragma once
// A UDP port held on 127.0.0.1 and ::1, the two addresses a DhtNode binds: a Node given this
// port cannot start, for tests of what the user is shown then.

#include <QHostAddress>
#include <QUdpSocket>

#include <memory>

namespace plenum::testsupport {

class HeldDhtPort {
public:
    // Takes a port free on both addresses; false if the system gave none.
    bool hold()
    {
        v4_ = std::make_unique<QUdpSocket>();
        v6_ = std::make_unique<QUdpSocket>();
        return v4_->bind(QHostAddress(QHostAddress::LocalHost), 0) &&
               v6_->bind(QHostAddress(QHostAddress::LocalHostIPv6), v4_->localPort());
    }
    quint16 port() const { return v4_ ? v4_->localPort() : 0; }
    void release()
    {
        v4_.reset();
        v6_.reset();
    }

private:
    std::unique_ptr<QUdpSocket> v4_, v6_;
};

} // namespace plenum::testsupport

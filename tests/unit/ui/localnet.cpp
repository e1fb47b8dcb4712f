#include "localnet.h"

#include <gtest/gtest.h>

namespace plenum::testsupport {

LocalNet::LocalNet()
{
    node::NodeOptions o;
    o.profileDir = dir_.filePath(QStringLiteral("me"));
    o.name = QStringLiteral("Me");
    o.dht = net_.config();
    o.ice.allowLoopback = true;
    o.ice.localAddresses = {QStringLiteral("127.0.0.1")};
    auto n = node::Node::open(o);
    EXPECT_TRUE(n.ok()) << (n ? "" : n.error().toStdString());
    if (!n) return;
    node_ = std::move(n.value());
    const Status s = node_->start();
    EXPECT_TRUE(s.ok()) << (s ? "" : s.error().toStdString());
}

LocalNet::~LocalNet()
{
    for (auto& p : peers_)
        if (p->running()) p->quit(3000);
    if (node_) node_->shutdown();
    node_.reset();
}

PeerProcess* LocalNet::addPeer(const QString& name)
{
    peers_.push_back(std::make_unique<PeerProcess>(
        dir_.filePath(name), name, net_.config().bootstrap.value(0), net_.networkId()));
    PeerProcess* p = peers_.back().get();
    EXPECT_TRUE(p->start()) << "peer " << name.toStdString() << " did not start";
    return p;
}

bool LocalNet::waitMembers(const SessionId& sid, int members, int timeoutMs)
{
    return waitFor(
        [&] {
            auto r = node_->roster(sid);
            return r && int(r->members.size()) == members;
        },
        timeoutMs);
}

SessionId LocalNet::groupWith(const std::vector<PeerProcess*>& peers)
{
    const SessionId sid = node_->create(8, false);
    int members = 1;
    for (PeerProcess* p : peers) {
        const auto s =
            node_->invite(sid, *AccountId::fromHex(p->account), {*DeviceId::fromHex(p->device)});
        EXPECT_TRUE(s.ok()) << (s ? "" : s.error().toStdString());
        ++members;
        EXPECT_TRUE(waitMembers(sid, members)) << p->name.toStdString() << " did not join";
        // The peer has the session too (its "sid" default is the one it accepted last).
        EXPECT_TRUE(waitFor(
            [&] { return p->lastRoster().value("members").toArray().size() == members; }, 10000));
    }
    return sid;
}

} // namespace plenum::testsupport

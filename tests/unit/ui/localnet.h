#pragma once
// A real Node in the test process plus plenum-peer processes, all on one private DHT on
// loopback (DhtTestNet) with loopback-only ICE: the models are tested against the real thing
// and nothing leaves the machine.

#include "dhttestnet.h"
#include "node/node.h"
#include "peerprocess.h"

#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace plenum::testsupport {

// One role of one row of a list model.
template <typename Model> QVariant role(const Model& m, int row, typename Model::Role r)
{
    return m.data(m.index(row), r);
}

// The first row whose role `r` holds `text`, or -1.
template <typename Model> int rowOf(const Model& m, typename Model::Role r, const QString& text)
{
    for (int i = 0; i < m.rowCount(); ++i)
        if (role(m, i, r).toString() == text) return i;
    return -1;
}

class LocalNet {
public:
    LocalNet();
    ~LocalNet();

    node::Node* node() const { return node_.get(); }
    identity::DhtConfig dhtConfig() const { return net_.config(); }
    QString dir(const QString& name) const { return dir_.filePath(name); }
    PeerProcess* addPeer(const QString& name);
    // The Node creates a session and invites `peers` one by one (they auto-accept); returns
    // once the Node's roster has every one of them.
    SessionId groupWith(const std::vector<PeerProcess*>& peers);
    // Waits until the Node's roster of `sid` has `members` members.
    bool waitMembers(const SessionId& sid, int members, int timeoutMs = 10000);

private:
    QTemporaryDir dir_;
    DhtTestNet net_;
    std::unique_ptr<node::Node> node_;
    std::vector<std::unique_ptr<PeerProcess>> peers_;
};

} // namespace plenum::testsupport

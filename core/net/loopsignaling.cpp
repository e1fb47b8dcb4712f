#include "net/loopsignaling.h"

#include <QTimer>

namespace plenum::net {

LoopSignaling::LoopSignaling(const DeviceId& self, QObject* parent) : Signaling(parent), self_(self)
{
}

void LoopSignaling::connectPair(LoopSignaling* a, LoopSignaling* b)
{
    a->peers_.insert(b->self_, b);
    b->peers_.insert(a->self_, a);
}

void LoopSignaling::send(const DeviceId& to, const QByteArray& bytes)
{
    QPointer<LoopSignaling> peer = peers_.value(to);
    if (!peer) {
        ++dropped_;
        return;
    }
    ++sent_;
    const DeviceId from = self_;
    QTimer::singleShot(0, peer, [peer, from, bytes] {
        if (peer) Q_EMIT peer->received(from, bytes);
    });
}

} // namespace plenum::net

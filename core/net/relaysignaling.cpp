#include "net/relaysignaling.h"

#include <QPointer>
#include <QTimer>

namespace plenum::net {

RelaySignaling::RelaySignaling(SendFunction send, QObject* parent)
    : Signaling(parent), send_(std::move(send))
{
}

void RelaySignaling::send(const DeviceId& to, const QByteArray& bytes)
{
    if (send_) send_(to, bytes);
}

void RelaySignaling::deliver(const DeviceId& from, const QByteArray& bytes)
{
    QTimer::singleShot(0, this, [this, from, bytes] { Q_EMIT received(from, bytes); });
}

} // namespace plenum::net

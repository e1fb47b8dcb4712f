#include "node/signalrelay.h"

namespace plenum::node {

SignalRelay::SignalRelay(Hooks hooks) : hooks_(std::move(hooks))
{
    clock_.start();
}

QString SignalRelay::refusal(const DeviceId& from, const protocol::Header& header,
                             const DeviceId& to)
{
    if (!enabled_) return QStringLiteral("this device does not relay");
    const qint64 now = clock_.elapsed();
    if (!perSender_.take(from, now) || !all_.take(DeviceId{}, now))
        return QStringLiteral("too many relay requests");
    if (to == from || to.isNull()) return QStringLiteral("no such recipient");
    if (!hooks_.knows(header.sid, from) || !hooks_.knows(header.sid, to))
        return QStringLiteral("the session does not know both devices");
    return {};
}

void SignalRelay::refuse(const DeviceId& from, const protocol::Header& header, const DeviceId& peer,
                         const QString& why)
{
    ++refused_;
    hooks_.sendOnLink(from, {hooks_.header(header.sid), protocol::RelayFailed{peer, why}});
}

void SignalRelay::onSignal(const DeviceId& from, const protocol::Header& header,
                           const protocol::RelaySignal& m)
{
    QString why = refusal(from, header, m.peer);
    if (why.isEmpty() && !hooks_.linkUp(m.peer)) why = QStringLiteral("no link to that device");
    if (!why.isEmpty()) return refuse(from, header, m.peer, why);
    protocol::RelaySignal out{from, m.sealed, true};
    if (tamper_ == Tamper::Flip && !out.sealed.isEmpty())
        out.sealed[out.sealed.size() / 2] = char(out.sealed[out.sealed.size() / 2] ^ 0x01);
    const protocol::Message message{hooks_.header(header.sid), out};
    hooks_.sendOnLink(m.peer, message);
    if (tamper_ == Tamper::Replay) hooks_.sendOnLink(m.peer, message);
    ++forwarded_;
}

void SignalRelay::onKeyRequest(const DeviceId& from, const protocol::Header& header,
                               const protocol::RelayKeyRequest& m)
{
    QString why = refusal(from, header, m.device);
    const QList<QByteArray> chain = why.isEmpty() ? hooks_.chainOf(m.device) : QList<QByteArray>{};
    if (why.isEmpty() && chain.size() != 3)
        why = QStringLiteral("the device's certificates are not known here");
    if (!why.isEmpty()) return refuse(from, header, m.device, why);
    hooks_.sendOnLink(
        from, {hooks_.header(header.sid), protocol::RelayKey{m.device, chain[1], chain[2]}});
}

} // namespace plenum::node

#include "identity/dhtsignaling.h"

#include "net/signalmessage.h"

#include <QCborArray>
#include <QCborValue>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>

namespace plenum::identity {

namespace {
Q_LOGGING_CATEGORY(lcDhtSignal, "plenum.dht.signal", QtWarningMsg)
} // namespace

DhtSignaling::DhtSignaling(DeviceMailbox* mailbox, QObject* parent)
    : net::Signaling(parent), mailbox_(mailbox), startedMs_(QDateTime::currentMSecsSinceEpoch())
{
    connect(mailbox_, &DeviceMailbox::requestReceived, this, [this](const OpenedEnvelope& env) {
        if (env.kind != RequestKind::Signal || !env.chain) return;
        if (env.sentMs != 0 && env.sentMs < startedMs_ - kStaleBeforeStartMs) {
            ++stale_; // an attempt made while this device was offline: over
            return;
        }
        const QList<QByteArray> list = unpack(env.body);
        qCDebug(lcDhtSignal, "<-%s %lld signals, sent %lld ms ago",
                qPrintable(env.sender.shortHex()), qlonglong(list.size()),
                QDateTime::currentMSecsSinceEpoch() - env.sentMs);
        for (const QByteArray& m : list)
            Q_EMIT received(env.sender, m);
    });
}

void DhtSignaling::send(const DeviceId& to, const QByteArray& bytes)
{
    queues_[to].append(bytes);
    if (!busy_.contains(to)) pump(to);
}

void DhtSignaling::pump(const DeviceId& to)
{
    auto it = queues_.find(to);
    if (it == queues_.end() || it->isEmpty()) {
        busy_.remove(to);
        queues_.remove(to);
        return;
    }
    busy_.insert(to);
    // Whatever queued while the previous put was under way goes in one request (an offer's
    // candidates trickle in while the offer is stored): one put, one listen delivery.
    const QList<QByteArray> batch = it->mid(0, kMaxBatch);
    it->remove(0, batch.size());
    const QByteArray next = pack(batch);
    // Best effort, as the contract says; ICE's own timeout reports a peer that never answers.
    qCDebug(lcDhtSignal, "->%s put %lld signals (%lld more queued)", qPrintable(to.shortHex()),
            qlonglong(batch.size()), qlonglong(it->size()));
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    mailbox_->send(to, RequestKind::Signal, next, [this, to, clock](Status s) {
        qCDebug(lcDhtSignal, "->%s put done after %lld ms: %s", qPrintable(to.shortHex()),
                clock->elapsed(), s ? "ok" : qPrintable(s.error()));
        if (!s) ++failed_;
        pump(to);
    });
}

QByteArray DhtSignaling::pack(const QList<QByteArray>& messages)
{
    if (messages.size() == 1) return messages.front(); // what older devices understand
    QCborArray list;
    for (const QByteArray& m : messages)
        list.append(m);
    return QCborValue(list).toCbor();
}

QList<QByteArray> DhtSignaling::unpack(const QByteArray& body)
{
    // A SignalMessage starts with "PS", never with a CBOR array's initial byte (0x80-0x9f).
    const auto first = body.isEmpty() ? 0 : static_cast<unsigned char>(body.front());
    if (first < 0x80 || first > 0x9f) return {body};
    QCborParserError err;
    const QCborValue v = QCborValue::fromCbor(body, &err);
    const QCborArray list = v.toArray();
    if (err.error != QCborError::NoError || !v.isArray() || list.size() > kMaxBatch) return {};
    QList<QByteArray> out;
    for (const QCborValue& m : list)
        if (m.isByteArray() && m.toByteArray().size() <= net::SignalMessage::kMaxEncoded)
            out.append(m.toByteArray());
    return out;
}

} // namespace plenum::identity

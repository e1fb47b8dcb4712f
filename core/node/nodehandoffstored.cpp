// NodeHandoff, the push to a device that is offline (docs/handoff.md "Store and forward"): the
// snapshot is stored in that device's DHT mailbox, sealed to it, and taken back the same way
// when the push is cancelled; the device reads it when it comes online. Split from
// nodehandoff.cpp to keep each file to one concern.
#include "node/nodehandoff.h"

#include "handoff/snapshot.h"
#include "identity/retry.h"

#include "protocol/codec.h"

#include <QCborArray>
#include <QCborValue>
#include <QPointer>

namespace plenum::node {

using namespace protocol;

void NodeHandoff::dialStoredPushes()
{
    bool waiting = false;
    for (const auto& p : machine_.pushes()) {
        if (!machine_.stored(p.sid)) continue;
        waiting = true;
        if (deps_.linkUp(p.device) || !deps_.online) continue;
        if (const auto published = deps_.online(p.device))
            machine_.onOnline(p.device, now(), *published);
    }
    if (!waiting) storedDial_.stop();
    apply();
}

void NodeHandoff::onStored(const identity::OpenedEnvelope& env)
{
    const DeviceId from = env.sender;
    const auto drop = [&](const QString& why) {
        Q_EMIT warning("a stored hand-off from " + from.shortHex() + " was dropped: " + why);
    };
    if (!env.chain) return drop(QStringLiteral("it has no certificate chain"));
    // Only this account's devices hand sessions to each other (the envelope's verified chain).
    if (env.chain->account != account())
        return drop(QStringLiteral("it comes from a device of another account"));
    QCborParserError error;
    const QCborValue value = QCborValue::fromCbor(env.body, &error);
    const QCborArray parts = value.toArray();
    if (error.error != QCborError::NoError || !value.isArray() || parts.size() != 2 ||
        !parts[0].isByteArray() || !parts[1].isByteArray() ||
        parts[0].toByteArray().size() > kMaxLinkCertificateBytes)
        return drop(QStringLiteral("it is not a stored snapshot"));
    auto link = crypto::Certificate::fromDer(parts[0].toByteArray());
    if (!link) return drop("its link certificate is invalid: " + link.error());
    // The snapshot is signed with A1's link key, which a link's handshake would have taught
    // us: learn it from the chain the envelope's device certificate vouches for.
    if (auto s = deps_.learnChain({link.value(), env.chain->deviceCert, env.chain->accountCert});
        !s)
        return drop("its link certificate does not verify: " + s.error());
    auto message = protocol::decode(parts[1].toByteArray());
    if (!message) return drop(message.error());
    const SessionId sid = message->header.sid;
    if (std::holds_alternative<HandoffPullAnswer>(message->body))
        return onWithdrawn(from, sid, env.sentMs); // the push that failed, in words
    const auto* snapshot = std::get_if<HandoffSnapshot>(&message->body);
    if (!snapshot) return drop(QStringLiteral("it is not a snapshot"));
    // The value may outlive the seat in the DHT (10 min): past the seat's expiry it is void.
    if (snapshot->seat.expiresAtMs <= static_cast<std::uint64_t>(now()))
        return drop(QStringLiteral("its reservation expired before this device came online"));
    // Taken up once this batch of the mailbox is read: a withdrawal in it voids it first.
    QPointer<NodeHandoff> self(this);
    QTimer::singleShot(0, this, [self, from, sid, snapshot = *snapshot, sentMs = env.sentMs] {
        if (!self) return;
        if (auto w = self->withdrawn_.find(sid);
            w != self->withdrawn_.end() && w->second.from == from && sentMs <= w->second.sentMs) {
            Q_EMIT self->warning("a stored hand-off from " + from.shortHex() +
                                 " was dropped: that device took it back");
            return;
        }
        if (self->stored_.size() < kMaxStoredHandoffs) self->stored_.insert(sid, sentMs);
        self->onSnapshot(from, sid, snapshot);
        self->apply();
    });
}

void NodeHandoff::onWithdrawn(const DeviceId& from, const SessionId& sid, qint64 sentMs)
{
    // The withdrawal may be read before the snapshot it voids (the DHT keeps no order).
    if (auto w = withdrawn_.find(sid); w != withdrawn_.end()) {
        if (w->second.from != from || w->second.sentMs < sentMs) w->second = {from, sentMs};
    } else if (qsizetype(withdrawn_.size()) < kMaxStoredHandoffs) {
        withdrawn_.emplace(sid, Withdrawal{from, sentMs});
    }
    if (auto s = stored_.constFind(sid); s != stored_.cend() && *s <= sentMs) {
        machine_.withdraw(sid, from,
                          QStringLiteral("the hand-off was withdrawn on the other device"));
        apply();
    }
}

void NodeHandoff::withdrawStored(const SessionId& sid)
{
    auto it = storedPushes_.find(sid);
    if (it == storedPushes_.end()) return;
    // Named copies, not a structured binding: lambdas below capture them (clang refuses).
    const DeviceId to = it->second.first;
    const qint64 until = it->second.second;
    storedPushes_.erase(it);
    if (until <= now() || !deps_.store) return; // void in A2's eyes already
    const Message m{
        Header{sid, 0, 0, {}},
        HandoffPullAnswer{Code::NotFound, QStringLiteral("the hand-off was withdrawn")}};
    const QByteArray body = mailboxBody(protocol::encode(m));
    // A put that failed (no DHT node answered) is tried again while the stored push could
    // still be offered: A2 coming online would otherwise be offered a cancelled hand-off.
    const identity::RetryPolicy policy{kWithdrawAttempts, kWithdrawRetryMs,
                                       [until](int delay) { return now() + delay < until; }};
    identity::retryWithBackoff(
        this, [this, to, body](auto report) { deps_.store(to, body, std::move(report)); }, policy,
        [this, sid](const Status& s, int attempts) {
            if (!s) {
                Q_EMIT warning("the hand-off of " + sid.shortHex() +
                               " waiting for the other device could not be taken back (" +
                               QString::number(attempts) + " attempts): " + s.error());
            }
        });
}

void NodeHandoff::storeSnapshot(const SessionId& sid, const DeviceId& to, session::Millis ttl)
{
    const auto snapshot = snapshotFor(sid, to, kMaxStoredSnapshotBytes);
    if (!snapshot || !deps_.store) {
        machine_.cancel(sid);
        return;
    }
    const QByteArray body = mailboxBody(handoff::encodeSnapshot(sid, *snapshot));
    // The seat's expiry (the SM's clock) is when the value stops counting, on A2 too.
    const qint64 until =
        snapshot->seat.expiresAtMs != 0 ? qint64(snapshot->seat.expiresAtMs) : now() + ttl;
    QPointer<NodeHandoff> self(this);
    deps_.store(to, body, [self, sid, to, until](Status s) {
        if (!self) return;
        if (s) {
            if (!self->machine_.stored(sid)) return;
            self->storedPushes_[sid] = {to, until};
            if (!self->storedDial_.isActive()) self->storedDial_.start();
            Q_EMIT self->stored(sid, to, until);
            return;
        }
        self->machine_.onStored(sid, false, s.error());
        self->apply();
    });
}

QByteArray NodeHandoff::mailboxBody(const QByteArray& message) const
{
    // What onStored reads: the certificate of the link key the message may be signed with,
    // beside the message.
    return QCborValue(QCborArray{deps_.linkCertificate(), message}).toCbor();
}

} // namespace plenum::node

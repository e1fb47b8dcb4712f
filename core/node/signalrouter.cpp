#include "node/signalrouter.h"

#include "net/signalmessage.h"
#include "protocol/limits.h"

#include <QLoggingCategory>

namespace plenum::node {

namespace {
Q_LOGGING_CATEGORY(lcRoute, "plenum.node.signal", QtWarningMsg)
// Devices tracked at once (peers we signal to, peers that reached us through a relay); beyond
// this the DHT carries the signaling, as before relays existed.
constexpr qsizetype kMaxTrackedPeers = 1024;
} // namespace

SignalRouter::SignalRouter(identity::DeviceMailbox* mailbox, Hooks hooks, QObject* parent)
    : net::Signaling(parent), mailbox_(mailbox), dht_(mailbox), hooks_(std::move(hooks))
{
    connect(&dht_, &net::Signaling::received, this,
            [this](const DeviceId& from, const QByteArray& bytes) {
                heardFrom(from, bytes);
                Q_EMIT received(from, bytes);
            });
}

void SignalRouter::sendByDht(const DeviceId& to, const QByteArray& bytes)
{
    ++stats_.dhtSentTo[to];
    dht_.send(to, bytes);
}

void SignalRouter::send(const DeviceId& to, const QByteArray& bytes)
{
    auto it = peers_.find(to);
    if (it == peers_.end()) {
        std::optional<Relay> relay = cameVia_.value(to, Relay{});
        if (relay->device.isNull()) relay = hooks_.relayFor ? hooks_.relayFor(to) : std::nullopt;
        qCDebug(lcRoute, "->%s route: %s", qPrintable(to.shortHex()),
                relay ? qPrintable("relay " + relay->device.shortHex()) : "DHT");
        if (!relay || relay->device == to || peers_.size() >= kMaxTrackedPeers)
            return sendByDht(to, bytes);
        auto peer = std::make_shared<Peer>();
        peer->relay = *relay;
        it = peers_.insert(to, peer);
    }
    Peer& peer = **it;
    if (auto m = net::SignalMessage::decode(bytes); m && m->type == net::SignalMessage::Type::Offer)
        peer.offered = m->attempt;
    else if (m && m->type == net::SignalMessage::Type::Answer)
        peer.answered = m->attempt;
    if (peer.dhtOnly) return sendByDht(to, bytes);
    if (peer.pending.size() + peer.unanswered.size() >= kMaxPendingPerPeer)
        return fallBack(to, QStringLiteral("too much is waiting"));
    peer.pending.append(bytes);
    if (!peer.deadline) {
        peer.deadline = std::make_unique<QTimer>();
        peer.deadline->setSingleShot(true);
        connect(peer.deadline.get(), &QTimer::timeout, this, [this, to] {
            fallBack(to,
                     QStringLiteral("no answer through the relay within %1 ms").arg(kFallbackMs));
        });
    }
    if (!peer.deadline->isActive()) peer.deadline->start(kFallbackMs);
    // Later: what ICE sends in this turn (the offer, then its candidates) goes in one envelope.
    if (!peer.flushQueued) {
        peer.flushQueued = true;
        QTimer::singleShot(0, this, [this, to] {
            if (auto p = peers_.value(to)) {
                p->flushQueued = false;
                flush(to);
            }
        });
    }
}

void SignalRouter::flush(const DeviceId& to)
{
    auto p = peers_.value(to);
    if (!p || p->dhtOnly || p->pending.isEmpty()) return;
    Peer& peer = *p;
    const DeviceId relay = peer.relay.device;
    if (!hooks_.linkUp(relay)) return; // onLinkUp(relay) flushes; the deadline bounds the wait
    if (!mailbox_->knowsKey(to)) {
        if (!peer.keyAsked) {
            peer.keyAsked = true;
            hooks_.sendOnLink(relay,
                              {hooks_.header(peer.relay.sid), protocol::RelayKeyRequest{to}});
        }
        return; // onRelayKey flushes
    }
    while (!peer.pending.isEmpty()) {
        const QList<QByteArray> batch = peer.pending.mid(0, identity::DhtSignaling::kMaxBatch);
        auto sealed = mailbox_->sealFor(to, identity::RequestKind::Signal,
                                        identity::DhtSignaling::pack(batch));
        if (!sealed || sealed->size() > qsizetype(protocol::limits::kMaxRelaySealedBytes))
            return fallBack(to, sealed ? QStringLiteral("the signal is too large to relay")
                                       : sealed.error());
        peer.pending.remove(0, batch.size());
        peer.unanswered += batch;
        stats_.relaySentTo[to] += int(batch.size());
        ++stats_.envelopesRelayed;
        hooks_.sendOnLink(relay, {hooks_.header(peer.relay.sid),
                                  protocol::RelaySignal{to, std::move(sealed).value()}});
    }
}

void SignalRouter::onLinkUp(const DeviceId& peer)
{
    // A link to it is up: whatever we relayed before arrived. The next link attempt to it
    // chooses its path afresh (the SM may have changed).
    if (auto p = peers_.value(peer)) {
        p->unanswered.clear();
        if (p->pending.isEmpty()) peers_.remove(peer);
    }
    cameVia_.remove(peer);
    for (auto it = peers_.cbegin(); it != peers_.cend(); ++it)
        if (it.value()->relay.device == peer && !it.value()->pending.isEmpty())
            QTimer::singleShot(0, this, [this, to = it.key()] { flush(to); });
}

void SignalRouter::heardFrom(const DeviceId& from, const QByteArray& bytes)
{
    // Only the answer to our offer proves that the relay delivered it. Anything else the device
    // sends may cross ours in flight, and our answer is proven by the link alone: a relay that
    // forwarded it onto a link the device was closing lost it without a RELAY_FAILED, and the
    // device's candidates, heard meanwhile, used to stop this deadline (issue 15).
    auto p = peers_.value(from);
    if (!p || !p->deadline || !p->pending.isEmpty()) return;
    const auto m = net::SignalMessage::decode(bytes);
    if (m && m->type == net::SignalMessage::Type::Answer && m->attempt == p->offered)
        p->deadline->stop();
}

void SignalRouter::fallBack(const DeviceId& to, const QString& why)
{
    auto p = peers_.value(to);
    if (!p || p->dhtOnly) return;
    p->dhtOnly = true;
    if (p->deadline) p->deadline->stop();
    ++stats_.fallbacks;
    cameVia_.remove(to);
    Q_EMIT warning("signaling to " + to.shortHex() + " falls back to the DHT: " + why);
    qCDebug(lcRoute, "->%s falls back: %lld unanswered, %lld pending", qPrintable(to.shortHex()),
            qlonglong(p->unanswered.size()), qlonglong(p->pending.size()));
    const QList<QByteArray> again = p->unanswered + p->pending;
    p->unanswered.clear();
    p->pending.clear();
    // Only our latest offer's and latest answer's attempts: an older attempt of ours is over,
    // and its offer arriving late would make the peer answer a dead attempt.
    for (const QByteArray& b : again) {
        const auto m = net::SignalMessage::decode(b);
        if (!m || m->attempt == p->offered || m->attempt == p->answered) sendByDht(to, b);
    }
}

void SignalRouter::onRelaySignal(const DeviceId& relay, const SessionId& sid,
                                 const protocol::RelaySignal& m)
{
    auto env = mailbox_->openRelayed(m.sealed);
    QString why;
    if (!env)
        why = env.error();
    else if (env->kind != identity::RequestKind::Signal || !env->chain)
        why = QStringLiteral("it is not a signaling request");
    else if (env->sender != m.peer)
        why = QStringLiteral("the relay names another sender than the signature");
    QList<QByteArray> list;
    if (why.isEmpty()) {
        list = identity::DhtSignaling::unpack(env->body);
        if (list.isEmpty()) why = QStringLiteral("the signal list is malformed");
    }
    if (!why.isEmpty()) {
        ++stats_.rejected;
        Q_EMIT warning("a relayed signal from " + relay.shortHex() + " was refused: " + why);
        return;
    }
    const DeviceId from = env->sender;
    if (cameVia_.contains(from) || cameVia_.size() < kMaxTrackedPeers)
        cameVia_.insert(from, Relay{relay, sid});
    for (const QByteArray& item : list) {
        heardFrom(from, item);
        Q_EMIT received(from, item);
    }
}

void SignalRouter::onRelayKey(const DeviceId& relay, const protocol::RelayKey& m)
{
    auto p = peers_.value(m.device);
    if (!p || p->relay.device != relay || !p->keyAsked) return; // not asked: ignored
    auto device = crypto::Certificate::fromDer(m.deviceCert);
    auto account = crypto::Certificate::fromDer(m.accountCert);
    // Self-certifying: the chain must verify and hash to the id we asked for, so a relay can
    // only withhold a key, never substitute one.
    std::optional<crypto::VerifiedChain> chain;
    if (device && account)
        if (auto v = crypto::verifyDeviceChain({device.value(), account.value()}); v)
            chain = v.value();
    if (!chain || chain->device != m.device)
        return fallBack(m.device, QStringLiteral("the relay sent a key that does not match"));
    mailbox_->addKnownDevice(device.value());
    flush(m.device);
}

void SignalRouter::onRelayFailed(const DeviceId& relay, const protocol::RelayFailed& m)
{
    auto p = peers_.value(m.peer);
    if (!p || p->relay.device != relay) return;
    fallBack(m.peer, QStringLiteral("the relay cannot reach it: ") + m.reason);
}

} // namespace plenum::node

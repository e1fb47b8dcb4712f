#include "net/linkmanager.h"

#include <QRandomGenerator>

namespace plenum::net {

namespace {
constexpr qsizetype kMaxEarlySignals = 64;
}

LinkManager::LinkManager(const LinkCredentials& credentials, ChainVerifier verifier,
                         Signaling* signaling, const ControlLinkConfig& config, QObject* parent)
    : QObject(parent), credentials_(credentials), verifier_(std::move(verifier)),
      signaling_(signaling), config_(config)
{
    connect(signaling_, &Signaling::received, this, &LinkManager::onSignal);
}

void LinkManager::setAcceptFilter(std::function<bool(const DeviceId&)> filter)
{
    acceptFilter_ = std::move(filter);
}

ControlLink* LinkManager::createLink(const DeviceId& peer)
{
    auto* link = new ControlLink(credentials_, verifier_, peer, config_, this);
    link->setSignalSender([this, peer](const QByteArray& bytes) { signaling_->send(peer, bytes); });
    connect(link, &ControlLink::linkUp, this, [this, peer] { Q_EMIT linkUp(peer); });
    connect(link, &ControlLink::message, this,
            [this, peer](const QByteArray& m) { Q_EMIT message(peer, m); });
    connect(link, &ControlLink::linkDown, this, [this, link, peer](const QString& reason) {
        forget(link);
        Q_EMIT linkDown(peer, reason);
    });
    links_.insert(peer, link);
    Q_EMIT linkCreated(link);
    return link;
}

void LinkManager::forget(ControlLink* link)
{
    if (links_.value(link->peer()) == link) links_.remove(link->peer());
    link->deleteLater();
}

ControlLink* LinkManager::connectTo(const DeviceId& peer)
{
    if (ControlLink* existing = links_.value(peer);
        existing && existing->state() != ControlLink::State::Down)
        return existing;
    ControlLink* link = createLink(peer);
    if (auto ok = link->connectToPeer(QRandomGenerator::global()->generate64()); !ok) {
        // linkDown carries the reason; the caller sees the link in state Down.
        QMetaObject::invokeMethod(
            link, [link, reason = ok.error()] { link->close(reason); }, Qt::QueuedConnection);
    }
    return link;
}

void LinkManager::disconnectFrom(const DeviceId& peer, const QString& reason)
{
    if (ControlLink* link = links_.value(peer)) link->close(reason);
}

void LinkManager::onSignal(const DeviceId& from, const QByteArray& bytes)
{
    auto decoded = SignalMessage::decode(bytes);
    if (!decoded) {
        qWarning("net: signaling from %s dropped: %s", qPrintable(from.shortHex()),
                 qPrintable(decoded.error()));
        return;
    }
    const SignalMessage& m = decoded.value();
    if (m.type == SignalMessage::Type::Offer) {
        onOffer(from, m);
        return;
    }
    ControlLink* link = links_.value(from);
    if (link && link->attempt() == m.attempt) {
        link->handleSignal(m);
        return;
    }
    QList<SignalMessage>& early = early_[from];
    if (early.size() < kMaxEarlySignals) early.append(m);
}

void LinkManager::onOffer(const DeviceId& from, const SignalMessage& offer)
{
    if (acceptFilter_ && !acceptFilter_(from)) return;
    if (ControlLink* existing = links_.value(from)) {
        if (existing->attempt() == offer.attempt) return; // duplicate delivery
        // Glare: both sides offered. The lower DeviceId's attempt wins.
        if (existing->state() == ControlLink::State::Connecting && self() < from) return;
        // Otherwise the peer's new attempt replaces ours (it lost the old link, or won glare).
        forget(existing);
        disconnect(existing, nullptr, this, nullptr);
        existing->close(QStringLiteral("replaced by a new link attempt from the peer"));
    }
    ControlLink* link = createLink(from);
    const QList<SignalMessage> early = early_.take(from);
    if (auto ok = link->acceptOffer(offer); !ok) {
        link->close(ok.error());
        return;
    }
    for (const SignalMessage& m : early)
        if (m.attempt == offer.attempt) link->handleSignal(m);
}

} // namespace plenum::net

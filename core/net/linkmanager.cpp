#include "net/linkmanager.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

namespace plenum::net {

namespace {
// Attempt-level trace (who dialed, which offer won glare, which signal matched nothing):
// QT_LOGGING_RULES="plenum.net.links.debug=true".
Q_LOGGING_CATEGORY(lcLinks, "plenum.net.links", QtWarningMsg)
constexpr qsizetype kMaxEarlySignals = 64;
constexpr qsizetype kMaxEarlySenders = 256; // devices with early candidates waiting
} // namespace

LinkManager::LinkManager(const LinkCredentials& credentials, ChainVerifier verifier,
                         Signaling* signaling, const ControlLinkConfig& config, QObject* parent)
    : QObject(parent), credentials_(credentials), verifier_(std::move(verifier)),
      signaling_(signaling), config_(config), trustedLimiter_(LinkAttemptLimits{}.trusted),
      strangerLimiter_(LinkAttemptLimits{}.stranger),
      strangersLimiter_(LinkAttemptLimits{}.strangers)
{
    clock_.start();
    connect(signaling_, &Signaling::received, this, &LinkManager::onSignal);
}

void LinkManager::setAcceptPolicy(std::function<LinkAdmission(const DeviceId&)> policy)
{
    acceptPolicy_ = std::move(policy);
}

void LinkManager::setAcceptFilter(std::function<bool(const DeviceId&)> filter)
{
    if (!filter) return setAcceptPolicy({});
    setAcceptPolicy([filter = std::move(filter)](const DeviceId& d) {
        return filter(d) ? LinkAdmission::Trusted : LinkAdmission::Refused;
    });
}

void LinkManager::setAttemptLimits(const LinkAttemptLimits& limits)
{
    trustedLimiter_ = RateLimiter(limits.trusted);
    strangerLimiter_ = RateLimiter(limits.stranger);
    strangersLimiter_ = RateLimiter(limits.strangers);
}

bool LinkManager::admitOffer(const DeviceId& from)
{
    const LinkAdmission who = acceptPolicy_ ? acceptPolicy_(from) : LinkAdmission::Trusted;
    const qint64 now = clock_.elapsed();
    QString refusal;
    if (who == LinkAdmission::Refused)
        refusal = QStringLiteral("not accepted from this device");
    else if (who == LinkAdmission::Trusted && !trustedLimiter_.take(from, now))
        refusal = QStringLiteral("too many link attempts from this device");
    else if (who == LinkAdmission::Stranger &&
             (!strangerLimiter_.take(from, now) || !strangersLimiter_.take(DeviceId{}, now)))
        refusal = QStringLiteral("too many link attempts from unknown devices");
    if (refusal.isEmpty()) return true;
    ++refusedOffers_;
    qCDebug(lcLinks, "%s<-%s offer refused: %s", qPrintable(self().shortHex()),
            qPrintable(from.shortHex()), qPrintable(refusal));
    Q_EMIT offerRefused(from, refusal);
    return false;
}

ControlLink* LinkManager::createLink(const DeviceId& peer, bool replacement)
{
    auto* link = new ControlLink(credentials_, verifier_, peer, config_, this);
    link->setSignalSender([this, peer](const QByteArray& bytes) { signaling_->send(peer, bytes); });
    connect(link, &ControlLink::linkUp, this, [this, link, peer] {
        qCDebug(lcLinks, "%s->%s attempt %llx up%s", qPrintable(self().shortHex()),
                qPrintable(peer.shortHex()), qulonglong(link->attempt()),
                replacing_.value(peer) == link ? " (replacement)" : "");
        if (replacing_.value(peer) == link) promote(link);
        Q_EMIT linkUp(peer);
    });
    connect(link, &ControlLink::message, this,
            [this, peer](const QByteArray& m) { Q_EMIT message(peer, m); });
    connect(link, &ControlLink::linkDown, this, [this, link, peer](const QString& reason) {
        const bool current = links_.value(peer) == link;
        qCDebug(lcLinks, "%s->%s attempt %llx down%s: %s", qPrintable(self().shortHex()),
                qPrintable(peer.shortHex()), qulonglong(link->attempt()),
                current ? "" : " (not current)", qPrintable(reason));
        forget(link);
        if (current) Q_EMIT linkDown(peer, reason); // a failed replacement leaves the old link
    });
    if (replacement) {
        if (ControlLink* previous = replacing_.take(peer)) {
            disconnect(previous, nullptr, this, nullptr);
            previous->close(QStringLiteral("superseded by a newer link attempt"));
            previous->deleteLater();
        }
        replacing_.insert(peer, link);
    } else {
        links_.insert(peer, link);
    }
    Q_EMIT linkCreated(link);
    return link;
}

void LinkManager::promote(ControlLink* link)
{
    const DeviceId peer = link->peer();
    replacing_.remove(peer);
    if (ControlLink* old = links_.value(peer)) {
        // The session layer sees linkUp for the new link and can send HELLO on it; the old
        // link goes without a linkDown (DESIGN §5.1 rule 2: replaced, not lost).
        disconnect(old, nullptr, this, nullptr);
        old->close(QStringLiteral("replaced by a newer link to the same device"));
        old->deleteLater();
    }
    links_.insert(peer, link);
}

void LinkManager::forget(ControlLink* link)
{
    if (links_.value(link->peer()) == link) links_.remove(link->peer());
    if (replacing_.value(link->peer()) == link) replacing_.remove(link->peer());
    link->deleteLater();
}

ControlLink* LinkManager::connectTo(const DeviceId& peer)
{
    if (ControlLink* existing = links_.value(peer);
        existing && existing->state() != ControlLink::State::Down)
        return existing;
    ControlLink* link = createLink(peer);
    const quint64 attempt = QRandomGenerator::global()->generate64();
    qCDebug(lcLinks, "%s->%s dial attempt %llx", qPrintable(self().shortHex()),
            qPrintable(peer.shortHex()), qulonglong(attempt));
    if (auto ok = link->connectToPeer(attempt); !ok) {
        // linkDown carries the reason; the caller sees the link in state Down.
        QMetaObject::invokeMethod(
            link, [link, reason = ok.error()] { link->close(reason); }, Qt::QueuedConnection);
    }
    return link;
}

void LinkManager::disconnectFrom(const DeviceId& peer, const QString& reason)
{
    if (ControlLink* link = links_.value(peer)) {
        qCDebug(lcLinks, "%s->%s close attempt %llx: %s", qPrintable(self().shortHex()),
                qPrintable(peer.shortHex()), qulonglong(link->attempt()), qPrintable(reason));
        link->close(reason);
    }
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
    for (ControlLink* link : {links_.value(from), replacing_.value(from)}) {
        if (link && link->attempt() == m.attempt) {
            qCDebug(lcLinks, "%s<-%s type %d attempt %llx (link state %d)",
                    qPrintable(self().shortHex()), qPrintable(from.shortHex()), int(m.type),
                    qulonglong(m.attempt), int(link->state()));
            link->handleSignal(m);
            return;
        }
    }
    qCDebug(lcLinks, "%s<-%s type %d attempt %llx matches no link (held as early)",
            qPrintable(self().shortHex()), qPrintable(from.shortHex()), int(m.type),
            qulonglong(m.attempt));
    if (!early_.contains(from) && early_.size() >= kMaxEarlySenders) return;
    QList<SignalMessage>& early = early_[from];
    if (early.size() < kMaxEarlySignals) early.append(m);
}

void LinkManager::onOffer(const DeviceId& from, const SignalMessage& offer)
{
    bool replacement = false;
    ControlLink* existing = links_.value(from);
    qCDebug(lcLinks, "%s<-%s offer %llx; ours: %llx %s state %d, replacing %llx",
            qPrintable(self().shortHex()), qPrintable(from.shortHex()), qulonglong(offer.attempt),
            existing ? qulonglong(existing->attempt()) : 0ULL,
            existing ? (existing->answering() ? "answering" : "offering") : "-",
            existing ? int(existing->state()) : -1,
            replacing_.value(from) ? qulonglong(replacing_.value(from)->attempt()) : 0ULL);
    // A duplicate delivery of an offer we are already answering costs nothing: not counted.
    if (existing && existing->attempt() == offer.attempt) return;
    if (ControlLink* pending = replacing_.value(from);
        pending && pending->attempt() == offer.attempt)
        return;
    if (!admitOffer(from)) return;
    if (existing) {
        if (existing->state() == ControlLink::State::Up) {
            // The peer lost this link (restart, network change) and dials again. Keep ours
            // until the new one is up: a failed attempt must not cost a working link.
            replacement = true;
        } else if (!existing->answering() && self() < from) {
            qCDebug(lcLinks, "%s<-%s offer %llx ignored: glare, ours wins",
                    qPrintable(self().shortHex()), qPrintable(from.shortHex()),
                    qulonglong(offer.attempt));
            return; // glare: both offered; the lower DeviceId's attempt wins
        } else {
            // Glare that we lose: drop our attempt and answer theirs. Or we were answering an
            // older offer of theirs that they gave up (a restarted peer, or one that closed
            // the attempt): that one can never come up, so the new offer replaces it. Kept,
            // it blocked the peer's every new attempt until our connect timeout (10 s).
            forget(existing);
            disconnect(existing, nullptr, this, nullptr);
            existing->close(QStringLiteral("replaced by the peer's link attempt"));
        }
    }
    ControlLink* link = createLink(from, replacement);
    const QList<SignalMessage> early = early_.take(from);
    if (auto ok = link->acceptOffer(offer); !ok) {
        link->close(ok.error());
        return;
    }
    for (const SignalMessage& m : early)
        if (m.attempt == offer.attempt) link->handleSignal(m);
}

} // namespace plenum::net

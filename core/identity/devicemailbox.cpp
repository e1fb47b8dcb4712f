#include "identity/devicemailbox.h"

#include "identity/deviceidentity.h"
#include "identity/retry.h"

#include <QCborArray>
#include <QDateTime>
#include <QTimer>

#include <memory>

namespace plenum::identity {

DeviceMailbox::DeviceMailbox(DhtNode* node, EnvelopeOpener opener, QObject* parent)
    : QObject(parent), node_(node), opener_(std::move(opener))
{
}

Result<DeviceMailbox*> DeviceMailbox::create(DhtNode* node, const DeviceIdentity& device,
                                             QObject* parent)
{
    auto opener = EnvelopeOpener::create(device.deviceKey());
    if (!opener) return Error{opener.error()};
    auto* box = new DeviceMailbox(node, std::move(opener).value(), parent);
    box->key_ = &device.deviceKey();
    box->chain_ = device.deviceChain();
    return box;
}

Result<DeviceMailbox*>
DeviceMailbox::createUncertified(DhtNode* node, const crypto::PrivateKey& key, QObject* parent)
{
    auto opener = EnvelopeOpener::create(key);
    if (!opener) return Error{opener.error()};
    auto* box = new DeviceMailbox(node, std::move(opener).value(), parent);
    box->key_ = &key;
    return box;
}

QByteArray DeviceMailbox::inboxKey(const DeviceId& device)
{
    return QByteArrayLiteral("plenum:inbox:") + device.toHex().toLatin1();
}

QByteArray DeviceMailbox::certificateKey(const DeviceId& device)
{
    return QByteArrayLiteral("plenum:device:") + device.toHex().toLatin1();
}

void DeviceMailbox::start()
{
    if (listenToken_ != 0) return;
    listenToken_ =
        node_->listen(inboxKey(self()), [this](const QList<DhtValue>& v) { onValues(v); });
    if (!chain_.isEmpty()) {
        QCborArray certs;
        for (const crypto::Certificate& c : chain_)
            certs.append(c.toDer());
        node_->put(certificateKey(self()), QCborValue(certs).toCbor(), 1, true, true);
    }
}

void DeviceMailbox::addKnownDevice(const crypto::Certificate& deviceCert)
{
    knownKeys_.insert(crypto::deviceIdOf(deviceCert), deviceCert.publicKeyDer());
}

void DeviceMailbox::lookUp(const DeviceId& to, std::function<void(Result<QByteArray>)> then)
{
    if (auto it = knownKeys_.constFind(to); it != knownKeys_.constEnd()) {
        then(it.value());
        return;
    }
    auto& waiting = pendingLookUps_[to];
    waiting.append(std::move(then));
    if (waiting.size() == 1) fetchCertificate(to);
}

void DeviceMailbox::finishLookUp(const DeviceId& to, const Result<QByteArray>& key)
{
    const auto waiting = pendingLookUps_.take(to);
    for (const auto& then : waiting)
        then(key);
}

void DeviceMailbox::fetchCertificate(const DeviceId& to)
{
    // One get per attempt; the look-up succeeds as soon as a valid chain arrives.
    auto found = std::make_shared<bool>(false);
    const RetryAttempt get = [this, to, found](std::function<void(Status)> report) {
        node_->get(
            certificateKey(to),
            [this, to, found](const QList<DhtValue>& values) {
                for (const DhtValue& v : values) {
                    if (*found) return;
                    QCborParserError err;
                    const QCborArray certs = QCborValue::fromCbor(v.data, &err).toArray();
                    if (err.error != QCborError::NoError || certs.size() != 2) continue;
                    auto dc = crypto::Certificate::fromDer(certs[0].toByteArray());
                    auto ac = crypto::Certificate::fromDer(certs[1].toByteArray());
                    if (!dc || !ac) continue;
                    auto chain = crypto::verifyDeviceChain({dc.value(), ac.value()}, revoked_);
                    // Self-certifying: whatever the DHT returns must hash to the id we asked for.
                    if (!chain || chain->device != to) continue;
                    *found = true;
                    knownKeys_.insert(to, dc->publicKeyDer());
                    finishLookUp(to, dc->publicKeyDer());
                }
            },
            [found, report](bool) {
                report(*found ? Status{Ok{}} : Status{fail(QStringLiteral("not found"))});
            });
    };
    retryWithBackoff(
        this, get, RetryPolicy{kLookUpAttempts, kFirstLookUpRetryMs},
        [this, to](const Status& s, int) {
            if (s) return;
            finishLookUp(
                to,
                fail(
                    QStringLiteral("the device %1 cannot be found on the DHT").arg(to.shortHex())));
        });
}

void DeviceMailbox::send(const DeviceId& to, RequestKind kind, const QByteArray& body,
                         std::function<void(Status)> done)
{
    lookUp(to, [this, to, kind, body, done](Result<QByteArray> key) {
        if (!key) {
            if (done) done(Error{key.error()});
            return;
        }
        sendToKey(to, key.value(), kind, body, done);
    });
}

void DeviceMailbox::sendToKey(const DeviceId& to, const QByteArray& publicKeyDer, RequestKind kind,
                              const QByteArray& body, std::function<void(Status)> done)
{
    auto sealed = SealedEnvelope::seal(*key_, chain_, to, publicKeyDer, kind, body,
                                       QDateTime::currentMSecsSinceEpoch());
    if (!sealed) {
        if (done) done(Error{sealed.error()});
        return;
    }
    node_->put(inboxKey(to), sealed.value(), 0, false, false, [done, to](bool ok) {
        if (!done) return;
        if (ok)
            done(Ok{});
        else
            done(fail(QStringLiteral("the request to %1 could not be stored on the DHT")
                          .arg(to.shortHex())));
    });
}

Status DeviceMailbox::setReplayRecord(const QString& path)
{
    return replays_.open(path, QDateTime::currentMSecsSinceEpoch());
}

Result<OpenedEnvelope> DeviceMailbox::admit(const QByteArray& sealed, qint64 now, bool* silent)
{
    *silent = false;
    auto env = opener_.open(sealed, revoked_);
    if (!env) return env;
    if (env->sentMs < now - kMaxAgeMs || env->sentMs > now + kMaxSkewMs)
        return fail(QStringLiteral("the request is too old or from the future"));
    // Blocked accounts first, so their spam cannot fill the replay memory.
    if (env->chain && refuse_ && refuse_(env->chain->account)) {
        *silent = true; // as if offline
        return fail(QStringLiteral("the sender is blocked"));
    }
    // The DHT may deliver a value more than once; an attacker may store a captured one.
    if (!replays_.admit(env->nonce, env->sentMs, now)) {
        *silent = true;
        return fail(QStringLiteral("the request was seen before (a replay)"));
    }
    // The sender's chain verified and its id is the hash of its key: an answer to it (an ICE
    // answer to an offer, an offer to the SM that invited us) needs no certificate look-up on
    // the DHT, which cost a DHT round trip on the join's critical path (issue 11).
    if (env->chain) knownKeys_.insert(env->sender, env->chain->deviceCert.publicKeyDer());
    return env;
}

void DeviceMailbox::onValues(const QList<DhtValue>& values)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const DhtValue& v : values) {
        if (v.expired) continue;
        bool silent = false;
        auto env = admit(v.data, now, &silent);
        if (!env) {
            if (!silent) Q_EMIT requestRejected(env.error());
            continue;
        }
        Q_EMIT requestReceived(env.value());
    }
}

Result<QByteArray> DeviceMailbox::sealFor(const DeviceId& to, RequestKind kind,
                                          const QByteArray& body) const
{
    const auto key = knownKeys_.constFind(to);
    if (key == knownKeys_.constEnd())
        return fail(QStringLiteral("the key of %1 is not known").arg(to.shortHex()));
    return SealedEnvelope::seal(*key_, chain_, to, key.value(), kind, body,
                                QDateTime::currentMSecsSinceEpoch());
}

Result<OpenedEnvelope> DeviceMailbox::openRelayed(const QByteArray& sealed)
{
    bool silent = false;
    return admit(sealed, QDateTime::currentMSecsSinceEpoch(), &silent);
}

} // namespace plenum::identity

#include "identity/envelopeopener.h"

#include <opendht/crypto.h>

#include <QCborArray>
#include <QCborMap>

namespace plenum::identity {

namespace {

Result<QCborMap> parseMap(const QByteArray& bytes)
{
    QCborParserError err;
    const QCborValue v = QCborValue::fromCbor(bytes, &err);
    if (err.error != QCborError::NoError || !v.isMap())
        return fail(QStringLiteral("the request is malformed"));
    return v.toMap();
}

bool validKind(qint64 k)
{
    return k >= static_cast<int>(RequestKind::Invitation) &&
           k <= static_cast<int>(RequestKind::PairingGrant);
}

} // namespace

EnvelopeOpener::EnvelopeOpener(EnvelopeOpener&&) noexcept = default;
EnvelopeOpener& EnvelopeOpener::operator=(EnvelopeOpener&&) noexcept = default;
EnvelopeOpener::~EnvelopeOpener() = default;

Result<EnvelopeOpener> EnvelopeOpener::create(const crypto::PrivateKey& deviceKey)
{
    const QByteArray pem = deviceKey.toPem();
    EnvelopeOpener o;
    try {
        o.key_ = std::make_unique<dht::crypto::PrivateKey>(
            reinterpret_cast<const uint8_t*>(pem.constData()), static_cast<size_t>(pem.size()),
            nullptr);
    } catch (const std::exception& e) {
        return fail(QStringLiteral("the device key cannot be used for decryption: %1")
                        .arg(QString::fromUtf8(e.what())));
    }
    o.self_ = DeviceId::fromBytes(crypto::sha256(deviceKey.publicKeyDer())).value_or(DeviceId{});
    return o;
}

Result<OpenedEnvelope> EnvelopeOpener::open(const QByteArray& sealed,
                                            const QSet<DeviceId>& revoked) const
{
    if (sealed.isEmpty() || sealed.size() > SealedEnvelope::kMaxSealed)
        return fail(QStringLiteral("the request is empty or too large"));
    QByteArray plain;
    try {
        const dht::Blob out = key_->decrypt(reinterpret_cast<const uint8_t*>(sealed.constData()),
                                            static_cast<size_t>(sealed.size()));
        plain = QByteArray(reinterpret_cast<const char*>(out.data()),
                           static_cast<qsizetype>(out.size()));
    } catch (const std::exception&) {
        return fail(QStringLiteral("the request cannot be decrypted by this device (tampered, or "
                                   "sealed for another device)"));
    }
    auto outer = parseMap(plain);
    if (!outer) return Error{outer.error()};
    const QByteArray inner = outer->value(QStringLiteral("inner")).toByteArray();
    const QByteArray sig = outer->value(QStringLiteral("sig")).toByteArray();
    auto m = parseMap(inner);
    if (!m) return Error{m.error()};

    OpenedEnvelope env;
    env.senderKeyDer = m->value(QStringLiteral("key")).toByteArray();
    if (!crypto::verifySignature(env.senderKeyDer, inner, sig))
        return fail(QStringLiteral("the request's signature does not match its sender"));
    if (m->value(QStringLiteral("v")).toInteger() != 1)
        return fail(QStringLiteral("the request has an unknown version"));
    const auto to = DeviceId::fromBytes(m->value(QStringLiteral("to")).toByteArray());
    if (!to || *to != self_)
        return fail(QStringLiteral("the request is addressed to another device"));
    const qint64 kind = m->value(QStringLiteral("kind")).toInteger();
    if (!validKind(kind)) return fail(QStringLiteral("the request has an unknown kind"));
    env.kind = static_cast<RequestKind>(kind);
    env.body = m->value(QStringLiteral("body")).toByteArray();
    env.sentMs = m->value(QStringLiteral("sent")).toInteger();
    env.nonce = m->value(QStringLiteral("nonce")).toByteArray();
    env.sender = DeviceId::fromBytes(crypto::sha256(env.senderKeyDer)).value_or(DeviceId{});

    const QCborArray chainDer = m->value(QStringLiteral("chain")).toArray();
    if (chainDer.isEmpty()) {
        if (env.kind != RequestKind::PairingRequest)
            return fail(QStringLiteral("the request carries no certificate chain"));
        return env;
    }
    if (chainDer.size() != 2)
        return fail(QStringLiteral("the request's certificate chain has the wrong length"));
    QList<crypto::Certificate> chain;
    for (const QCborValue& v : chainDer) {
        auto c = crypto::Certificate::fromDer(v.toByteArray());
        if (!c) return fail(QStringLiteral("the request's certificate chain is unreadable"));
        chain.append(c.value());
    }
    auto verified = crypto::verifyDeviceChain(chain, revoked);
    if (!verified)
        return fail(QStringLiteral("the sender is not trusted: %1").arg(verified.error()));
    if (verified->device != env.sender)
        return fail(
            QStringLiteral("the request is signed by a key other than its sender's device"));
    env.chain = verified.value();
    return env;
}

} // namespace plenum::identity

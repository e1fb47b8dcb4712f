#include "identity/sealedenvelope.h"

#include <opendht/crypto.h>

#include <QCborArray>
#include <QCborMap>

namespace plenum::identity {

Result<QByteArray> SealedEnvelope::seal(const crypto::PrivateKey& senderKey,
                                        const QList<crypto::Certificate>& senderChain,
                                        const DeviceId& recipient,
                                        const QByteArray& recipientPublicKeyDer, RequestKind kind,
                                        const QByteArray& body, qint64 sentMs)
{
    if (body.size() > kMaxBody)
        return fail(
            QStringLiteral("the request is too large for the DHT (%1 bytes)").arg(body.size()));
    if (senderChain.isEmpty() && kind != RequestKind::PairingRequest)
        return fail(QStringLiteral("only a pairing request may be sent without certificates"));
    QCborArray chain;
    for (const crypto::Certificate& c : senderChain)
        chain.append(c.toDer());
    const QByteArray inner = QCborMap{{QStringLiteral("v"), 1},
                                      {QStringLiteral("kind"), static_cast<int>(kind)},
                                      {QStringLiteral("to"), recipient.toBytes()},
                                      {QStringLiteral("key"), senderKey.publicKeyDer()},
                                      {QStringLiteral("chain"), chain},
                                      {QStringLiteral("body"), body},
                                      {QStringLiteral("sent"), sentMs},
                                      {QStringLiteral("nonce"), crypto::randomBytes(16)}}
                                 .toCborValue()
                                 .toCbor();
    const QByteArray sig = senderKey.sign(inner);
    if (sig.isEmpty()) return fail(QStringLiteral("the request could not be signed"));
    const QByteArray signedMsg =
        QCborMap{{QStringLiteral("inner"), inner}, {QStringLiteral("sig"), sig}}
            .toCborValue()
            .toCbor();
    try {
        const dht::crypto::PublicKey pub(
            reinterpret_cast<const uint8_t*>(recipientPublicKeyDer.constData()),
            static_cast<size_t>(recipientPublicKeyDer.size()));
        const dht::Blob out = pub.encrypt(reinterpret_cast<const uint8_t*>(signedMsg.constData()),
                                          static_cast<size_t>(signedMsg.size()));
        if (out.size() > static_cast<size_t>(kMaxSealed))
            return fail(QStringLiteral("the sealed request is too large for the DHT"));
        return QByteArray(reinterpret_cast<const char*>(out.data()),
                          static_cast<qsizetype>(out.size()));
    } catch (const std::exception& e) {
        return fail(QStringLiteral("the request could not be encrypted to the recipient: %1")
                        .arg(QString::fromUtf8(e.what())));
    }
}

} // namespace plenum::identity

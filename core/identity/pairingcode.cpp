#include "identity/pairingcode.h"

#include <gnutls/crypto.h>

namespace plenum::identity {

namespace {
const QString kPrefix = QStringLiteral("plenum-pair:");
constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
} // namespace

QString PairingCode::toText() const
{
    return kPrefix + host.toHex() + u':' + QString::fromLatin1(secret.toBase64(kB64));
}

Result<PairingCode> PairingCode::parse(QStringView text)
{
    const QStringView t = text.trimmed();
    if (t.size() > kMaxTextLength) return fail(QStringLiteral("the pairing code is too long"));
    if (!t.startsWith(kPrefix))
        return fail(
            QStringLiteral("this is not a pairing code (it must start with \"plenum-pair:\")"));
    const auto parts = t.mid(kPrefix.size()).split(u':');
    if (parts.size() != 2) return fail(QStringLiteral("the pairing code is incomplete"));
    const auto host = DeviceId::fromHex(parts[0].toString().toLower());
    if (!host || host->isNull())
        return fail(QStringLiteral("the device id in the pairing code is not valid"));
    auto decoded = QByteArray::fromBase64Encoding(parts[1].toLatin1(),
                                                  kB64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != kSecretBytes)
        return fail(QStringLiteral("the secret in the pairing code is not valid"));
    return PairingCode{*host, decoded.decoded, {}};
}

QByteArray PairingCode::proofFor(const QByteArray& newDevicePublicKeyDer) const
{
    const QByteArray msg =
        QByteArrayLiteral("plenum-pair-proof:") + host.toBytes() + newDevicePublicKeyDer;
    QByteArray mac(32, '\0');
    gnutls_hmac_fast(GNUTLS_MAC_SHA256, secret.constData(), static_cast<size_t>(secret.size()),
                     msg.constData(), static_cast<size_t>(msg.size()), mac.data());
    return mac;
}

} // namespace plenum::identity

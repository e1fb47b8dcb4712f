#pragma once
// X.509 certificates and the chain link <- device <- account (DESIGN §2).

// ids.h uses qHashBits without including <QHash>.
#include <QHash>

#include "crypto/keys.h"
#include "protocol/ids.h"

#include <QDateTime>
#include <QList>
#include <QSet>

#include <chrono>
#include <memory>

namespace plenum::crypto {

// What a certificate is for. Encoded in the certificate (CA bit + a Plenum role in the
// subject's OU), so a link certificate can never act as a device certificate.
enum class CertRole { Account, Device, Link };

// An X.509 certificate. Cheap to copy (shared, immutable).
class Certificate {
public:
    Certificate() = default;
    static Result<Certificate> fromDer(const QByteArray& der);
    static Result<Certificate> fromPem(const QByteArray& pem);
    QByteArray toDer() const;
    QByteArray toPem() const;

    bool isNull() const { return !crt_; }
    QByteArray publicKeyDer() const;
    QByteArray keyId() const; // SHA-256 of publicKeyDer(): the DeviceId/AccountId bytes
    QString commonName() const;
    CertRole role() const;
    QDateTime notAfter() const;
    bool verifySignature(const QByteArray& data, const QByteArray& signature) const;

    gnutls_x509_crt_t native() const; // owned by this object; do not free
    friend bool operator==(const Certificate& a, const Certificate& b)
    {
        return a.toDer() == b.toDer();
    }

private:
    friend struct CertificateAccess; // certificate.cpp builds certificates from handles
    std::shared_ptr<struct CertificateHandle> crt_;
};

// Issues a certificate for `subject`'s public key. issuer == nullptr: self-signed
// (accounts). Ed25519 issuers sign with digest 0 (FACTS.md: SHA-256 fails for Ed25519).
Result<Certificate> issueCertificate(const PrivateKey& subject, const QString& commonName,
                                     CertRole role, const Certificate* issuer,
                                     const PrivateKey& issuerKey,
                                     std::chrono::days validity = std::chrono::days(3650));

// The same for a subject known only by its DER public key (pairing: the new device sends its
// public key, proven by a signature over the request, and never its private key).
Result<Certificate> issueCertificateForKey(const QByteArray& subjectPublicKeyDer,
                                           const QString& commonName, CertRole role,
                                           const Certificate& issuer, const PrivateKey& issuerKey,
                                           std::chrono::days validity = std::chrono::days(3650));

DeviceId deviceIdOf(const Certificate& deviceCert);
AccountId accountIdOf(const Certificate& accountCert);

struct VerifiedChain {
    DeviceId device;
    AccountId account;
    Certificate link;
    Certificate deviceCert;
    Certificate accountCert;
};

// Checks a presented chain [link, device, account]: every signature, validity period and
// role, and that no device in `revoked` is involved. The reason on failure is a sentence
// ("the device certificate is not signed by the account it names").
Result<VerifiedChain> verifyChain(const QList<Certificate>& chain,
                                  const QSet<DeviceId>& revoked = {});

// The same checks for [device, account] only (DHT requests are signed by the device key and
// carry no link certificate). `link` of the result is null.
Result<VerifiedChain> verifyDeviceChain(const QList<Certificate>& chain,
                                        const QSet<DeviceId>& revoked = {});

} // namespace plenum::crypto

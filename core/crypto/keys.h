#pragma once
// Key pairs (GnuTLS). Account RSA-4096, device RSA-2048 (OpenDHT 2.4 needs RSA), link
// Ed25519 (DESIGN §2; FACTS.md: 7 TLS handshakes ~14 ms with Ed25519, ~140 ms with RSA-4096).

#include "protocol/result.h"

#include <QByteArray>

#include <gnutls/x509.h>

namespace plenum::crypto {

enum class KeyKind { Rsa2048, Rsa4096, Ed25519 };

// A private key. Move-only; owns its gnutls_x509_privkey_t.
class PrivateKey {
public:
    PrivateKey() = default;
    ~PrivateKey();
    PrivateKey(PrivateKey&& other) noexcept;
    PrivateKey& operator=(PrivateKey&& other) noexcept;
    PrivateKey(const PrivateKey&) = delete;
    PrivateKey& operator=(const PrivateKey&) = delete;

    static Result<PrivateKey> generate(KeyKind kind);
    static Result<PrivateKey> fromPem(const QByteArray& pem); // unencrypted PKCS#8 PEM
    QByteArray toPem() const;                                 // unencrypted PKCS#8 PEM

    bool isNull() const { return key_ == nullptr; }
    KeyKind kind() const { return kind_; }
    QByteArray publicKeyDer() const; // SubjectPublicKeyInfo, DER
    // Signature over `data` (SHA-256 for RSA; pure Ed25519). Empty on failure.
    QByteArray sign(const QByteArray& data) const;

    gnutls_x509_privkey_t native() const { return key_; }

private:
    gnutls_x509_privkey_t key_ = nullptr;
    KeyKind kind_ = KeyKind::Ed25519;
};

// Verifies `signature` over `data` with a DER SubjectPublicKeyInfo.
bool verifySignature(const QByteArray& publicKeyDer, const QByteArray& data,
                     const QByteArray& signature);

QByteArray sha256(const QByteArray& data);
// Cryptographically random bytes (gnutls_rnd, GNUTLS_RND_KEY).
QByteArray randomBytes(int count);

} // namespace plenum::crypto

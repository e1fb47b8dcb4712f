#include "crypto/keys.h"

#include "crypto/datum.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <memory>

namespace plenum::crypto {

namespace {

using detail::datumOf;
using detail::takeDatum;

struct PrivkeyDeleter {
    void operator()(gnutls_privkey_st* k) const { gnutls_privkey_deinit(k); }
};
struct PubkeyDeleter {
    void operator()(gnutls_pubkey_st* k) const { gnutls_pubkey_deinit(k); }
};
using AbstractPrivkey = std::unique_ptr<gnutls_privkey_st, PrivkeyDeleter>;
using AbstractPubkey = std::unique_ptr<gnutls_pubkey_st, PubkeyDeleter>;

// A non-owning abstract key over an x509 key, for the sign/export calls that need one.
AbstractPrivkey abstractOf(gnutls_x509_privkey_t key)
{
    gnutls_privkey_t pk = nullptr;
    if (gnutls_privkey_init(&pk) < 0) return {};
    AbstractPrivkey out(pk);
    if (gnutls_privkey_import_x509(pk, key, 0) < 0) return {};
    return out;
}

Result<KeyKind> kindOf(gnutls_x509_privkey_t key)
{
    unsigned bits = 0;
    const int algo = gnutls_x509_privkey_get_pk_algorithm2(key, &bits);
    if (algo == GNUTLS_PK_EDDSA_ED25519) return KeyKind::Ed25519;
    if (algo == GNUTLS_PK_RSA && bits == 2048) return KeyKind::Rsa2048;
    if (algo == GNUTLS_PK_RSA && bits == 4096) return KeyKind::Rsa4096;
    return fail(QStringLiteral("the key is neither RSA-2048, RSA-4096 nor Ed25519"));
}

gnutls_sign_algorithm_t signAlgorithmFor(int pkAlgo)
{
    return pkAlgo == GNUTLS_PK_EDDSA_ED25519 ? GNUTLS_SIGN_EDDSA_ED25519 : GNUTLS_SIGN_RSA_SHA256;
}

} // namespace

PrivateKey::~PrivateKey()
{
    if (key_) gnutls_x509_privkey_deinit(key_);
}

PrivateKey::PrivateKey(PrivateKey&& other) noexcept
    : key_(std::exchange(other.key_, nullptr)), kind_(other.kind_)
{
}

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept
{
    if (this != &other) {
        if (key_) gnutls_x509_privkey_deinit(key_);
        key_ = std::exchange(other.key_, nullptr);
        kind_ = other.kind_;
    }
    return *this;
}

Result<PrivateKey> PrivateKey::generate(KeyKind kind)
{
    PrivateKey k;
    if (gnutls_x509_privkey_init(&k.key_) < 0) return fail(QStringLiteral("out of memory"));
    int rc = 0;
    switch (kind) {
    case KeyKind::Rsa2048:
        rc = gnutls_x509_privkey_generate(k.key_, GNUTLS_PK_RSA, 2048, 0);
        break;
    case KeyKind::Rsa4096:
        rc = gnutls_x509_privkey_generate(k.key_, GNUTLS_PK_RSA, 4096, 0);
        break;
    case KeyKind::Ed25519:
        rc = gnutls_x509_privkey_generate(k.key_, GNUTLS_PK_EDDSA_ED25519, 256, 0);
        break;
    }
    if (rc < 0) return fail(QStringLiteral("key generation failed: %1").arg(gnutls_strerror(rc)));
    k.kind_ = kind;
    return k;
}

Result<PrivateKey> PrivateKey::fromPem(const QByteArray& pem)
{
    // A private key in PEM is a few KiB at most; refuse anything absurd before parsing.
    if (pem.isEmpty()) return fail(QStringLiteral("the private key file is empty"));
    if (pem.size() > 64 * 1024) return fail(QStringLiteral("the private key is too large"));
    PrivateKey k;
    if (gnutls_x509_privkey_init(&k.key_) < 0) return fail(QStringLiteral("out of memory"));
    const gnutls_datum_t d = datumOf(pem);
    const int rc = gnutls_x509_privkey_import_pkcs8(k.key_, &d, GNUTLS_X509_FMT_PEM, nullptr,
                                                    GNUTLS_PKCS_PLAIN);
    if (rc < 0)
        return fail(QStringLiteral("the private key is not a readable PKCS#8 PEM key: %1")
                        .arg(gnutls_strerror(rc)));
    auto kind = kindOf(k.key_);
    if (!kind) return Error{kind.error()};
    k.kind_ = kind.value();
    return k;
}

QByteArray PrivateKey::toPem() const
{
    if (!key_) return {};
    gnutls_datum_t out{};
    if (gnutls_x509_privkey_export2_pkcs8(key_, GNUTLS_X509_FMT_PEM, nullptr, GNUTLS_PKCS_PLAIN,
                                          &out) < 0)
        return {};
    return takeDatum(out);
}

QByteArray PrivateKey::publicKeyDer() const
{
    if (!key_) return {};
    auto priv = abstractOf(key_);
    gnutls_pubkey_t pub = nullptr;
    if (!priv || gnutls_pubkey_init(&pub) < 0) return {};
    AbstractPubkey guard(pub);
    if (gnutls_pubkey_import_privkey(pub, priv.get(), 0, 0) < 0) return {};
    gnutls_datum_t out{};
    if (gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &out) < 0) return {};
    return takeDatum(out);
}

QByteArray PrivateKey::sign(const QByteArray& data) const
{
    if (!key_) return {};
    auto priv = abstractOf(key_);
    if (!priv) return {};
    const auto algo = signAlgorithmFor(gnutls_x509_privkey_get_pk_algorithm(key_));
    const gnutls_datum_t d = datumOf(data);
    gnutls_datum_t sig{};
    if (gnutls_privkey_sign_data2(priv.get(), algo, 0, &d, &sig) < 0) return {};
    return takeDatum(sig);
}

bool verifySignature(const QByteArray& publicKeyDer, const QByteArray& data,
                     const QByteArray& signature)
{
    if (publicKeyDer.isEmpty() || signature.isEmpty()) return false;
    gnutls_pubkey_t pub = nullptr;
    if (gnutls_pubkey_init(&pub) < 0) return false;
    AbstractPubkey guard(pub);
    const gnutls_datum_t keyDatum = datumOf(publicKeyDer);
    if (gnutls_pubkey_import(pub, &keyDatum, GNUTLS_X509_FMT_DER) < 0) return false;
    const auto algo = signAlgorithmFor(gnutls_pubkey_get_pk_algorithm(pub, nullptr));
    const gnutls_datum_t d = datumOf(data);
    const gnutls_datum_t s = datumOf(signature);
    return gnutls_pubkey_verify_data2(pub, algo, 0, &d, &s) >= 0;
}

QByteArray sha256(const QByteArray& data)
{
    QByteArray out(32, '\0');
    gnutls_hash_fast(GNUTLS_DIG_SHA256, data.constData(), static_cast<size_t>(data.size()),
                     out.data());
    return out;
}

QByteArray randomBytes(int count)
{
    QByteArray out(count, '\0');
    if (count > 0 && gnutls_rnd(GNUTLS_RND_KEY, out.data(), static_cast<size_t>(count)) < 0)
        qFatal("gnutls_rnd failed: no safe randomness available");
    return out;
}

} // namespace plenum::crypto

#include "crypto/certificate.h"

#include "crypto/datum.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

namespace plenum::crypto {

struct CertificateHandle {
    gnutls_x509_crt_t crt = nullptr;
    ~CertificateHandle()
    {
        if (crt) gnutls_x509_crt_deinit(crt);
    }
};

struct CertificateAccess {
    static Certificate wrap(std::shared_ptr<CertificateHandle> h)
    {
        Certificate c;
        c.crt_ = std::move(h);
        return c;
    }
};

namespace {

// A certificate in DER is well under this; larger input is refused before parsing.
constexpr qsizetype kMaxCertificateBytes = 32 * 1024;
// Clock skew between devices: certificates are valid from a little before their issue time.
constexpr int kBackdateSeconds = 3600;

const char* roleName(CertRole role)
{
    switch (role) {
    case CertRole::Account:
        return "plenum-account";
    case CertRole::Device:
        return "plenum-device";
    case CertRole::Link:
        return "plenum-link";
    }
    return "";
}

QString roleWords(CertRole role)
{
    switch (role) {
    case CertRole::Account:
        return QStringLiteral("account");
    case CertRole::Device:
        return QStringLiteral("device");
    case CertRole::Link:
        return QStringLiteral("link");
    }
    return {};
}

using detail::datumOf;
using detail::takeDatum;

QByteArray dnField(gnutls_x509_crt_t crt, const char* oid)
{
    char buf[256];
    size_t size = sizeof buf;
    if (gnutls_x509_crt_get_dn_by_oid(crt, oid, 0, 0, buf, &size) < 0) return {};
    return QByteArray(buf, static_cast<qsizetype>(size));
}

Result<Certificate> import(const QByteArray& bytes, gnutls_x509_crt_fmt_t fmt)
{
    if (bytes.isEmpty()) return fail(QStringLiteral("the certificate is empty"));
    if (bytes.size() > kMaxCertificateBytes)
        return fail(QStringLiteral("the certificate is too large"));
    auto handle = std::make_shared<CertificateHandle>();
    if (gnutls_x509_crt_init(&handle->crt) < 0) return fail(QStringLiteral("out of memory"));
    const gnutls_datum_t d = datumOf(bytes);
    const int rc = gnutls_x509_crt_import(handle->crt, &d, fmt);
    if (rc < 0)
        return fail(QStringLiteral("the certificate cannot be read: %1").arg(gnutls_strerror(rc)));
    return CertificateAccess::wrap(std::move(handle));
}

bool isCa(gnutls_x509_crt_t crt)
{
    unsigned critical = 0;
    return gnutls_x509_crt_get_basic_constraints(crt, &critical, nullptr, nullptr) > 0;
}

// Signature, CA bit and key usage of `issuer` over `cert` (times are checked separately so
// the reason can say which certificate expired).
bool signedBy(const Certificate& cert, const Certificate& issuer)
{
    gnutls_x509_crt_t issuerCrt = issuer.native();
    unsigned status = 0;
    const unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                           GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                           GNUTLS_VERIFY_ALLOW_X509_V1_CA_CRT;
    if (gnutls_x509_crt_verify(cert.native(), &issuerCrt, 1, flags, &status) < 0) return false;
    return status == 0;
}

Status checkTimes(const Certificate& cert, CertRole role)
{
    const time_t now = time(nullptr);
    if (gnutls_x509_crt_get_activation_time(cert.native()) > now)
        return fail(QStringLiteral("the %1 certificate is not valid yet").arg(roleWords(role)));
    if (gnutls_x509_crt_get_expiration_time(cert.native()) < now)
        return fail(QStringLiteral("the %1 certificate has expired").arg(roleWords(role)));
    return Ok{};
}

Status checkRole(const Certificate& cert, CertRole expected)
{
    if (cert.isNull())
        return fail(QStringLiteral("the %1 certificate is missing").arg(roleWords(expected)));
    // The role is named in the subject and must agree with the CA bit: a link certificate
    // (never CA) can therefore not pose as a device or account certificate, nor the reverse.
    const bool wantCa = expected != CertRole::Link;
    if (cert.role() != expected || isCa(cert.native()) != wantCa)
        return fail(QStringLiteral("the certificate in the %1 position is not a %1 certificate")
                        .arg(roleWords(expected)));
    return Ok{};
}

Result<VerifiedChain> verifyTail(const Certificate& device, const Certificate& account,
                                 const QSet<DeviceId>& revoked)
{
    for (auto [cert, role] : {std::pair{device, CertRole::Device}, {account, CertRole::Account}}) {
        if (auto s = checkRole(cert, role); !s) return Error{s.error()};
        if (auto s = checkTimes(cert, role); !s) return Error{s.error()};
    }
    if (!signedBy(account, account))
        return fail(QStringLiteral("the account certificate is not self-signed correctly"));
    if (!signedBy(device, account))
        return fail(QStringLiteral("the device certificate is not signed by the account it names"));
    VerifiedChain out;
    out.device = deviceIdOf(device);
    out.account = accountIdOf(account);
    if (revoked.contains(out.device))
        return fail(QStringLiteral("the device %1 has been revoked").arg(out.device.shortHex()));
    out.deviceCert = device;
    out.accountCert = account;
    return out;
}

} // namespace

Result<Certificate> Certificate::fromDer(const QByteArray& der)
{
    return import(der, GNUTLS_X509_FMT_DER);
}

Result<Certificate> Certificate::fromPem(const QByteArray& pem)
{
    return import(pem, GNUTLS_X509_FMT_PEM);
}

QByteArray Certificate::toDer() const
{
    if (!crt_) return {};
    gnutls_datum_t out{};
    if (gnutls_x509_crt_export2(crt_->crt, GNUTLS_X509_FMT_DER, &out) < 0) return {};
    return takeDatum(out);
}

QByteArray Certificate::toPem() const
{
    if (!crt_) return {};
    gnutls_datum_t out{};
    if (gnutls_x509_crt_export2(crt_->crt, GNUTLS_X509_FMT_PEM, &out) < 0) return {};
    return takeDatum(out);
}

QByteArray Certificate::publicKeyDer() const
{
    if (!crt_) return {};
    gnutls_pubkey_t pub = nullptr;
    if (gnutls_pubkey_init(&pub) < 0) return {};
    QByteArray result;
    gnutls_datum_t out{};
    if (gnutls_pubkey_import_x509(pub, crt_->crt, 0) >= 0 &&
        gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &out) >= 0)
        result = takeDatum(out);
    gnutls_pubkey_deinit(pub);
    return result;
}

QByteArray Certificate::keyId() const
{
    const QByteArray der = publicKeyDer();
    return der.isEmpty() ? QByteArray() : sha256(der);
}

QString Certificate::commonName() const
{
    if (!crt_) return {};
    return QString::fromUtf8(dnField(crt_->crt, GNUTLS_OID_X520_COMMON_NAME));
}

CertRole Certificate::role() const
{
    const QByteArray ou =
        crt_ ? dnField(crt_->crt, GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME) : QByteArray();
    if (ou == roleName(CertRole::Account)) return CertRole::Account;
    if (ou == roleName(CertRole::Device)) return CertRole::Device;
    return CertRole::Link; // the least powerful role for anything unknown
}

QDateTime Certificate::notAfter() const
{
    if (!crt_) return {};
    return QDateTime::fromSecsSinceEpoch(gnutls_x509_crt_get_expiration_time(crt_->crt));
}

bool Certificate::verifySignature(const QByteArray& data, const QByteArray& signature) const
{
    return crypto::verifySignature(publicKeyDer(), data, signature);
}

gnutls_x509_crt_t Certificate::native() const
{
    return crt_ ? crt_->crt : nullptr;
}

namespace {

Result<Certificate> issue(gnutls_pubkey_t subject, const QByteArray& subjectDer,
                          const QString& commonName, CertRole role, const Certificate* issuer,
                          const PrivateKey& issuerKey, std::chrono::days validity)
{
    auto handle = std::make_shared<CertificateHandle>();
    gnutls_x509_crt_t crt = nullptr;
    if (gnutls_x509_crt_init(&crt) < 0) return fail(QStringLiteral("out of memory"));
    handle->crt = crt;

    const QByteArray serial = [] {
        QByteArray s = randomBytes(16);
        s[0] = static_cast<char>(s[0] & 0x7f); // positive INTEGER
        return s;
    }();
    const QByteArray cn = commonName.toUtf8();
    const char* ou = roleName(role);
    const time_t now = time(nullptr);
    const time_t expires = now + static_cast<time_t>(validity.count()) * 86400;
    const bool ca = role != CertRole::Link;
    const unsigned usage =
        ca ? (GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT)
           : GNUTLS_KEY_DIGITAL_SIGNATURE;
    // Accounts certify devices, devices certify their link key; links certify nothing.
    const int pathLen = role == CertRole::Account ? 1 : 0;

    int rc = gnutls_x509_crt_set_version(crt, 3);
    if (rc >= 0) rc = gnutls_x509_crt_set_serial(crt, serial.constData(), serial.size());
    if (rc >= 0) rc = gnutls_x509_crt_set_activation_time(crt, now - kBackdateSeconds);
    if (rc >= 0) rc = gnutls_x509_crt_set_expiration_time(crt, expires);
    if (rc >= 0) rc = gnutls_x509_crt_set_pubkey(crt, subject);
    if (rc >= 0)
        rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn.constData(),
                                           static_cast<unsigned>(cn.size()));
    if (rc >= 0)
        rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, 0, ou,
                                           static_cast<unsigned>(strlen(ou)));
    if (rc >= 0) rc = gnutls_x509_crt_set_basic_constraints(crt, ca ? 1 : 0, ca ? pathLen : -1);
    if (rc >= 0) rc = gnutls_x509_crt_set_key_usage(crt, usage);
    if (rc >= 0) {
        const QByteArray kid = sha256(subjectDer).left(20);
        rc = gnutls_x509_crt_set_subject_key_id(crt, kid.constData(), kid.size());
    }
    if (rc < 0)
        return fail(QStringLiteral("cannot build the certificate: %1").arg(gnutls_strerror(rc)));

    // FACTS.md: Ed25519 signers need digest 0 (SHA-256 fails); RSA signs with SHA-256.
    const auto digest =
        issuerKey.kind() == KeyKind::Ed25519 ? GNUTLS_DIG_UNKNOWN : GNUTLS_DIG_SHA256;
    gnutls_x509_crt_t issuerCrt = issuer ? issuer->native() : crt;
    if (issuer && issuer->isNull()) return fail(QStringLiteral("the issuer certificate is empty"));
    if (issuer) {
        size_t size = 0;
        QByteArray akid(64, '\0');
        size = static_cast<size_t>(akid.size());
        unsigned critical = 0;
        if (gnutls_x509_crt_get_subject_key_id(issuerCrt, akid.data(), &size, &critical) >= 0)
            gnutls_x509_crt_set_authority_key_id(crt, akid.constData(), size);
    }
    rc = gnutls_x509_crt_sign2(crt, issuerCrt, issuerKey.native(), digest, 0);
    if (rc < 0)
        return fail(QStringLiteral("cannot sign the certificate: %1").arg(gnutls_strerror(rc)));
    // Re-import from DER: GnuTLS compares issuer and subject names by their raw encoding, which
    // a freshly built certificate lacks, so a fresh and a parsed certificate would not chain.
    return Certificate::fromDer(CertificateAccess::wrap(std::move(handle)).toDer());
}

struct PubkeyHolder {
    gnutls_pubkey_t key = nullptr;
    ~PubkeyHolder()
    {
        if (key) gnutls_pubkey_deinit(key);
    }
};

} // namespace

Result<Certificate> issueCertificate(const PrivateKey& subject, const QString& commonName,
                                     CertRole role, const Certificate* issuer,
                                     const PrivateKey& issuerKey, std::chrono::days validity)
{
    if (subject.isNull() || issuerKey.isNull())
        return fail(QStringLiteral("cannot issue a certificate without both keys"));
    const QByteArray der = subject.publicKeyDer();
    PubkeyHolder pub;
    const gnutls_datum_t d = datumOf(der);
    if (gnutls_pubkey_init(&pub.key) < 0 ||
        gnutls_pubkey_import(pub.key, &d, GNUTLS_X509_FMT_DER) < 0)
        return fail(QStringLiteral("the subject key cannot be exported"));
    return issue(pub.key, der, commonName, role, issuer, issuerKey, validity);
}

Result<Certificate> issueCertificateForKey(const QByteArray& subjectPublicKeyDer,
                                           const QString& commonName, CertRole role,
                                           const Certificate& issuer, const PrivateKey& issuerKey,
                                           std::chrono::days validity)
{
    if (subjectPublicKeyDer.isEmpty() || subjectPublicKeyDer.size() > 4096)
        return fail(QStringLiteral("the public key to certify is empty or too large"));
    if (issuerKey.isNull()) return fail(QStringLiteral("cannot issue a certificate without a key"));
    PubkeyHolder pub;
    const gnutls_datum_t d = datumOf(subjectPublicKeyDer);
    if (gnutls_pubkey_init(&pub.key) < 0 ||
        gnutls_pubkey_import(pub.key, &d, GNUTLS_X509_FMT_DER) < 0)
        return fail(QStringLiteral("the public key to certify cannot be read"));
    return issue(pub.key, subjectPublicKeyDer, commonName, role, &issuer, issuerKey, validity);
}

DeviceId deviceIdOf(const Certificate& deviceCert)
{
    return DeviceId::fromBytes(deviceCert.keyId()).value_or(DeviceId{});
}

AccountId accountIdOf(const Certificate& accountCert)
{
    return AccountId::fromBytes(accountCert.keyId()).value_or(AccountId{});
}

Result<VerifiedChain> verifyChain(const QList<Certificate>& chain, const QSet<DeviceId>& revoked)
{
    if (chain.size() != 3)
        return fail(QStringLiteral("the certificate chain must hold a link, a device and an "
                                   "account certificate, but holds %1")
                        .arg(chain.size()));
    const Certificate& link = chain[0];
    if (auto s = checkRole(link, CertRole::Link); !s) return Error{s.error()};
    if (auto s = checkTimes(link, CertRole::Link); !s) return Error{s.error()};
    auto tail = verifyTail(chain[1], chain[2], revoked);
    if (!tail) return tail;
    if (!signedBy(link, chain[1]))
        return fail(QStringLiteral("the link certificate is not signed by the device it names"));
    tail->link = link;
    return tail;
}

Result<VerifiedChain> verifyDeviceChain(const QList<Certificate>& chain,
                                        const QSet<DeviceId>& revoked)
{
    if (chain.size() != 2)
        return fail(QStringLiteral("the certificate chain must hold a device and an account "
                                   "certificate, but holds %1")
                        .arg(chain.size()));
    return verifyTail(chain[0], chain[1], revoked);
}

} // namespace plenum::crypto

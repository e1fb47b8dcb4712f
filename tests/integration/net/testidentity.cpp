#include "testidentity.h"

#include <QDateTime>

#include <gnutls/abstract.h>

namespace plenum::net::test {

namespace {

struct Key {
    gnutls_x509_privkey_t k = nullptr;
    Key()
    {
        gnutls_x509_privkey_init(&k);
        gnutls_x509_privkey_generate(k, GNUTLS_PK_EDDSA_ED25519, 256, 0);
    }
    ~Key() { gnutls_x509_privkey_deinit(k); }
};

gnutls_x509_crt_t issue(gnutls_x509_privkey_t subject, const QString& cn, bool ca,
                        gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuerKey, int serial)
{
    gnutls_x509_crt_t crt;
    gnutls_x509_crt_init(&crt);
    gnutls_x509_crt_set_version(crt, 3);
    const unsigned char serialBytes[2] = {quint8(serial >> 8), quint8(serial)};
    gnutls_x509_crt_set_serial(crt, serialBytes, 2);
    const time_t now = QDateTime::currentSecsSinceEpoch();
    gnutls_x509_crt_set_activation_time(crt, now - 3600);
    gnutls_x509_crt_set_expiration_time(crt, now + 86400);
    const QByteArray name = cn.toUtf8();
    gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, name.constData(),
                                  unsigned(name.size()));
    gnutls_x509_crt_set_key(crt, subject);
    gnutls_x509_crt_set_basic_constraints(crt, ca ? 1 : 0, -1);
    gnutls_x509_crt_set_key_usage(crt,
                                  ca ? GNUTLS_KEY_KEY_CERT_SIGN : GNUTLS_KEY_DIGITAL_SIGNATURE);
    // FACTS.md: Ed25519 signs with digest 0.
    const int rc =
        gnutls_x509_crt_sign2(crt, issuer ? issuer : crt, issuerKey, GNUTLS_DIG_UNKNOWN, 0);
    if (rc < 0) qFatal("test identity: signing failed: %s", gnutls_strerror(rc));
    return crt;
}

QByteArray keyId(gnutls_x509_crt_t crt)
{
    unsigned char id[32];
    size_t size = sizeof id;
    gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, id, &size);
    return QByteArray(reinterpret_cast<const char*>(id), qsizetype(size));
}

} // namespace

TestIdentity makeTestIdentity(const QString& name)
{
    Key account, device, link;
    gnutls_x509_crt_t accountCrt =
        issue(account.k, name + QStringLiteral(" account"), true, nullptr, account.k, 1);
    gnutls_x509_crt_t deviceCrt =
        issue(device.k, name + QStringLiteral(" device"), true, accountCrt, account.k, 2);
    gnutls_x509_crt_t linkCrt =
        issue(link.k, name + QStringLiteral(" link"), false, deviceCrt, device.k, 3);
    TestIdentity id;
    id.device = *DeviceId::fromBytes(keyId(deviceCrt));
    id.account = *AccountId::fromBytes(keyId(accountCrt));
    auto creds = LinkCredentials::fromNative(id.device, link.k, {linkCrt, deviceCrt, accountCrt});
    if (creds)
        id.credentials = creds.value();
    else
        qFatal("test identity: %s", qPrintable(creds.error()));
    gnutls_x509_crt_deinit(linkCrt);
    gnutls_x509_crt_deinit(deviceCrt);
    gnutls_x509_crt_deinit(accountCrt);
    return id;
}

ChainVerifier testChainVerifier()
{
    return [](const QList<QByteArray>& der) -> Result<PeerIdentity> {
        if (der.size() != 3)
            return fail(
                QStringLiteral("the chain must have 3 certificates, not %1").arg(der.size()));
        gnutls_x509_crt_t crt[3];
        for (int i = 0; i < 3; ++i) {
            gnutls_x509_crt_init(&crt[i]);
            const gnutls_datum_t d{
                reinterpret_cast<unsigned char*>(const_cast<char*>(der[i].data())),
                unsigned(der[i].size())};
            gnutls_x509_crt_import(crt[i], &d, GNUTLS_X509_FMT_DER);
        }
        // Each certificate must be signed by the next; the account by itself.
        bool ok = true;
        for (int i = 0; i < 3 && ok; ++i) {
            unsigned status = 0;
            gnutls_x509_crt_t issuer = crt[i < 2 ? i + 1 : 2];
            ok = gnutls_x509_crt_verify(crt[i], &issuer, 1, 0, &status) >= 0 && status == 0;
        }
        PeerIdentity id;
        if (ok) {
            id.device = *DeviceId::fromBytes(keyId(crt[1]));
            id.account = *AccountId::fromBytes(keyId(crt[2]));
        }
        for (auto& c : crt)
            gnutls_x509_crt_deinit(c);
        if (!ok) return fail(QStringLiteral("a certificate is not signed by the next one"));
        return id;
    };
}

} // namespace plenum::net::test

#include "net/linkcredentials.h"

#include <gnutls/abstract.h>

namespace plenum::net {

struct CredentialsHandle {
    gnutls_certificate_credentials_t creds = nullptr;
    ~CredentialsHandle()
    {
        if (creds) gnutls_certificate_free_credentials(creds);
    }
};

Result<LinkCredentials> LinkCredentials::fromNative(const DeviceId& self,
                                                    gnutls_x509_privkey_t linkKey,
                                                    const std::vector<gnutls_x509_crt_t>& chain)
{
    if (!linkKey || chain.empty())
        return fail(QStringLiteral("link credentials need a key and a certificate chain"));
    auto handle = std::make_shared<CredentialsHandle>();
    if (gnutls_certificate_allocate_credentials(&handle->creds) < 0)
        return fail(QStringLiteral("GnuTLS could not allocate credentials"));
    // gnutls_certificate_set_x509_key (3.7.9) keeps only the leaf of this chain (it drops
    // the self-signed account and then the rest); set_key keeps all three, which the peer
    // needs to check link <- device <- account (DESIGN §2).
    std::vector<gnutls_pcert_st> pcerts(chain.size());
    for (std::size_t i = 0; i < chain.size(); ++i) {
        if (const int rc = gnutls_pcert_import_x509(&pcerts[i], chain[i], 0); rc < 0) {
            for (std::size_t j = 0; j < i; ++j)
                gnutls_pcert_deinit(&pcerts[j]);
            return fail(QStringLiteral("a link certificate could not be loaded (%1)")
                            .arg(QString::fromUtf8(gnutls_strerror(rc))));
        }
    }
    gnutls_privkey_t key = nullptr;
    gnutls_privkey_init(&key);
    int rc = gnutls_privkey_import_x509(key, linkKey, GNUTLS_PRIVKEY_IMPORT_COPY);
    // On success the credentials own the certificates and the key.
    if (rc >= 0)
        rc = gnutls_certificate_set_key(handle->creds, nullptr, 0, pcerts.data(),
                                        int(pcerts.size()), key);
    if (rc < 0) {
        for (auto& pcert : pcerts)
            gnutls_pcert_deinit(&pcert);
        gnutls_privkey_deinit(key);
        return fail(QStringLiteral("the link key does not fit its certificate chain (%1)")
                        .arg(QString::fromUtf8(gnutls_strerror(rc))));
    }
    LinkCredentials out;
    out.self_ = self;
    out.creds_ = std::move(handle);
    return out;
}

Result<LinkCredentials> LinkCredentials::fromIdentity(const crypto::PrivateKey& linkKey,
                                                      const QList<crypto::Certificate>& chain)
{
    if (chain.size() != 3)
        return fail(QStringLiteral("link credentials need the chain [link, device, account]"));
    // Refuse to present a chain the peer would refuse anyway; the reason is clearer here.
    auto verified = crypto::verifyChain(chain);
    if (!verified) return Error{verified.error()};
    if (linkKey.publicKeyDer() != chain.first().publicKeyDer())
        return fail(QStringLiteral("the link key does not belong to the link certificate"));
    std::vector<gnutls_x509_crt_t> natives;
    for (const crypto::Certificate& cert : chain)
        natives.push_back(cert.native());
    return fromNative(verified->device, linkKey.native(), natives);
}

gnutls_certificate_credentials_t LinkCredentials::native() const
{
    return creds_ ? creds_->creds : nullptr;
}

} // namespace plenum::net

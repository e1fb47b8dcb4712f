#include "net/linkcredentials.h"

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
    const int rc = gnutls_certificate_set_x509_key(
        handle->creds, const_cast<gnutls_x509_crt_t*>(chain.data()), int(chain.size()), linkKey);
    if (rc < 0)
        return fail(QStringLiteral("the link key does not fit its certificate chain (%1)")
                        .arg(QString::fromUtf8(gnutls_strerror(rc))));
    LinkCredentials out;
    out.self_ = self;
    out.creds_ = std::move(handle);
    return out;
}

gnutls_certificate_credentials_t LinkCredentials::native() const
{
    return creds_ ? creds_->creds : nullptr;
}

} // namespace plenum::net

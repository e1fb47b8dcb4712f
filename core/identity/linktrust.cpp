#include "identity/linktrust.h"

namespace plenum::identity {

Result<net::LinkCredentials> LinkTrust::credentialsOf(const DeviceIdentity& device)
{
    std::vector<gnutls_x509_crt_t> chain;
    for (const crypto::Certificate& c : device.chain())
        chain.push_back(c.native());
    return net::LinkCredentials::fromNative(device.id(), device.linkKey().native(), chain);
}

net::ChainVerifier LinkTrust::verifier(QSet<DeviceId> revoked)
{
    return [revoked](const QList<QByteArray>& der) -> Result<net::PeerIdentity> {
        QList<crypto::Certificate> chain;
        for (const QByteArray& d : der) {
            auto c = crypto::Certificate::fromDer(d);
            if (!c) return Error{c.error()};
            chain.append(c.value());
        }
        auto v = crypto::verifyChain(chain, revoked);
        if (!v) return Error{v.error()};
        return net::PeerIdentity{v->device, v->account};
    };
}

} // namespace plenum::identity

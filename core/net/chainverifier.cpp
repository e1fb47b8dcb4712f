#include "net/chainverifier.h"

namespace plenum::net {

ChainVerifier chainVerifier(QSet<DeviceId> revoked)
{
    return [revoked = std::move(revoked)](const QList<QByteArray>& der) -> Result<PeerIdentity> {
        QList<crypto::Certificate> chain;
        for (const QByteArray& bytes : der) {
            auto cert = crypto::Certificate::fromDer(bytes);
            if (!cert) return Error{cert.error()};
            chain.append(cert.value());
        }
        auto verified = crypto::verifyChain(chain, revoked);
        if (!verified) return Error{verified.error()};
        return PeerIdentity{verified->device, verified->account};
    };
}

} // namespace plenum::net

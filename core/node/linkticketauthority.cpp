#include "node/linkticketauthority.h"

#include "crypto/certificate.h"

namespace plenum::node {

net::ChainVerifier LinkTicketAuthority::recording(net::ChainVerifier inner)
{
    return [this,
            inner = std::move(inner)](const QList<QByteArray>& der) -> Result<net::PeerIdentity> {
        auto identity = inner(der);
        // The chain is [link, device, account]; [1] is the device certificate.
        if (identity && der.size() >= 2) {
            auto cert = crypto::Certificate::fromDer(der.at(1));
            if (cert) learn(identity->device, cert->publicKeyDer());
        }
        if (identity) learnAccount(identity->device, identity->account);
        return identity;
    };
}

void LinkTicketAuthority::learn(const DeviceId& device, const QByteArray& publicKeyDer)
{
    auto id = DeviceId::fromBytes(crypto::sha256(publicKeyDer));
    if (id && *id == device) keys_.insert(device, publicKeyDer);
}

void LinkTicketAuthority::learnAccount(const DeviceId& device, const AccountId& account)
{
    // Bounded like the key ring: a stranger making devices at will cannot grow it for ever.
    if (accounts_.size() >= 4096 && !accounts_.contains(device)) return;
    accounts_.insert(device, account);
}

std::optional<AccountId> LinkTicketAuthority::accountOf(const DeviceId& device)
{
    auto it = accounts_.constFind(device);
    if (it == accounts_.constEnd()) return std::nullopt;
    return it.value();
}

QByteArray LinkTicketAuthority::sign(const QByteArray& data)
{
    return key_->sign(data);
}

bool LinkTicketAuthority::verify(const DeviceId& signer, const QByteArray& data,
                                 const QByteArray& signature)
{
    auto it = keys_.constFind(signer);
    return it != keys_.constEnd() && crypto::verifySignature(it.value(), data, signature);
}

} // namespace plenum::node

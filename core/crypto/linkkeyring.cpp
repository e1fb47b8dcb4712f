#include "crypto/linkkeyring.h"

namespace plenum::crypto {

bool LinkKeyRing::learn(const VerifiedChain& chain)
{
    if (chain.link.isNull() || chain.device.isNull()) return false;
    if (!entries_.contains(chain.device) && entries_.size() >= kMaxEntries) return false;
    entries_.insert(chain.device, Entry{chain.link.publicKeyDer(), chain.account});
    return true;
}

Status LinkKeyRing::learnChain(const QList<Certificate>& chain, const QSet<DeviceId>& revoked)
{
    auto verified = verifyChain(chain, revoked);
    if (!verified) return Error{verified.error()};
    if (!learn(verified.value()))
        return fail(QStringLiteral("the link key of %1 could not be kept (too many devices)")
                        .arg(verified->device.shortHex()));
    return Ok{};
}

std::optional<LinkKeyRing::Entry> LinkKeyRing::entry(const DeviceId& device) const
{
    auto it = entries_.constFind(device);
    if (it == entries_.constEnd()) return std::nullopt;
    return it.value();
}

bool LinkKeyRing::verify(const DeviceId& signer, const QByteArray& data,
                         const QByteArray& signature) const
{
    auto it = entries_.constFind(signer);
    return it != entries_.constEnd() && verifySignature(it->linkKeyDer, data, signature);
}

} // namespace plenum::crypto

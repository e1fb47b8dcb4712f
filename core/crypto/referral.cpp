#include "crypto/referral.h"

#include "crypto/keys.h"

namespace plenum::crypto {

Status verifyReferral(const protocol::Referral& referral, const DeviceId& referrer,
                      const SessionId& sid, const AccountId& invitee, LinkKeyRing& ring,
                      const QSet<DeviceId>& revoked)
{
    auto link = Certificate::fromDer(referral.linkCert);
    auto device = Certificate::fromDer(referral.deviceCert);
    auto owner = Certificate::fromDer(referral.accountCert);
    if (!link || !device || !owner) return fail(QStringLiteral("its certificates do not parse"));
    if (auto learned = ring.learnChain({link.value(), device.value(), owner.value()}, revoked);
        !learned)
        return learned;
    // The chain is that device's, and the session core signs with the device key
    // (LinkTicketAuthority), as it does tickets and votes.
    const QByteArray deviceKey = device->publicKeyDer();
    if (DeviceId::fromBytes(sha256(deviceKey)) != referrer)
        return fail(QStringLiteral("its certificate chain is another device's"));
    if (!verifySignature(deviceKey, protocol::referralSigningBytes(sid, invitee, referrer),
                         referral.signature))
        return fail(QStringLiteral("its signature is not that device's"));
    return Ok{};
}

} // namespace plenum::crypto

#include "crypto/referral.h"

#include "crypto/keys.h"

#include <algorithm>
#include <limits>

namespace plenum::crypto {

Status verifyReferral(const protocol::Referral& referral, const DeviceId& referrer,
                      const SessionId& sid, const AccountId& invitee, qint64 nowMs,
                      LinkKeyRing& ring, const QSet<DeviceId>& revoked)
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
    if (!verifySignature(
            deviceKey, protocol::referralSigningBytes(sid, invitee, referrer, referral.issuedAtMs),
            referral.signature))
        return fail(QStringLiteral("its signature is not that device's"));
    // Checked after the signature, so that the words name the member's own date.
    const auto issued = static_cast<qint64>(
        std::min<std::uint64_t>(referral.issuedAtMs, std::numeric_limits<qint64>::max()));
    if (issued > nowMs + kReferralSkewMs)
        return fail(QStringLiteral("it is dated %1 min ahead of this device's clock")
                        .arg((issued - nowMs) / 60'000));
    if (nowMs - issued > kMaxReferralAgeMs + kReferralSkewMs)
        return fail(QStringLiteral("it was made %1 min ago, too long before this invitation")
                        .arg((nowMs - issued) / 60'000));
    return Ok{};
}

} // namespace plenum::crypto

#include "identity/deviceidentity.h"

#include "identity/account.h"

namespace plenum::identity {

Result<DeviceIdentity> DeviceIdentity::create(const QString& deviceName, Account& account)
{
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048);
    if (!key) return Error{key.error()};
    auto cert = account.certifyDevice(key->publicKeyDer(), deviceName);
    if (!cert) return Error{cert.error()};
    return withCertificate(std::move(key).value(), cert.value(), account.certificate());
}

Result<DeviceIdentity> DeviceIdentity::withCertificate(crypto::PrivateKey deviceKey,
                                                       crypto::Certificate deviceCert,
                                                       crypto::Certificate accountCert)
{
    auto linkKey = crypto::PrivateKey::generate(crypto::KeyKind::Ed25519);
    if (!linkKey) return Error{linkKey.error()};
    auto linkCert = crypto::issueCertificate(linkKey.value(), QStringLiteral("link"),
                                             crypto::CertRole::Link, &deviceCert, deviceKey);
    if (!linkCert) return Error{linkCert.error()};
    return fromParts(std::move(deviceKey), std::move(deviceCert), std::move(linkKey).value(),
                     linkCert.value(), std::move(accountCert));
}

Result<DeviceIdentity> DeviceIdentity::fromParts(crypto::PrivateKey deviceKey,
                                                 crypto::Certificate deviceCert,
                                                 crypto::PrivateKey linkKey,
                                                 crypto::Certificate linkCert,
                                                 crypto::Certificate accountCert)
{
    if (deviceKey.kind() != crypto::KeyKind::Rsa2048)
        return fail(QStringLiteral("the device key is not RSA-2048 (the DHT needs RSA)"));
    if (deviceKey.publicKeyDer() != deviceCert.publicKeyDer())
        return fail(QStringLiteral("the device key does not match the device certificate"));
    if (linkKey.publicKeyDer() != linkCert.publicKeyDer())
        return fail(QStringLiteral("the link key does not match the link certificate"));
    if (auto v = crypto::verifyChain({linkCert, deviceCert, accountCert}); !v)
        return Error{v.error()};
    DeviceIdentity d;
    d.deviceKey_ = std::move(deviceKey);
    d.deviceCert_ = std::move(deviceCert);
    d.linkKey_ = std::move(linkKey);
    d.linkCert_ = std::move(linkCert);
    d.accountCert_ = std::move(accountCert);
    return d;
}

} // namespace plenum::identity

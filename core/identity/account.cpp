#include "identity/account.h"

namespace plenum::identity {

Result<Account> Account::create(const QString& displayName)
{
    Account a;
    if (auto s = a.setDisplayName(displayName); !s) return Error{s.error()};
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::Rsa4096);
    if (!key) return Error{key.error()};
    auto cert = crypto::issueCertificate(key.value(), displayName, crypto::CertRole::Account,
                                         nullptr, key.value());
    if (!cert) return Error{cert.error()};
    a.key_ = std::move(key).value();
    a.certificate_ = cert.value();
    return a;
}

Result<Account> Account::fromParts(crypto::PrivateKey key, crypto::Certificate certificate,
                                   const QString& displayName)
{
    if (certificate.isNull() || certificate.role() != crypto::CertRole::Account)
        return fail(QStringLiteral("the account certificate is missing or not an account's"));
    if (key.isNull() || key.publicKeyDer() != certificate.publicKeyDer())
        return fail(QStringLiteral("the account key does not match the account certificate"));
    Account a;
    if (auto s = a.setDisplayName(displayName); !s) return Error{s.error()};
    a.key_ = std::move(key);
    a.certificate_ = std::move(certificate);
    return a;
}

Status Account::setDisplayName(const QString& name)
{
    const QString n = name.trimmed();
    if (n.isEmpty()) return fail(QStringLiteral("the display name is empty"));
    if (n.size() > kMaxNameLength)
        return fail(
            QStringLiteral("the display name is longer than %1 characters").arg(kMaxNameLength));
    displayName_ = n;
    return Ok{};
}

Status Account::setAvatar(const QByteArray& image)
{
    if (image.size() > kMaxAvatarBytes)
        return fail(QStringLiteral("the avatar is larger than %1 KiB").arg(kMaxAvatarBytes / 1024));
    avatar_ = image;
    return Ok{};
}

Result<crypto::Certificate> Account::certifyDevice(const QByteArray& devicePublicKeyDer,
                                                   const QString& deviceName)
{
    if (key_.isNull()) return fail(QStringLiteral("this device does not hold the account key"));
    auto cert = crypto::issueCertificateForKey(devicePublicKeyDer, deviceName,
                                               crypto::CertRole::Device, certificate_, key_);
    if (!cert) return cert;
    if (auto s = addDevice({crypto::deviceIdOf(cert.value()), deviceName, cert.value()}); !s)
        return Error{s.error()};
    return cert;
}

Status Account::addDevice(const DeviceRecord& record)
{
    if (revoked_.contains(record.id))
        return fail(QStringLiteral("the device %1 was revoked").arg(record.id.shortHex()));
    if (auto v = crypto::verifyDeviceChain({record.certificate, certificate_}); !v)
        return Error{v.error()};
    for (DeviceRecord& d : devices_)
        if (d.id == record.id) {
            d = record;
            return Ok{};
        }
    if (devices_.size() >= kMaxDevices)
        return fail(QStringLiteral("the account already has %1 devices").arg(kMaxDevices));
    devices_.append(record);
    return Ok{};
}

bool Account::revoke(const DeviceId& device)
{
    revoked_.insert(device);
    return devices_.removeIf([&](const DeviceRecord& d) { return d.id == device; }) > 0;
}

} // namespace plenum::identity

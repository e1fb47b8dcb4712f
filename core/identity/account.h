#pragma once
// An account: the RSA-4096 key pair whose certificate signs each of its device certificates
// (DESIGN §2). AccountId = SHA-256 of the account public key. The display name and avatar
// belong to the account, not to a device.

#include "crypto/certificate.h"

#include <QList>
#include <QSet>

namespace plenum::identity {

struct DeviceRecord {
    DeviceId id;
    QString name;
    crypto::Certificate certificate;
};

class Account {
public:
    static constexpr int kMaxNameLength = 64;
    static constexpr qsizetype kMaxAvatarBytes =
        24 * 1024; // must fit a pairing grant in one DHT value
    static constexpr int kMaxDevices = 64;

    Account() = default;
    Account(Account&&) noexcept = default;
    Account& operator=(Account&&) noexcept = default;

    static Result<Account> create(const QString& displayName);
    // Rebuilds an account from stored or received parts; checks that key and certificate match.
    static Result<Account> fromParts(crypto::PrivateKey key, crypto::Certificate certificate,
                                     const QString& displayName);

    AccountId id() const { return crypto::accountIdOf(certificate_); }
    const crypto::PrivateKey& key() const { return key_; }
    const crypto::Certificate& certificate() const { return certificate_; }

    const QString& displayName() const { return displayName_; }
    Status setDisplayName(const QString& name);
    const QByteArray& avatar() const { return avatar_; } // PNG or JPEG bytes, may be empty
    Status setAvatar(const QByteArray& image);

    // Certifies a device's public key and lists it among the account's devices.
    Result<crypto::Certificate> certifyDevice(const QByteArray& devicePublicKeyDer,
                                              const QString& deviceName);
    Status addDevice(const DeviceRecord& record); // restore from storage or pairing
    // Removes the device from the list and remembers it as revoked.
    bool revoke(const DeviceId& device);
    const QList<DeviceRecord>& devices() const { return devices_; }
    const QSet<DeviceId>& revoked() const { return revoked_; }
    void addRevoked(const DeviceId& device) { revoked_.insert(device); }

private:
    crypto::PrivateKey key_;
    crypto::Certificate certificate_;
    QString displayName_;
    QByteArray avatar_;
    QList<DeviceRecord> devices_;
    QSet<DeviceId> revoked_;
};

} // namespace plenum::identity

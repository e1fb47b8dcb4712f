#pragma once
// One device's keys: the RSA-2048 device key (the DHT identity; DeviceId = SHA-256 of its
// public key) and the Ed25519 link key it certifies for TLS (DESIGN §2).

#include "crypto/certificate.h"

namespace plenum::identity {

class Account;

class DeviceIdentity {
public:
    DeviceIdentity() = default;
    DeviceIdentity(DeviceIdentity&&) noexcept = default;
    DeviceIdentity& operator=(DeviceIdentity&&) noexcept = default;

    // A new device of `account` (which must hold its key): fresh device and link keys.
    static Result<DeviceIdentity> create(const QString& deviceName, Account& account);
    // A device whose certificate came from elsewhere (pairing): adds a fresh link key.
    static Result<DeviceIdentity> withCertificate(crypto::PrivateKey deviceKey,
                                                  crypto::Certificate deviceCert,
                                                  crypto::Certificate accountCert);
    // From storage; the whole chain is checked.
    static Result<DeviceIdentity> fromParts(crypto::PrivateKey deviceKey,
                                            crypto::Certificate deviceCert,
                                            crypto::PrivateKey linkKey,
                                            crypto::Certificate linkCert,
                                            crypto::Certificate accountCert);

    DeviceId id() const { return crypto::deviceIdOf(deviceCert_); }
    AccountId accountId() const { return crypto::accountIdOf(accountCert_); }
    QString name() const { return deviceCert_.commonName(); }

    const crypto::PrivateKey& deviceKey() const { return deviceKey_; }
    const crypto::PrivateKey& linkKey() const { return linkKey_; }
    const crypto::Certificate& deviceCertificate() const { return deviceCert_; }
    const crypto::Certificate& linkCertificate() const { return linkCert_; }
    const crypto::Certificate& accountCertificate() const { return accountCert_; }

    // [link, device, account]: what TLS presents (DESIGN §3).
    QList<crypto::Certificate> chain() const { return {linkCert_, deviceCert_, accountCert_}; }
    // [device, account]: what DHT requests carry.
    QList<crypto::Certificate> deviceChain() const { return {deviceCert_, accountCert_}; }

private:
    crypto::PrivateKey deviceKey_;
    crypto::PrivateKey linkKey_;
    crypto::Certificate deviceCert_;
    crypto::Certificate linkCert_;
    crypto::Certificate accountCert_;
};

} // namespace plenum::identity

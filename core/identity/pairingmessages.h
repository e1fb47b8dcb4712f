#pragma once
// The two pairing messages (DESIGN §2). The request travels sealed to the host and signed by
// the new device's key; the grant travels sealed to that key. The grant carries the account
// key: any paired device can pair the next one, as in Jami (docs/security.md).

#include "identity/profile.h"

namespace plenum::identity {

struct PairingRequest {
    static constexpr int kMaxNameLength = 64;
    QByteArray devicePublicKeyDer; // the new device's RSA-2048 key
    QString deviceName;
    QByteArray proof; // PairingCode::proofFor(devicePublicKeyDer)

    QByteArray encode() const;
    static Result<PairingRequest> decode(const QByteArray& bytes);
};

struct PairingGrant {
    static constexpr qsizetype kMaxEncoded = 48 * 1024;

    QByteArray accountKeyPem;
    crypto::Certificate accountCert;
    crypto::Certificate deviceCert; // the new device's, signed by the account
    QString displayName;
    QByteArray avatar;
    QList<DeviceRecord> devices;
    QList<DeviceId> revoked;
    ContactList contacts;
    QJsonObject preferences;

    static PairingGrant from(const Profile& host, const crypto::Certificate& newDeviceCert);
    QByteArray encode() const;
    static Result<PairingGrant> decode(const QByteArray& bytes);
    // The new device's profile: checks that the certificate is for `deviceKey` and chains to
    // the account, and that the account key matches the account certificate.
    Result<Profile> toProfile(crypto::PrivateKey deviceKey) const;
};

} // namespace plenum::identity

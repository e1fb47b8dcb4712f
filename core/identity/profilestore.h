#pragma once
// The profile directory on disk. Key files are written once, with 0600 permissions, and are
// never replaced: creating a profile where one exists is refused, and a missing or corrupt
// file is an error that names the file, never a reason to make a new identity.
//
//   account.key account.crt   the account key pair (every paired device holds it)
//   device.key device.crt     this device (RSA-2048)
//   link.key link.crt         this device's Ed25519 link key
//   account.json              display name, avatar, device list, revoked devices
//   contacts.cbor             contacts and blocks
//   preferences.json          user preferences (synced on pairing)

#include "identity/profile.h"

#include <QString>

namespace plenum::identity {

class ProfileStore {
public:
    static constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024;

    explicit ProfileStore(QString directory);

    const QString& directory() const { return dir_; }
    // True if any identity file is present (then create/adopt refuse).
    bool hasIdentity() const;

    // Creates and writes a new account and device. Refused if an identity exists.
    Result<Profile> create(const QString& displayName, const QString& deviceName) const;
    // Writes a profile received by pairing. Refused if an identity exists.
    Status adopt(const Profile& profile) const;
    Result<Profile> load() const;
    // Rewrites the mutable parts (account.json, contacts, preferences); keys stay untouched.
    Status saveState(const Profile& profile) const;

private:
    Status writeFile(const QString& name, const QByteArray& bytes) const;
    Result<QByteArray> readFile(const QString& name) const;
    QString path(const QString& name) const;

    QString dir_;
};

} // namespace plenum::identity

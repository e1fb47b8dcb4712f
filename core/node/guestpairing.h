#pragma once
// The new device's side of pairing inside a Node (DESIGN §2): it asks the device named in the
// code, over an uncertified mailbox on the Node's DHT, for a certificate of its own device key
// under that account, and hands back the new Profile (same device key, the account's keys,
// contacts and preferences). The host never answers a wrong code, so a silence is a failure
// after kTimeoutMs.

#include "identity/profile.h"

#include <QObject>
#include <QTimer>

namespace plenum::identity {
class DhtNode;
class DeviceMailbox;
class PairingRequester;
} // namespace plenum::identity

namespace plenum::node {

class GuestPairing : public QObject {
    Q_OBJECT
public:
    static constexpr int kTimeoutMs = 30'000;

    // `deviceKey` must outlive this object.
    GuestPairing(identity::DhtNode* dht, const crypto::PrivateKey* deviceKey,
                 QObject* parent = nullptr);

    Status start(const QString& code, const QString& deviceName);
    // After succeeded(): the paired profile around a copy of the device key.
    Result<identity::Profile> takeProfile();

    // Writes `profile` over the (fresh) identity in `dir`: staged in a sub-directory first,
    // then each file renamed into place, so no file is ever half written.
    static Status replaceOnDisk(const QString& dir, const identity::Profile& profile);

Q_SIGNALS:
    void succeeded();
    void failed(QString reason);

private:
    void finish(const QString& failure);

    identity::DhtNode* dht_;
    const crypto::PrivateKey* key_;
    identity::DeviceMailbox* mailbox_ = nullptr;
    identity::PairingRequester* requester_ = nullptr;
    QTimer timeout_;
    bool done_ = false;
};

} // namespace plenum::node

#pragma once
// Pairing over the DHT, new device's side: sends a PairingRequest proving the code's secret
// to the host named in the code, and turns the host's grant into this device's Profile.

#include "identity/devicemailbox.h"
#include "identity/pairingcode.h"
#include "identity/pairingmessages.h"

namespace plenum::identity {

class PairingRequester : public QObject {
    Q_OBJECT
public:
    // `mailbox` must be an uncertified mailbox over `deviceKey`.
    PairingRequester(DeviceMailbox* mailbox, const crypto::PrivateKey* deviceKey,
                     QObject* parent = nullptr);

    Status start(QStringView codeText, const QString& deviceName);
    // After `paired`: the new profile (moves the device key into it).
    Result<Profile> takeProfile(crypto::PrivateKey deviceKey);

Q_SIGNALS:
    void paired();
    void failed(QString reason);

private:
    void onRequest(const OpenedEnvelope& env);

    DeviceMailbox* mailbox_;
    const crypto::PrivateKey* key_;
    std::optional<PairingCode> code_;
    std::optional<PairingGrant> grant_;
};

} // namespace plenum::identity

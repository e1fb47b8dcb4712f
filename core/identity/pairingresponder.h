#pragma once
// Pairing over the DHT, existing device's side: answers PairingRequests that arrive in this
// device's mailbox. A right code gets a device certificate, the account key, contacts and
// preferences sealed to the new device's key; a wrong one gets nothing (the guest times out
// and its user sees the host's refusal only on the host, which names the reason).

#include "identity/devicemailbox.h"
#include "identity/pairinghost.h"

namespace plenum::identity {

class PairingResponder : public QObject {
    Q_OBJECT
public:
    PairingResponder(DeviceMailbox* mailbox, Profile* profile, QObject* parent = nullptr);

    // Shows a new code (text, and as QR via QrCode::encode(code.toText())).
    PairingCode createCode();
    PairingHost& host() { return host_; }

Q_SIGNALS:
    void devicePaired(plenum::DeviceId device, QString name);
    void pairingRefused(QString reason);

private:
    void onRequest(const OpenedEnvelope& env);

    DeviceMailbox* mailbox_;
    Profile* profile_;
    PairingHost host_;
};

} // namespace plenum::identity

#pragma once
// Admission tickets (§5.1 rule 6) signed with this device's key and checked with the signer's
// device certificate as its link presented it: the Node's chain verifier records the device
// key of every chain that verified, so a member can check the tickets of an SM it is linked to.

#include "crypto/keys.h"
#include "net/linkcredentials.h"
#include "session/ticketauthority.h"

#include <QHash>

namespace plenum::node {

class LinkTicketAuthority : public session::TicketAuthority {
public:
    explicit LinkTicketAuthority(const crypto::PrivateKey* deviceKey) : key_(deviceKey) {}

    // Wraps a chain verifier: a chain that verifies teaches us its device's public key.
    net::ChainVerifier recording(net::ChainVerifier inner);
    // A device key learned elsewhere (a signed DHT request); ignored unless it hashes to `device`.
    void learn(const DeviceId& device, const QByteArray& publicKeyDer);
    bool knows(const DeviceId& device) const { return keys_.contains(device); }
    // The account of a device whose chain verified elsewhere (a signed DHT request).
    void learnAccount(const DeviceId& device, const AccountId& account);

    QByteArray sign(const QByteArray& data) override;
    bool verify(const DeviceId& signer, const QByteArray& data,
                const QByteArray& signature) override;
    std::optional<AccountId> accountOf(const DeviceId& device) override;

private:
    const crypto::PrivateKey* key_;
    QHash<DeviceId, QByteArray> keys_;    // device -> DER public key
    QHash<DeviceId, AccountId> accounts_; // device -> account of its verified chain
};

} // namespace plenum::node

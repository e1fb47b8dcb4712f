#pragma once
// The Ed25519 link keys of the devices this device has verified (DESIGN §2, §6): a verified
// certificate chain [link, device, account] teaches us which link key speaks for a DeviceId,
// and which account that device belongs to. Signed claims that cross devices (chat messages,
// votes) are checked against it, so a relayed copy is checked against its author, not against
// whoever relayed it. Only chains that verifyChain accepted go in.

#include "crypto/certificate.h"

#include <QHash>

#include <optional>

namespace plenum::crypto {

class LinkKeyRing {
public:
    struct Entry {
        QByteArray linkKeyDer; // SubjectPublicKeyInfo of the link certificate
        AccountId account;     // the account that certified the device
    };
    static constexpr qsizetype kMaxEntries = 4096;

    // Learns from a chain that verifyChain returned (its link certificate is set). A newer
    // link key for the same device replaces the older one. Returns false if nothing was
    // learned (no link certificate, or the ring is full of other devices).
    bool learn(const VerifiedChain& chain);
    // Verifies the chain first; for callers that hold raw certificates.
    Status learnChain(const QList<Certificate>& chain, const QSet<DeviceId>& revoked = {});
    void forget(const DeviceId& device) { entries_.remove(device); }

    std::optional<Entry> entry(const DeviceId& device) const;
    bool knows(const DeviceId& device) const { return entries_.contains(device); }
    qsizetype size() const { return entries_.size(); }

    // True if `signature` over `data` was made by `signer`'s known link key.
    bool verify(const DeviceId& signer, const QByteArray& data, const QByteArray& signature) const;

private:
    QHash<DeviceId, Entry> entries_;
};

} // namespace plenum::crypto

#pragma once
// Signs and checks admission tickets, and knows verified identities (§5.1 rule 6). The Node signs
// with the device's key and checks against the certificate of the signer's link; the simulator uses
// a keyed digest.

#include "protocol/ids.h"

#include <QByteArray>

#include <optional>

namespace plenum::session {

class TicketAuthority {
public:
    virtual ~TicketAuthority() = default;
    virtual QByteArray sign(const QByteArray& data) = 0;
    virtual bool verify(const DeviceId& signer, const QByteArray& data,
                        const QByteArray& signature) = 0;
    // The account of `device`'s verified certificate chain, as its link (or signed DHT
    // request) presented it; null if no verified chain of it was seen. A roster entry's
    // account is this, never what the device claims (§5.1 rule 6).
    virtual std::optional<AccountId> accountOf(const DeviceId& device) = 0;
};

} // namespace plenum::session

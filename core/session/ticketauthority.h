#pragma once
// Signs and checks admission tickets (§5.1 rule 6). The Node signs with the device's key and
// checks against the certificate of the signer's link; the simulator uses a keyed digest.

#include "protocol/ids.h"

#include <QByteArray>

namespace plenum::session {

class TicketAuthority {
public:
    virtual ~TicketAuthority() = default;
    virtual QByteArray sign(const QByteArray& data) = 0;
    virtual bool verify(const DeviceId& signer, const QByteArray& data,
                        const QByteArray& signature) = 0;
};

} // namespace plenum::session

#pragma once
// A one-time pairing code shown by an existing device (DESIGN §2): the host's DeviceId and a
// random secret. Text form (also what the QR code holds):
//   plenum-pair:<64 hex digits of the host DeviceId>:<secret, 22 chars base64url>

#include <QHash>

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QByteArray>
#include <QDateTime>

namespace plenum::identity {

struct PairingCode {
    static constexpr int kSecretBytes = 16;
    static constexpr int kMaxTextLength = 160;

    DeviceId host;
    QByteArray secret;
    QDateTime expires; // known to the host only; not part of the text

    QString toText() const;
    static Result<PairingCode> parse(QStringView text);

    // What the new device sends to prove it knows the secret, bound to its own public key and
    // to the host, so a proof cannot be replayed for another key or another host.
    QByteArray proofFor(const QByteArray& newDevicePublicKeyDer) const;
};

} // namespace plenum::identity

#pragma once
// A request to one device over the DHT (invitation, ICE offer/answer, hand-off notice,
// pairing): signed by the sender's device key, carrying the sender's [device, account]
// chain, and encrypted to the recipient's device key (DESIGN §2).
//
//   sealed = RSA+AES-GCM hybrid encryption (OpenDHT crypto over GnuTLS) of
//   CBOR{inner: bytes, sig: bytes}, inner = CBOR{v, kind, to, key, chain, body, sent, nonce}
// The signature covers the recipient id, so a request cannot be re-addressed.

#include "crypto/certificate.h"

#include <optional>

namespace plenum::identity {

enum class RequestKind : quint8 {
    Invitation = 1,
    Signal = 2, // ICE offer/answer (net::Signaling)
    HandoffNotice = 3,
    PairingRequest = 4, // the only kind a sender without a certificate chain may send
    PairingGrant = 5,
};

struct OpenedEnvelope {
    RequestKind kind = RequestKind::Invitation;
    QByteArray body;
    QByteArray senderKeyDer;
    DeviceId sender;                            // SHA-256 of senderKeyDer
    std::optional<crypto::VerifiedChain> chain; // absent only for PairingRequest
    qint64 sentMs = 0;
    QByteArray nonce;
};

class SealedEnvelope {
public:
    static constexpr qsizetype kMaxBody = 48 * 1024;
    static constexpr qsizetype kMaxSealed = 60 * 1024; // OpenDHT values are at most 64 KiB

    // `senderChain` is [device, account], or empty for a pairing request.
    static Result<QByteArray> seal(const crypto::PrivateKey& senderKey,
                                   const QList<crypto::Certificate>& senderChain,
                                   const DeviceId& recipient,
                                   const QByteArray& recipientPublicKeyDer, RequestKind kind,
                                   const QByteArray& body, qint64 sentMs);
};

} // namespace plenum::identity

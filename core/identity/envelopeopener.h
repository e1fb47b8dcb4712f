#pragma once
// Opens SealedEnvelopes addressed to one device: decrypts with its key, checks the
// signature, the recipient id and the sender's chain. Keeps the parsed key for speed.

#include "identity/sealedenvelope.h"

#include <QSet>

#include <memory>

namespace dht::crypto {
class PrivateKey;
}

namespace plenum::identity {

class EnvelopeOpener {
public:
    static Result<EnvelopeOpener> create(const crypto::PrivateKey& deviceKey);
    EnvelopeOpener(EnvelopeOpener&&) noexcept;
    EnvelopeOpener& operator=(EnvelopeOpener&&) noexcept;
    ~EnvelopeOpener();

    DeviceId self() const { return self_; }
    Result<OpenedEnvelope> open(const QByteArray& sealed, const QSet<DeviceId>& revoked = {}) const;

private:
    EnvelopeOpener() = default;
    std::unique_ptr<dht::crypto::PrivateKey> key_;
    DeviceId self_;
};

} // namespace plenum::identity

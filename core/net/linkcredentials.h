#pragma once
// What this device presents on links: its Ed25519 link key and the chain [link, device,
// account] (DESIGN §2), loaded once into GnuTLS credentials shared by every link. Also the
// shape of the check a link runs on the peer's chain (ChainVerifier).

// ids.h uses qHashBits without including <QHash> (reported to the lead).
#include <QHash>

#include "crypto/certificate.h"
#include "protocol/ids.h"
#include "protocol/result.h"

#include <QList>

#include <functional>
#include <memory>
#include <vector>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

namespace plenum::net {

// Who the peer proved to be.
struct PeerIdentity {
    DeviceId device;
    AccountId account;
};

// Checks a presented chain (DER, leaf first) and says whose it is; the link then compares
// the device with the one it meant to reach. The Node passes one built on
// crypto::verifyChain; tests may pass their own.
using ChainVerifier = std::function<Result<PeerIdentity>(const QList<QByteArray>& derChain)>;

class LinkCredentials {
public:
    LinkCredentials() = default;
    // The device's Ed25519 link key and its chain [link, device, account] (DESIGN §2).
    static Result<LinkCredentials> fromIdentity(const crypto::PrivateKey& linkKey,
                                                const QList<crypto::Certificate>& chain);
    // `chain` is leaf first: [link, device, account]. GnuTLS copies key and certificates.
    static Result<LinkCredentials> fromNative(const DeviceId& self, gnutls_x509_privkey_t linkKey,
                                              const std::vector<gnutls_x509_crt_t>& chain);
    bool isNull() const { return !creds_; }
    DeviceId self() const { return self_; }
    gnutls_certificate_credentials_t native() const;

private:
    DeviceId self_;
    std::shared_ptr<struct CredentialsHandle> creds_;
};

} // namespace plenum::net

#pragma once
// Glue between a DeviceIdentity and net's links: the credentials a device presents, and the
// chain check every link runs on its peer (crypto::verifyChain, with revoked devices).

#include "identity/deviceidentity.h"
#include "net/linkcredentials.h"

#include <QSet>

namespace plenum::identity {

class LinkTrust {
public:
    static Result<net::LinkCredentials> credentialsOf(const DeviceIdentity& device);
    static net::ChainVerifier verifier(QSet<DeviceId> revoked = {});
};

} // namespace plenum::identity

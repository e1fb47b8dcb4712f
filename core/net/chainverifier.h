#pragma once
// The product's check of a peer's link chain: crypto::verifyChain over [link, device,
// account] (signatures, validity, roles, revocations). TlsChannel then compares the device
// with the one the link meant to reach.

#include "net/linkcredentials.h"

#include <QSet>

namespace plenum::net {

ChainVerifier chainVerifier(QSet<DeviceId> revoked = {});

} // namespace plenum::net

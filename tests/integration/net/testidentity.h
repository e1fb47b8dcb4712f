#pragma once
// Identities for link tests, made with core/crypto: [link Ed25519, device, account]. Tests
// default to Ed25519 everywhere (fast keygen); benchmarks ask for the product's sizes
// (device RSA-2048, account RSA-4096, DESIGN §2).

#include "net/chainverifier.h"
#include "net/linkcredentials.h"

namespace plenum::net::test {

struct TestIdentity {
    DeviceId device;
    AccountId account;
    LinkCredentials credentials;
};

TestIdentity makeTestIdentity(const QString& name,
                              crypto::KeyKind deviceKind = crypto::KeyKind::Ed25519,
                              crypto::KeyKind accountKind = crypto::KeyKind::Ed25519);

} // namespace plenum::net::test

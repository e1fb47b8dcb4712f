#pragma once
// Throwaway identities for link tests: an Ed25519 chain [link, device, account] made with
// GnuTLS directly, and a verifier for such chains (signatures + ids). Product code verifies
// with crypto::verifyChain; these tests exercise core/net, not core/crypto.

#include "net/linkcredentials.h"

namespace plenum::net::test {

struct TestIdentity {
    DeviceId device;
    AccountId account;
    LinkCredentials credentials;
};

TestIdentity makeTestIdentity(const QString& name);
ChainVerifier testChainVerifier();

} // namespace plenum::net::test

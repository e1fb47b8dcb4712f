#pragma once
// Cheap accounts for tests: RSA-4096 generation costs ~0.3-3 s, and ctest runs every case
// in its own process, so account keys are generated once and cached in the temp directory.

#include "identity/profile.h"

namespace plenum::testsupport {

// The n-th cached RSA-4096 account key (n = 0, 1, 2, ...).
crypto::PrivateKey cachedAccountKey(int n);
// A new account with cached key n, named `name`.
identity::Account testAccount(int n, const QString& name);
// A profile of account n with a fresh device.
identity::Profile testProfile(int n, const QString& name, const QString& deviceName);

} // namespace plenum::testsupport

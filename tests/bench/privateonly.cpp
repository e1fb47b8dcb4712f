// Benchmarks never leave the machine either. Like every test (tests/CMakeLists.txt), each
// runs under PLENUM_PRIVATE_NETWORK_ONLY (identity::DhtConfig::kPrivateOnlyVariable), set here
// before main() so that the plenum-peer processes a benchmark starts inherit it too: a DHT
// that is public, bootstraps by host name or multicasts on the LAN then refuses to start.
#include <cstdlib>

namespace {
[[maybe_unused]] const bool privateOnly = ::setenv("PLENUM_PRIVATE_NETWORK_ONLY", "1", 1) == 0;
} // namespace

#pragma once
// What a fuzz target does when the code under test breaks a promise: says which, and aborts,
// so libFuzzer (or the seed replay under ASan) stops there with the input that did it.

#include <cstdio>
#include <cstdlib>

namespace plenum::fuzz {

[[noreturn]] inline void broken(const char* what)
{
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
}

} // namespace plenum::fuzz

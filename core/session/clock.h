#pragma once
// Time in core/session is a number the caller passes in (STYLE §1): milliseconds on the
// clock the host injects (Unix time in a Node, simulated time in tests/sim).

#include <cstdint>

namespace plenum::session {
using Millis = std::int64_t;
}

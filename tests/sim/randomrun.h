#pragma once
// One seeded random run for the property test: random creates, invites, refers, joins,
// leaves, crashes, partitions and one-way failures; then every fault heals and the run must
// reach quiescence with every invariant intact.

#include "invariants.h"

#include <cstdint>
#include <string>

namespace plenum::sim {

struct RunResult {
    bool ok = true;
    std::string failure;
    std::string detail; // the last events of every peer, on failure
    int peers = 0;
    Millis quiescentAt = 0;
    std::uint64_t messages = 0;
    int commits = 0;
    int elections = 0;
    int batonMoves = 0;        // baton generations committed (rule 11)
    std::uint64_t forged = 0;  // messages the adversary injected
    std::uint64_t refused = 0; // messages honest sessions refused
    int handoffs = 0;          // swaps committed (with --handoff)
};

struct RunOptions {
    int peers = 0;                   // 0: chosen by the seed (2..8)
    std::uint32_t disabledRules = 0; // session::Rule bits switched off (rule-toggle tests)
    // Some crashes fall between the effects of one handler (after a random number of sends,
    // persists and link requests), not only between handlers: "persisted before sent".
    bool crashPoints = false;
    // Issue 13: one more device, an outsider, and the last honest peer a malicious member;
    // both forge messages at random times (adversary.h). The invariants must still hold.
    bool adversary = false;
    // Rule 11: members request, grant, refuse and pass the baton at random times.
    bool baton = true;
    // DESIGN §8: the last peer is a second device of peer 0's account (and, with 5 peers or
    // more, the one before it of peer 1's), and hand-offs between them happen at random times,
    // some cancelled, some declined (by the random answers), some with the old device kept.
    bool handoff = false;
};

RunResult runRandom(std::uint64_t seed, const RunOptions& options = {});

// Runs until nothing but pings moves and only ping timers are armed (or `limit` passes).
bool runToQuiescence(SimNetwork& net, Millis limit);

} // namespace plenum::sim

// plenum-sim: the property test over many seeds, one seed to replay, or --demo.
//   plenum-sim --seeds 2000 [--start S] [--peers N]
//   plenum-sim --seed S [--peers N] --verbose       (replay one failing run)
//   plenum-sim --demo                                (a narrated group session)
//   --crash-points        some crashes fall between the effects of one handler
//   --adversary           an outsider and a malicious member forge messages (issue 13)
//   --handoff             accounts with two devices hand the session between them (issue 15)
//   --disable-rules MASK  switch safety rules off (session::Rule bits; tests only)
//   --expect-failure      succeed only if some seed fails (stops at the first): a rule-toggle
//                         test shows that the range notices the rule is gone
#include "demo.h"
#include "randomrun.h"

#include <QHashSeed>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace plenum::sim;

int main(int argc, char** argv)
{
    QHashSeed::setDeterministicGlobalSeed(); // QSet order must not vary between replays
    std::uint64_t start = 1, count = 2000;
    int peers = 0;
    bool single = false, verbose = false, expectFailure = false;
    RunOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::strtoull(argv[++i], nullptr, 10) : 0ull; };
        if (a == "--demo") return runDemo();
        if (a == "--seeds")
            count = next();
        else if (a == "--start")
            start = next();
        else if (a == "--seed") {
            start = next();
            count = 1;
            single = true;
        } else if (a == "--peers")
            peers = static_cast<int>(next());
        else if (a == "--verbose")
            verbose = true;
        else if (a == "--crash-points")
            options.crashPoints = true;
        else if (a == "--adversary")
            options.adversary = true;
        else if (a == "--handoff")
            options.handoff = true;
        else if (a == "--disable-rules")
            options.disabledRules = static_cast<std::uint32_t>(next());
        else if (a == "--expect-failure")
            expectFailure = true;
        else {
            std::fprintf(
                stderr,
                "usage: %s [--seeds N] [--start S] [--seed S] [--peers N] [--verbose] [--demo]\n"
                "          [--crash-points] [--adversary] [--handoff] [--disable-rules MASK] "
                "[--expect-failure]\n",
                argv[0]);
            return 2;
        }
    }
    std::uint64_t passed = 0, failed = 0, commits = 0, elections = 0, forged = 0, refused = 0,
                  batonMoves = 0, handoffs = 0;
    for (std::uint64_t seed = start; seed < start + count; ++seed) {
        options.peers = peers;
        const RunResult r = runRandom(seed, options);
        commits += r.commits;
        elections += r.elections;
        batonMoves += r.batonMoves;
        forged += r.forged;
        refused += r.refused;
        handoffs += r.handoffs;
        if (r.ok) {
            ++passed;
            if (single && verbose)
                std::printf("seed %llu: ok (%d peers, %llu messages)\n", (unsigned long long)seed,
                            r.peers, (unsigned long long)r.messages);
            continue;
        }
        ++failed;
        std::printf("FAILED seed %llu (%d peers): %s\n", (unsigned long long)seed, r.peers,
                    r.failure.c_str());
        std::printf("  replay: %s --seed %llu%s --verbose\n", argv[0], (unsigned long long)seed,
                    peers ? (" --peers " + std::to_string(peers)).c_str() : "");
        if (verbose || (failed <= 3 && !expectFailure)) std::printf("%s", r.detail.c_str());
        if (expectFailure) break;
    }
    std::printf("%llu seeds: %llu passed, %llu failed (%llu commits, %llu elections, %llu baton "
                "moves)\n",
                (unsigned long long)count, (unsigned long long)passed, (unsigned long long)failed,
                (unsigned long long)commits, (unsigned long long)elections,
                (unsigned long long)batonMoves);
    if (options.adversary)
        std::printf("adversary: %llu forged messages, %llu refused by honest sessions\n",
                    (unsigned long long)forged, (unsigned long long)refused);
    if (options.handoff)
        std::printf("handoff: %llu swaps committed\n", (unsigned long long)handoffs);
    if (expectFailure) {
        std::printf(failed ? "the range noticed (as expected)\n"
                           : "NOT NOTICED: no seed failed with these rules off\n");
        return failed ? 0 : 1;
    }
    return failed == 0 ? 0 : 1;
}

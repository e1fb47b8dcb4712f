// plenum-sim: the property test over many seeds, one seed to replay, or --demo.
//   plenum-sim --seeds 2000 [--start S] [--peers N]
//   plenum-sim --seed S [--peers N] --verbose       (replay one failing run)
//   plenum-sim --demo                                (a narrated group session)
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
    bool single = false, verbose = false;
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
        else {
            std::fprintf(
                stderr,
                "usage: %s [--seeds N] [--start S] [--seed S] [--peers N] [--verbose] [--demo]\n",
                argv[0]);
            return 2;
        }
    }
    std::uint64_t passed = 0, failed = 0, commits = 0, elections = 0;
    for (std::uint64_t seed = start; seed < start + count; ++seed) {
        const RunResult r = runRandom(seed, peers);
        commits += r.commits;
        elections += r.elections;
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
        if (verbose || failed <= 3) std::printf("%s", r.detail.c_str());
    }
    std::printf("%llu seeds: %llu passed, %llu failed (%llu commits, %llu elections)\n",
                (unsigned long long)count, (unsigned long long)passed, (unsigned long long)failed,
                (unsigned long long)commits, (unsigned long long)elections);
    return failed == 0 ? 0 : 1;
}

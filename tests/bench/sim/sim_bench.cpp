// sim_bench: the session protocol's cost in the simulator, in one-way delays, for N = 2..8.
//   join_delays[k]    accept of the k-th joiner -> every member committed the roster with it
//   failover_delays   SM killed -> new SM's republished roster committed, minus the
//                     detection timeout (so: election + republish), in one-way delays
//   messages          control messages (pings and HELLO excluded) per join / per election
//   handover_ms       graceful SM leave (BYE) -> a new SM's republished roster committed
//   property          plenum-sim's random runs: seeds per second and failures per million
// Medians over many seeds; the one-way delay is fixed (no jitter) so the unit is exact.
// Usage: sim_bench [seeds per N, 25] [largest N, 16] [property seeds, 2000]
#include "invariants.h"
#include "randomrun.h"

#include "session/roster.h"

#include <QHashSeed>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace plenum;
using namespace plenum::sim;

namespace {

constexpr Millis kDelay = 10; // one-way delay

double percentile(std::vector<double> v, double q)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(q * double(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

double median(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Times accept -> last member's commit for each joiner, counts messages per join.
struct JoinClock : SimObserver {
    SimNetwork* net = nullptr;
    int joiner = -1;
    Millis acceptedAt = -1;
    int committedAt = 0;
    int expected = 0;
    Millis doneAt = -1;
    void onSend(int from, int, const protocol::Message& m, bool) override
    {
        const auto* a = std::get_if<protocol::InviteAnswer>(&m.body);
        if (a && from == joiner && a->code == protocol::Code::Ok && acceptedAt < 0)
            acceptedAt = net->now();
    }
    void onEvent(int, const SessionId&, const session::SessionEvent& e, bool) override
    {
        const auto* c = std::get_if<session::event::RosterCommitted>(&e);
        if (!c || joiner < 0) return;
        if (!session::contains(c->roster, net->peer(joiner).info().device)) return;
        if (++committedAt == expected) doneAt = net->now();
    }
};

struct Sample {
    std::vector<std::vector<double>> joinDelays;   // [k] for k = 1..N-1
    std::vector<std::vector<double>> joinMessages; // [k]
    std::vector<double> failoverDelays, failoverMs, electionMessages, handoverMs;
};

// A group of n built at once, then the SM leaves gracefully.
void handoverOnce(int n, std::uint64_t seed, Sample& out)
{
    QHashSeed::setDeterministicGlobalSeed();
    SimConfig cfg;
    cfg.peers = n;
    cfg.latencyMin = cfg.latencyMax = kDelay;
    cfg.linkSetup = 2 * kDelay;
    cfg.session.rules.capacity = static_cast<std::uint32_t>(n);
    SimNetwork net(seed ^ 0x4a4d, cfg);
    for (int i = 1; i < n; ++i)
        net.setAnswer(i, true);
    const SessionId sid = net.peer(0).host()->create(0);
    net.runFor(500);
    for (int k = 1; k < n; ++k) {
        const auto& info = net.peer(k).info();
        net.peer(0).host()->invite(sid, info.account, {info.device}, net.now());
        net.runFor(1000);
    }
    net.runFor(2000);
    const Millis leftAt = net.now();
    net.peer(0).host()->leave(sid, net.now());
    while (net.now() < leftAt + 5000) {
        net.runFor(1);
        for (int i = 1; i < n; ++i) {
            session::Session* s = net.peer(i).session(sid);
            if (s && s->smReady() && s->epoch() > 1) {
                out.handoverMs.push_back(double(net.now() - leftAt));
                return;
            }
        }
    }
}

void runOnce(int n, std::uint64_t seed, Sample& out)
{
    QHashSeed::setDeterministicGlobalSeed();
    SimConfig cfg;
    cfg.peers = n;
    cfg.latencyMin = cfg.latencyMax = kDelay;
    cfg.linkSetup = 2 * kDelay; // ICE + TLS as two one-way delays (loopback figures differ)
    cfg.session.rules.capacity = static_cast<std::uint32_t>(n); // the default is 8 seats
    SimNetwork net(seed, cfg);
    JoinClock clock;
    clock.net = &net;
    net.setObserver(&clock);
    for (int i = 1; i < n; ++i)
        net.setAnswer(i, true);
    const SessionId sid = net.peer(0).host()->create(0);
    net.runFor(500);
    for (int k = 1; k < n; ++k) {
        clock.joiner = k;
        clock.acceptedAt = clock.doneAt = -1;
        clock.committedAt = 0;
        clock.expected = k + 1; // every member, the joiner included
        const std::uint64_t before = net.controlMessagesSent();
        const auto& info = net.peer(k).info();
        net.peer(0).host()->invite(sid, info.account, {info.device}, net.now());
        net.runFor(2000);
        if (clock.doneAt < 0 || clock.acceptedAt < 0) continue;
        out.joinDelays[k].push_back(double(clock.doneAt - clock.acceptedAt) / kDelay);
        out.joinMessages[k].push_back(double(net.controlMessagesSent() - before));
    }
    clock.joiner = -1;
    // Failover: kill -9 the SM, time until a new SM's republish is committed.
    const std::uint64_t before = net.controlMessagesSent();
    const Millis crashAt = net.now();
    net.crash(0);
    Millis readyAt = -1;
    while (net.now() < crashAt + 5000 && readyAt < 0) {
        net.runFor(1);
        for (int i = 1; i < n; ++i) {
            session::Session* s = net.peer(i).session(sid);
            if (s && s->smReady() && s->epoch() > 1) readyAt = net.now();
        }
    }
    if (readyAt < 0) return;
    const Millis detection = cfg.session.detection;
    out.failoverMs.push_back(double(readyAt - crashAt));
    out.failoverDelays.push_back(double(readyAt - crashAt - detection) / kDelay);
    out.electionMessages.push_back(double(net.controlMessagesSent() - before));
}

} // namespace

int main(int argc, char** argv)
{
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 25;
    const int maxN = argc > 2 ? std::atoi(argv[2]) : 16;
    const int propertySeeds = argc > 3 ? std::atoi(argv[3]) : 2000;
    std::printf("{\"one_way_delay_ms\":%lld,\"detection_ms\":%lld,\"seeds\":%d,\"by_n\":[",
                (long long)kDelay, (long long)session::SessionConfig{}.detection, seeds);
    for (int n = 2; n <= maxN; ++n) {
        Sample s;
        s.joinDelays.resize(n);
        s.joinMessages.resize(n);
        for (int seed = 1; seed <= seeds; ++seed) {
            runOnce(n, static_cast<std::uint64_t>(seed), s);
            handoverOnce(n, static_cast<std::uint64_t>(seed), s);
        }
        std::printf("%s\n {\"n\":%d,\"join_delays_median\":[", n > 2 ? "," : "", n);
        for (int k = 1; k < n; ++k)
            std::printf("%s%.1f", k > 1 ? "," : "", median(s.joinDelays[k]));
        std::printf("],\"join_messages_median\":[");
        for (int k = 1; k < n; ++k)
            std::printf("%s%.0f", k > 1 ? "," : "", median(s.joinMessages[k]));
        if (s.failoverMs.empty()) // two members: the lone survivor is a minority (DESIGN §5)
            std::printf("],\"failover_ms_median\":null,\"failover_delays_after_detection_median\":"
                        "null,\"election_messages_median\":null");
        else
            std::printf("],\"failover_ms_median\":%.0f,\"failover_delays_after_detection_median\":"
                        "%.1f,\"election_messages_median\":%.0f",
                        median(s.failoverMs), median(s.failoverDelays), median(s.electionMessages));
        std::printf(",\"handover_ms_p50\":%.0f,\"handover_ms_p95\":%.0f,\"handovers\":%zu}",
                    percentile(s.handoverMs, 0.5), percentile(s.handoverMs, 0.95),
                    s.handoverMs.size());
    }
    // The property test's own figures (the same runs as plenum-sim --seeds).
    const auto t0 = std::chrono::steady_clock::now();
    int failed = 0;
    for (int seed = 1; seed <= propertySeeds; ++seed)
        failed += runRandom(static_cast<std::uint64_t>(seed)).ok ? 0 : 1;
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("\n],\"property\":{\"seeds\":%d,\"failed\":%d,\"failures_per_million\":%.1f,"
                "\"seeds_per_second\":%.0f}}\n",
                propertySeeds, failed, 1e6 * failed / std::max(propertySeeds, 1),
                propertySeeds / std::max(secs, 1e-9));
    return 0;
}

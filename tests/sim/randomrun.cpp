#include "randomrun.h"

#include "adversary.h"

#include "session/roster.h"

#include <sstream>

namespace plenum::sim {

using session::Session;

namespace {

bool quiet(SimNetwork& net)
{
    if (!net.linksSettled()) return false;
    for (int i = 0; i < net.size(); ++i) {
        SimPeer& p = net.peer(i);
        if (!p.alive()) continue;
        for (const SessionId& sid : p.host()->sessionIds()) {
            Session* s = p.session(sid);
            if (s->phase() != Session::Phase::Member) return false;
            for (const auto& [key, at] : s->timers().all())
                if (key.first != session::TimerKind::Ping) return false;
        }
    }
    return true;
}

std::vector<int> membersOf(SimNetwork& net, const SessionId& sid)
{
    std::vector<int> out;
    for (int i = 0; i < net.size(); ++i) {
        Session* s = net.peer(i).session(sid);
        if (s && s->phase() == Session::Phase::Member) out.push_back(i);
    }
    return out;
}

} // namespace

bool runToQuiescence(SimNetwork& net, Millis limit)
{
    const Millis deadline = net.now() + limit;
    while (net.now() < deadline) {
        const std::uint64_t before = net.controlMessagesSent();
        net.runFor(500);
        if (net.controlMessagesSent() == before && quiet(net)) return true;
    }
    return false;
}

RunResult runRandom(std::uint64_t seed, const RunOptions& options)
{
    const int peers = options.peers;
    // Crash points draw from their own stream, so runs without them stay as they were.
    std::mt19937_64 crashPlan(seed ^ 0xc4a5'4c4a'5400'0000ull);
    std::mt19937_64 plan(seed ^ 0x5eed5eed5eedull);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(plan); };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(plan) < p; };

    SimConfig cfg;
    cfg.peers = peers > 0 ? peers : pick(2, 8);
    const int n = cfg.peers; // honest devices; the outsider, if any, comes after them
    if (options.adversary) cfg.peers += 1;
    cfg.latencyMin = pick(1, 3);
    cfg.latencyMax = cfg.latencyMin + pick(2, 40);
    cfg.dhtLoss = chance(0.3) ? 0.05 : 0.0;
    cfg.dhtDuplicate = chance(0.3) ? 0.05 : 0.0;
    cfg.session.inviteTimeout = 4000;
    cfg.session.testDisabledRules = options.disabledRules;
    // Hand-off pairs: {old device, new device} of one account (DESIGN §8).
    std::vector<std::pair<int, int>> pairs;
    if (options.handoff && n >= 3) pairs.emplace_back(0, n - 1);
    if (options.handoff && n >= 5) pairs.emplace_back(1, n - 2);
    for (const auto& [a, b] : pairs)
        cfg.sameAccountAs[b] = a;
    SimNetwork net(seed, cfg);
    InvariantChecker check(net);
    net.setObserver(&check);
    net.setAutoAnswer(0.9);

    std::vector<SessionId> sids{net.peer(0).host()->create(0)};
    // Issue 13: forgeries at random times, from their own stream (the plan above is unchanged).
    std::optional<Adversary> outsider, insider;
    if (options.adversary) {
        outsider.emplace(net, n, true);
        insider.emplace(net, n - 1, false);
        check.watchOutsider(n);
        net.setTap([&](int from, int to, const protocol::Message& m) {
            if (to == n) {
                outsider->observe(from, m);
            } else if (to == n - 1) {
                insider->observe(from, m);
            }
        });
        std::mt19937_64 evil(seed ^ 0xbad'5eed'0000'0013ull);
        auto roll = [&](int lo, int hi) {
            return std::uniform_int_distribution<int>(lo, hi)(evil);
        };
        for (int k = 0; k < 40; ++k) {
            const Millis when = roll(50, 8000);
            const bool fromOutside = roll(0, 1) == 0;
            const int target = roll(0, n - 1);
            const auto attack = static_cast<Attack>(roll(0, kAttackKinds - 1));
            const int which = roll(0, 1);
            net.at(when, [&, fromOutside, target, attack, which] {
                const SessionId& sid = sids[static_cast<std::size_t>(which) % sids.size()];
                (fromOutside ? *outsider : *insider).attack(sid, target, attack);
            });
        }
        // The malicious member relays snapshots it altered in its SM's name (issue 13: the SM
        // signs rosters). From their own stream, so the attacks above are the seeds' old ones.
        std::mt19937_64 relay(seed ^ 0x5167'0000'0013'0001ull);
        auto relayRoll = [&](int lo, int hi) {
            return std::uniform_int_distribution<int>(lo, hi)(relay);
        };
        for (int k = 0; k < 12; ++k) {
            const Millis when = relayRoll(50, 8000);
            const int target = relayRoll(0, n - 1);
            const int how = relayRoll(0, 3);
            const bool unsigned_ = relayRoll(0, 3) == 0;
            const int which = relayRoll(0, 1);
            net.at(when, [&, target, how, unsigned_, which] {
                const SessionId& sid = sids[static_cast<std::size_t>(which) % sids.size()];
                insider->relayForged(sid, target, how, unsigned_);
            });
        }
    }
    // Rule 11: baton requests, answers and passes at random times, from their own stream (the
    // plan above is unchanged). Each acts on whatever the device's committed roster says then.
    std::mt19937_64 batonPlan(seed ^ 0xba70'0000'0011'0016ull);
    auto batonRoll = [&](int lo, int hi) {
        return std::uniform_int_distribution<int>(lo, hi)(batonPlan);
    };
    if (options.baton) {
        for (int k = batonRoll(4, 16); k > 0; --k) {
            const Millis when = batonRoll(50, 9000);
            const int who = batonRoll(0, n - 1);
            const int action = batonRoll(0, 3);
            const int target = batonRoll(-1, n - 1);
            const int which = batonRoll(0, 1);
            net.at(when, [&, who, action, target, which] {
                const SessionId& sid = sids[static_cast<std::size_t>(which) % sids.size()];
                Session* s = net.peer(who).alive() ? net.peer(who).session(sid) : nullptr;
                if (!s || s->phase() != Session::Phase::Member) return;
                // A pass or an answer comes from the holder that `who` knows of, when there is
                // one (anyone else's is refused, which the run also exercises).
                const int holder = net.indexOf(s->baton().holder);
                SimPeer& p = net.peer(action != 0 && holder >= 0 && net.peer(holder).alive() &&
                                              target % 3 != 0
                                          ? holder
                                          : who);
                const DeviceId to = target < 0 ? DeviceId{} : net.peer(target).info().device;
                if (action == 0)
                    p.host()->requestBaton(sid, net.now());
                else if (action == 1)
                    p.host()->passBaton(sid, to, net.now());
                else
                    p.host()->answerBaton(sid, action == 2, net.now());
            });
        }
    }
    if (!pairs.empty()) {
        // Hand-offs at random times, from their own stream (the plan above is unchanged). Either
        // device of a pair may be in the session; it pushes the session to the other one.
        std::mt19937_64 moves(seed ^ 0x4a4d'0ff0'0000'0015ull);
        auto roll = [&](int lo, int hi) {
            return std::uniform_int_distribution<int>(lo, hi)(moves);
        };
        for (int k = 0; k < 8; ++k) {
            const Millis when = roll(100, 9000);
            const auto pair = pairs[static_cast<std::size_t>(roll(0, int(pairs.size()) - 1))];
            const int which = roll(0, 1);
            const Millis ttl = roll(0, 3) == 0 ? roll(200, 1500) : roll(2000, 8000);
            const bool keep = roll(0, 4) == 0;
            const bool cancel = roll(0, 6) == 0;
            const Millis cancelAfter = roll(10, 800);
            net.at(when, [&, pair, which, ttl, keep, cancel, cancelAfter] {
                const SessionId& sid = sids[static_cast<std::size_t>(which) % sids.size()];
                for (const auto& [from, to] : {pair, std::pair{pair.second, pair.first}}) {
                    SimPeer& p = net.peer(from);
                    Session* s = p.alive() ? p.session(sid) : nullptr;
                    if (!s || s->phase() != Session::Phase::Member) continue;
                    s->handoff(net.peer(to).info().device, ttl, keep, net.now());
                    if (cancel)
                        net.at(net.now() + cancelAfter, [&net, giver = from, sid] {
                            Session* again =
                                net.peer(giver).alive() ? net.peer(giver).session(sid) : nullptr;
                            if (again) again->cancelHandoff(net.now());
                        });
                    return;
                }
            });
        }
    }
    int crashed = 0;
    const int maxCrashed = (n - 1) / 2; // a majority stays up, so the group can decide
    const int ops = pick(8, 28);
    Millis t = 0;
    for (int k = 0; k < ops; ++k) {
        t += pick(20, 600);
        net.runUntil(t);
        if (check.failed()) break;
        const int roll = pick(0, 99);
        const SessionId sid =
            sids[static_cast<std::size_t>(pick(0, static_cast<int>(sids.size()) - 1))];
        const std::vector<int> members = membersOf(net, sid);
        if (roll < 45) { // invite (by the SM) or refer (by anyone else)
            if (members.empty()) continue;
            const int who =
                members[static_cast<std::size_t>(pick(0, static_cast<int>(members.size()) - 1))];
            const int target = pick(0, n - 1);
            if (target == who) continue;
            const auto& info = net.peer(target).info();
            net.peer(who).host()->invite(sid, info.account, {info.device}, net.now());
        } else if (roll < 52) { // leave
            if (members.size() < 2) continue;
            const int who =
                members[static_cast<std::size_t>(pick(0, static_cast<int>(members.size()) - 1))];
            net.peer(who).host()->leave(sid, net.now());
        } else if (roll < 64) { // crash, restart later
            if (crashed >= maxCrashed) continue;
            const int who = pick(0, n - 1);
            if (!net.peer(who).alive()) continue;
            if (options.crashPoints && crashPlan() % 2 == 0) {
                // Dies inside a later handler, between two of its effects.
                const std::uint64_t at =
                    net.peer(who).effects() + 1 + static_cast<std::uint64_t>(crashPlan() % 40);
                SimPeer* p = &net.peer(who);
                p->setCrashPoint(
                    [p, at](const char*, const protocol::Message*) { return p->effects() >= at; });
            } else {
                net.crash(who);
            }
            ++crashed;
            if (chance(0.7)) {
                net.at(net.now() + pick(200, 4000), [&net, &crashed, who] {
                    if (!net.peer(who).alive()) {
                        net.restart(who);
                        --crashed;
                    } else {
                        net.peer(who).setCrashPoint(nullptr); // its crash point never came
                        --crashed;
                    }
                });
            }
        } else if (roll < 74) { // partition, healed later
            std::vector<int> side;
            for (int i = 0; i < n; ++i)
                if (chance(0.5)) side.push_back(i);
            net.partition(side);
            net.at(net.now() + pick(300, 3000), [&net] { net.healAll(); });
        } else if (roll < 82) { // a link that fails one way only
            const int a = pick(0, n - 1), b = pick(0, n - 1);
            if (a == b) continue;
            net.blockOneWay(a, b);
            net.at(net.now() + pick(300, 3000), [&net] { net.healAll(); });
        } else if (roll < 92) { // a link breaks (loss on a reliable link kills it)
            const int a = pick(0, n - 1), b = pick(0, n - 1);
            if (a != b) net.breakLink(a, b);
        } else if (roll < 95 && sids.size() < 2) { // a second group
            const int who = pick(0, n - 1);
            if (net.peer(who).alive()) sids.push_back(net.peer(who).host()->create(net.now()));
        }
    }
    // Heal every fault; restarted peers keep only their disk.
    net.runUntil(t + 100);
    for (int i = 0; i < n; ++i)
        net.peer(i).setCrashPoint(nullptr);
    net.healAll();
    for (int i = 0; i < n; ++i)
        net.restart(i);
    const bool quiescent = runToQuiescence(net, 60000);

    RunResult result;
    result.peers = n;
    if (options.adversary) {
        result.forged = outsider->sent() + insider->sent();
        for (int i = 0; i < n; ++i)
            result.refused += net.peer(i).refusals();
        net.setTap(nullptr);
    }
    result.messages = net.messagesSent();
    result.quiescentAt = net.now();
    if (!check.failed() && !quiescent)
        result.failure = "did not reach quiescence within 60 s of healing";
    if (!check.failed() && quiescent) check.checkQuiescent();
    if (check.failed()) result.failure = check.failure();
    for (const auto& [sid, log] : check.sessions()) {
        result.commits += static_cast<int>(log.committed.size());
        for (const auto& [at, roster] : log.committed)
            for (const auto& [pa, pb] : pairs) {
                const auto& a = net.peer(pa).info().device;
                const auto& b = net.peer(pb).info().device;
                auto prev = log.baseOf.find(at);
                if (prev == log.baseOf.end()) continue;
                auto base = log.committed.find(prev->second);
                if (base == log.committed.end()) continue;
                for (const auto& [x, y] : {std::pair{a, b}, std::pair{b, a}})
                    if (session::contains(base->second, x) && !session::contains(base->second, y) &&
                        session::contains(roster, y))
                        ++result.handoffs;
            }
        result.elections += static_cast<int>(log.smOfEpoch.size()) - 1;
        result.batonMoves += static_cast<int>(log.latest.baton.generation);
    }
    if (!result.failure.empty()) {
        result.ok = false;
        std::ostringstream d;
        d << "  step time: " << (check.failed() ? check.failedAt() : net.now()) << " ms"
          << (net.linksSettled() ? "" : ", links not settled") << "\n";
        for (int i = 0; i < n; ++i) {
            SimPeer& p = net.peer(i);
            d << "  peer" << i << " (" << p.info().device.shortHex().toStdString()
              << (p.alive() ? "" : ", dead") << ")";
            for (const SessionId& sid : sids) {
                Session* s = p.session(sid);
                if (!s) continue;
                d << " phase=" << static_cast<int>(s->phase()) << " sm=" << s->isSm()
                  << " follows=" << s->sm().shortHex().toStdString() << " epoch=" << s->epoch()
                  << " voted=" << s->record().votedEpoch << " " << describe(s->committed())
                  << " timers:";
                for (const auto& [key, at] : s->timers().all())
                    if (key.first != session::TimerKind::Ping)
                        d << " " << session::timerName(key.first) << "@" << at;
            }
            d << " links:";
            for (int j = 0; j < n; ++j)
                if (j != i && net.linkUp(i, j)) d << " " << j;
            d << "\n" << p.formatLog();
        }
        result.detail = d.str();
    }
    return result;
}

} // namespace plenum::sim

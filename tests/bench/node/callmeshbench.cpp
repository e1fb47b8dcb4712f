// A call of N plenum-peer processes on this machine, everyone talking at once the whole time
// (a continuous tone: no DTX pause, the worst case), for S seconds (issue 14: "a 16-way call
// with all 16 peers on this machine: underruns per minute, goal 0"). Prints one JSON object:
// underruns, waits for late packets, late and lost frames summed over every listener/speaker
// pair and per minute, the worst pair, and each process's CPU in % of a core.
// Usage: call_mesh_bench [peers=16] [seconds=60]

#include "benchstats.h"
#include "callfailover.h"
#include "peergroup.h"

#include "media/wavfile.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

#include <csignal>

#include <unistd.h>

using namespace plenum::testsupport;

namespace {

// The newest call_stats of `listener` about `speaker`.
QJsonObject stats(PeerProcess* listener, const QString& speaker)
{
    QJsonObject last;
    for (const auto& e : listener->events())
        if (e.value("event") == "call_stats" && e.value("peer") == speaker) last = e;
    return last;
}

// The 1-minute load average: the machine is shared, so every figure says its load.
double loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    return f.readAll().split(' ').value(0).toDouble();
}

// CALL_MESH_EVENTS=DIR: every peer's events but call_stats, one JSON line each (first line:
// its device id), for reading the timeline of a failure or of the link drops counted below.
void dumpEvents(const std::vector<PeerProcess*>& peers)
{
    const QString out = qEnvironmentVariable("CALL_MESH_EVENTS");
    if (out.isEmpty()) return;
    for (auto* p : peers) {
        QFile f(out + "/" + p->name + ".jsonl");
        if (!f.open(QIODevice::WriteOnly)) continue;
        f.write(QByteArray("{\"device\":\"") + p->device.toLatin1() + "\"}\n");
        for (const auto& e : p->events())
            if (e.value("event") != "call_stats")
                f.write(QJsonDocument(e).toJson(QJsonDocument::Compact) + '\n');
    }
}

// CALL_MESH_STALL=STOP_MS/PERIOD_MS: in the measured window, stop peer p1 (SIGSTOP) for
// STOP_MS every PERIOD_MS, the way the scheduler starves a process beside a CPU hog. Its links
// drop, it is removed and it rejoins, again and again: a link-drop cascade on demand, for the
// DHT traffic it causes (tests/bench/node/dht_during_call.sh --stall).
struct Staller {
    qint64 pid = 0;
    int stopMs = 0;
    QTimer period;

    bool configure(qint64 target)
    {
        const QStringList parts = qEnvironmentVariable("CALL_MESH_STALL").split('/');
        if (parts.size() != 2) return false;
        stopMs = parts[0].toInt();
        const int periodMs = parts[1].toInt();
        if (stopMs <= 0 || periodMs <= stopMs) return false;
        pid = target;
        period.setInterval(periodMs);
        QObject::connect(&period, &QTimer::timeout, [this] {
            ::kill(pid_t(pid), SIGSTOP);
            QTimer::singleShot(stopMs, &period, [this] { ::kill(pid_t(pid), SIGCONT); });
        });
        period.start();
        return true;
    }
    ~Staller()
    {
        if (pid) ::kill(pid_t(pid), SIGCONT);
    }
};

int fail(const QString& why)
{
    std::fprintf(stderr, "call_mesh_bench: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::clamp(atoi(argv[1]), 2, 32) : 16;
    const int seconds = argc > 2 ? std::max(5, atoi(argv[2])) : 60;
    QTemporaryDir dir;
    const QString wav = dir.filePath("tone.wav");
    if (auto w = plenum::media::WavFile::write(wav, continuousTone(4)); !w) return fail(w.error());

    PeerGroup group;
    QStringList names;
    for (int i = 0; i < n; ++i)
        names.append(QStringLiteral("p%1").arg(i));
    QElapsedTimer setup;
    setup.start();
    const auto peers = group.session(names);
    if (peers.size() != size_t(n)) return fail("the session of " + QString::number(n) + " failed");
    const qint64 sessionMs = setup.elapsed();
    for (auto* p : peers)
        p->send({{"cmd", "audio_in"}, {"file", wav}, {"loop", true}});
    QElapsedTimer joinedAt;
    joinedAt.start();
    std::fprintf(stderr, "call_mesh_bench: call_join at monotonic %lld ms\n",
                 qlonglong(joinedAt.msecsSinceReference()));
    for (auto* p : peers)
        p->send({{"cmd", "call_join"}});
    // Everyone sees everyone in the call with media up.
    const bool up = waitFor(
        [&] {
            for (auto* p : peers) {
                QSet<QString> withMedia; // speakers this peer received packets from
                for (const auto& e : p->events())
                    if (e.value("event") == "call_stats" &&
                        e.value("packets_received").toInteger() > 0)
                        withMedia.insert(e.value("peer").toString());
                if (withMedia.size() < n - 1) return false;
            }
            return true;
        },
        60000);
    if (!up) {
        // Say who is missing whom and what the peers warned about, so a failure can be read.
        for (auto* p : peers) {
            QSet<QString> withMedia;
            QStringList warnings;
            for (const auto& e : p->events()) {
                if (e.value("event") == "call_stats" && e.value("packets_received").toInteger() > 0)
                    withMedia.insert(e.value("peer").toString());
                if (e.value("event") == "warning") warnings.append(e.value("text").toString());
                if (e.value("event") == "error")
                    warnings.append(e.value("cmd").toString() + ": " +
                                    e.value("message").toString());
            }
            QStringList missing;
            for (auto* sp : peers)
                if (sp != p && !withMedia.contains(sp->device)) missing.append(sp->name);
            if (missing.isEmpty()) continue;
            std::fprintf(stderr, "call_mesh_bench: %s has no media from %s; %lld warnings%s%s\n",
                         qPrintable(p->name), qPrintable(missing.join(' ')),
                         qlonglong(warnings.size()), warnings.isEmpty() ? "" : ", last: ",
                         qPrintable(warnings.isEmpty() ? QString() : warnings.last()));
        }
        dumpEvents(peers);
        return fail("not every peer received media from every other within 60 s");
    }
    const qint64 callUpMs = setup.elapsed() - sessionMs;
    // On stderr so a profiler can attach to one process for the measured window.
    QStringList pids;
    for (auto* p : peers)
        pids.append(QString::number(p->pid()));
    std::fprintf(stderr, "call_mesh_bench: call up after %lld ms; measuring %d s; pids %s\n",
                 qlonglong(callUpMs), seconds, qPrintable(pids.join(' ')));

    // Counters at the start of the measured window, then after it.
    auto snapshot = [&] {
        QHash<QString, QJsonObject> s;
        for (auto* l : peers)
            for (auto* sp : peers)
                if (l != sp) s.insert(l->name + "<" + sp->name, stats(l, sp->device));
        return s;
    };
    const auto before = snapshot();
    std::vector<qint64> cpuBefore;
    for (auto* p : peers)
        cpuBefore.push_back(p->cpuMs());
    const qint64 windowStartMs = testClockMs();
    QElapsedTimer window;
    window.start();
    // CLOCK_MONOTONIC, so a tracer's timestamps (perf -k CLOCK_MONOTONIC) can be cut to it.
    std::fprintf(stderr, "call_mesh_bench: window starts at monotonic %lld ms\n",
                 qlonglong(window.msecsSinceReference()));
    Staller staller;
    if (n > 2 && staller.configure(peers[1]->pid()))
        std::fprintf(stderr, "call_mesh_bench: stalling %s for %d ms every %d ms\n",
                     qPrintable(peers[1]->name), staller.stopMs, staller.period.interval());
    (void)waitFor([] { return false; }, seconds * 1000);
    staller.period.stop();
    const double minutes = double(window.elapsed()) / 60000.0;
    const auto after = snapshot();

    qint64 underruns = 0, late = 0, lost = 0, received = 0, worst = 0, restarted = 0, unmixed = 0;
    qint64 waits = 0;
    QString worstPair;
    for (auto it = after.begin(); it != after.end(); ++it) {
        // A stream that restarted in the window (its member was removed and came back) counts
        // from zero again: its counters are what it did since (not a negative difference).
        const QJsonObject& start = before.value(it.key());
        const bool restart =
            it->value("packets_received").toInteger() < start.value("packets_received").toInteger();
        restarted += restart ? 1 : 0;
        auto delta = [&](const char* key) {
            return it->value(key).toInteger() - (restart ? 0 : start.value(key).toInteger());
        };
        const qint64 u = delta("underruns");
        underruns += u;
        late += delta("late");
        lost += delta("lost");
        received += delta("packets_received");
        unmixed += delta("unmixed"); // frames not decoded: four louder peers talked
        waits += delta("waits");     // periods concealed while a late packet was awaited
        if (u > worst) {
            worst = u;
            worstPair = it.key();
        }
    }
    QJsonArray cpu;
    double cpuSum = 0;
    for (size_t i = 0; i < peers.size(); ++i) {
        const double pct =
            100.0 * double(peers[i]->cpuMs() - cpuBefore[i]) / double(window.elapsed());
        cpu.append(std::round(pct * 10) / 10);
        cpuSum += pct;
    }
    // Links that went down and members removed, from session set-up to the end of the
    // window: a call that "came up" while links re-formed underneath is not a healthy call
    // (issue 14: re-links went through the DHT and flooded it). And how long packets waited in
    // the jitter buffers: every call_stats of the window (each listener about each speaker,
    // once a second).
    qint64 dropsSetUp = 0, dropsCall = 0, removals = 0;
    QList<double> waited;
    for (auto* p : peers)
        for (const auto& e : p->events()) {
            const QString ev = e.value("event").toString();
            const bool inWindow = e.value("_ms").toInteger() >= windowStartMs;
            if (ev == "removed") ++removals;
            if (ev == "call_stats" && inWindow && e.value("packets_received").toInteger() > 0)
                waited.append(e.value("playout_delay_ms").toDouble());
            if (ev != "link_down") continue;
            if (inWindow)
                ++dropsCall;
            else
                ++dropsSetUp;
        }
    const qint64 pairs = qint64(n) * (n - 1);
    QJsonObject out{{"peers", n},
                    {"seconds", double(window.elapsed()) / 1000.0},
                    {"session_ms", sessionMs},
                    {"call_up_ms", callUpMs},
                    {"pairs", pairs},
                    {"packets_received", received},
                    {"streams_restarted", restarted},
                    {"frames_unmixed", unmixed},
                    {"underruns", underruns},
                    {"underruns_per_minute", underruns / minutes},
                    {"underruns_per_pair_per_minute", double(underruns) / double(pairs) / minutes},
                    {"worst_pair", worstPair},
                    {"worst_pair_underruns", worst},
                    {"late", late},
                    {"waits", waits},
                    {"waits_per_minute", waits / minutes},
                    {"playout_delay_ms_median", median(waited)},
                    {"playout_delay_ms_p95", percentile(waited, 0.95)},
                    {"lost", lost},
                    {"cpu_percent_of_a_core", cpu},
                    {"cpu_percent_mean", cpuSum / double(n)},
                    {"link_drops_before_window", dropsSetUp},
                    {"link_drops_in_window", dropsCall},
                    {"members_removed", removals},
                    {"stall", qEnvironmentVariable("CALL_MESH_STALL")},
                    {"load_average", loadAverage()},
                    {"machine_cores", int(sysconf(_SC_NPROCESSORS_ONLN))}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    dumpEvents(peers);
    return 0;
}

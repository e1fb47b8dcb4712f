#include "callfailover.h"

#include "media/wavfile.h"

#include <QTemporaryDir>

#include <cmath>

namespace plenum::testsupport {

namespace {

constexpr int kRate = 48000;

} // namespace

std::vector<qint16> continuousTone(int seconds)
{
    std::vector<qint16> out(size_t(seconds * kRate));
    for (size_t i = 0; i < out.size(); ++i) {
        const double t = double(i) / kRate;
        const double env = 0.6 + 0.4 * std::sin(2 * M_PI * 3 * t);
        out[i] = qint16(6000 * env *
                        (std::sin(2 * M_PI * 220 * t) + 0.5 * std::sin(2 * M_PI * 330 * t)));
    }
    return out;
}

namespace {

bool everyoneInCall(const QJsonObject& e, int n)
{
    if (e.value("event").toString() != "call") return false;
    const QJsonArray members = e.value("members").toArray();
    return members.size() == n;
}

// call_stats events of `listener` about `speaker` with their test-clock stamps.
QList<QPair<qint64, qint64>> packetSeries(PeerProcess* listener, const QString& speaker)
{
    QList<QPair<qint64, qint64>> out;
    for (const auto& e : listener->events())
        if (e.value("event") == "call_stats" && e.value("peer") == speaker)
            out.append({e.value("_ms").toInteger(), e.value("packets_received").toInteger()});
    return out;
}

void pump(int ms)
{
    (void)waitFor([] { return false; }, ms);
}

} // namespace

CallFailoverRun runCallFailover(double mediaLossPercent, int steadyMs)
{
    CallFailoverRun run;
    QTemporaryDir dir;
    const QString wav = dir.filePath("tone.wav");
    if (auto w = media::WavFile::write(wav, continuousTone(4)); !w) {
        run.error = "cannot write the tone: " + w.error();
        return run;
    }
    const QStringList extra{QStringLiteral("--media-loss"), QString::number(mediaLossPercent)};
    PeerGroup group;
    std::vector<PeerProcess*> peers;
    for (const char* name : {"alice", "bob", "carol", "dave"})
        peers.push_back(group.add(QLatin1String(name), extra));
    if (group.buildSession(peers).isEmpty() || !group.rostersEqual(peers, 4, 15000)) {
        run.error = "the 4-member session did not form";
        return run;
    }
    for (auto* p : peers)
        p->send({{"cmd", "audio_in"}, {"file", wav}, {"loop", true}});
    for (auto* p : peers)
        p->send({{"cmd", "call_join"}});
    for (auto* p : peers)
        if (!p->waitEvent([](const QJsonObject& e) { return everyoneInCall(e, 4); }, 15000)) {
            run.error = p->name + " does not see all four in the call";
            return run;
        }
    // Every pair hears every other: call_audio from each of the three others.
    for (auto* p : peers)
        for (auto* q : peers)
            if (p != q && !p->waitEvent(
                              [&](const QJsonObject& e) {
                                  return e.value("event") == "call_audio" &&
                                         e.value("from") == q->device;
                              },
                              15000)) {
                run.error = p->name + " hears nothing from " + q->name;
                return run;
            }
    // From here on every link carries media: a link that drops is a false removal (link
    // churn while the session and the call form is not about this rule).
    const qint64 steadyAt = testClockMs();
    pump(steadyMs);

    PeerProcess* sm = peers[0];
    const std::vector<PeerProcess*> rest(peers.begin() + 1, peers.end());
    const qint64 killedAt = testClockMs();
    sm->kill();
    if (!group.rostersEqual(rest, 3, 10000)) {
        run.error = "the survivors did not agree on a roster without the killed SM";
        return run;
    }
    run.failoverMs = testClockMs() - killedAt;
    pump(2500); // the call goes on; stats ticks after the failover

    for (auto* p : peers) {
        bool lostSm = false;
        for (const auto& e : p->events()) {
            if (e.value("event") == "link_down") {
                const bool aboutSm = p != sm && e.value("peer") == sm->device &&
                                     e.value("_ms").toInteger() >= killedAt;
                if (aboutSm && !lostSm) {
                    // The first one; later ones are re-link attempts to the dead device.
                    lostSm = true;
                    run.detectMs = std::max(run.detectMs, e.value("_ms").toInteger() - killedAt);
                    run.smLinkDownReasons.append(e.value("reason").toString());
                } else if (!aboutSm && e.value("_ms").toInteger() >= steadyAt) {
                    run.falseLinkDowns.append(
                        QStringLiteral("%1 lost %2 at %3 ms after the kill: %4")
                            .arg(p->name, e.value("peer").toString().left(8))
                            .arg(e.value("_ms").toInteger() - killedAt)
                            .arg(e.value("reason").toString()));
                }
            }
            if (p != sm && e.value("event") == "sm" && e.value("_ms").toInteger() >= killedAt)
                run.electedMs = e.value("_ms").toInteger() - killedAt;
        }
    }
    for (auto* listener : rest)
        for (auto* speaker : rest) {
            if (listener == speaker) continue;
            const auto series = packetSeries(listener, speaker->device);
            for (qsizetype i = 1; i < series.size(); ++i) {
                if (series[i].first < killedAt - 1500 || series[i].first > killedAt + 2500)
                    continue;
                const qint64 got = series[i].second - series[i - 1].second;
                ++run.checkedTicks;
                if (got <= 0) ++run.silentTicks;
                if (series[i - 1].first >= killedAt &&
                    (run.minPacketsPerTick < 0 || got < run.minPacketsPerTick))
                    run.minPacketsPerTick = got;
            }
        }
    for (auto* p : rest)
        p->send({{"cmd", "quit"}});
    return run;
}

} // namespace plenum::testsupport

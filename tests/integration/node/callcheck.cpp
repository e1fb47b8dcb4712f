#include "callcheck.h"

#include "dhttestnet.h"
#include "speech.h"

#include <QJsonArray>

#include <algorithm>

namespace plenum::testsupport {

namespace mt = plenum::media::test;

bool callHas(const QJsonObject& e, QStringList devices)
{
    if (e.value("event").toString() != "call") return false;
    QStringList in;
    for (const auto& m : e.value("members").toArray())
        in.append(m.toObject().value("device").toString());
    in.sort();
    devices.sort();
    return in == devices;
}

std::optional<QJsonObject> joinCall(PeerProcess* peer, const QStringList& inCall)
{
    peer->send({{"cmd", "call_join"}});
    return peer->waitEvent([&](const QJsonObject& e) { return callHas(e, inCall); }, 10000);
}

namespace {
// The first "call" event in which `p` was in the call.
QJsonObject firstInCall(PeerProcess* p)
{
    for (const auto& e : p->events())
        if (e.value("event") == "call" && e.value("in_call").toBool()) return e;
    return {};
}
} // namespace

qint64 audioStartNs(PeerProcess* p)
{
    return firstInCall(p).value("audio_start_ns").toInteger();
}

int audioPeriodSamples(PeerProcess* p)
{
    return firstInCall(p).value("audio_period_samples").toInt();
}

bool leaveCall(PeerProcess* p)
{
    while (p->waitEvent("call", 0)) {
    } // older "call" events say in_call false too (before this peer joined)
    p->send({{"cmd", "call_leave"}});
    return p
        ->waitEvent(
            [](const QJsonObject& e) {
                return e.value("event") == "call" && !e.value("in_call").toBool();
            },
            5000)
        .has_value();
}

QJsonObject lastStats(PeerProcess* p, const QString& from)
{
    QJsonObject last;
    for (const auto& e : p->events())
        if (e.value("event") == "call_stats" && e.value("peer") == from) last = e;
    return last;
}

int WindowScore::medianDelayMs() const
{
    if (delaysMs.isEmpty()) return -1;
    QList<int> sorted = delaysMs;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
}

WindowScore scoreWindows(std::span<const qint16> reference, std::span<const qint16> heard,
                         int maxLag)
{
    const size_t w = kCallRate / 2;
    const double mean = mt::energy(reference) / double(std::max<size_t>(1, reference.size() / w));
    WindowScore out;
    double sum = 0;
    for (size_t at = 0; at + w <= reference.size() && at < heard.size(); at += w) {
        const auto piece = reference.subspan(at, w);
        if (mt::energy(piece) < 0.1 * mean) continue; // a pause: nothing to recognise
        const auto a =
            mt::align(piece, heard.subspan(at, std::min(heard.size() - at, w + maxLag)), maxLag);
        sum += a.correlation;
        out.delaysMs.append(a.lagSamples * 1000 / kCallRate);
    }
    out.meanCorrelation = out.delaysMs.isEmpty() ? 0 : sum / out.delaysMs.size();
    return out;
}

ListenerScore scoreListener(const std::vector<qint16>& said, size_t leadIn, qint64 speakerStartNs,
                            qint64 listenerStartNs, int listenerPeriod,
                            const std::vector<qint16>& played)
{
    ListenerScore out;
    // Played sample m leaves the speaker at listenerStart + period + m/rate; input sample i was
    // captured at speakerStart + i/rate. Cut the played signal where zero delay would put input
    // sample 0, then the lag found is the mouth-to-ear delay (searched to 1 s).
    const qint64 zeroLag =
        (speakerStartNs - listenerStartNs) * kCallRate / 1'000'000'000 - listenerPeriod;
    if (zeroLag >= qint64(played.size())) {
        out.error = QStringLiteral("the listener's file does not cover the speaker's start "
                                   "(offset %1 samples of %2)")
                        .arg(zeroLag)
                        .arg(played.size());
        return out;
    }
    // A listener that started its device less than a period before the speaker (a busy machine
    // schedules them close together) played nothing before input sample 0: silence there.
    std::vector<qint16> padded;
    if (zeroLag < 0) {
        padded.assign(size_t(-zeroLag), 0);
        padded.insert(padded.end(), played.begin(), played.end());
    }
    const std::span<const qint16> heard =
        zeroLag < 0
            ? std::span<const qint16>(padded)
            : std::span<const qint16>(played.data() + zeroLag, played.size() - size_t(zeroLag));
    std::vector<qint16> input(leadIn, 0);
    input.insert(input.end(), said.begin(), said.end());
    std::vector<qint16> reversed(leadIn, 0);
    reversed.insert(reversed.end(), said.rbegin(), said.rend());
    out.speech = scoreWindows(input, heard, kCallRate);
    out.reversed = scoreWindows(reversed, heard, kCallRate);
    return out;
}

} // namespace plenum::testsupport

// Frames per second on one control link of an idle group (issue 11, one liveness ping):
// plenum-peer processes on loopback form a group, sit idle, and each reports the liveness
// pings and control messages sent on each of its links over the window ("stats").
// Usage: link_rate_bench [peers] [seconds]   (prints JSON)

#include "benchstats.h"
#include "peergroup.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QThread>

#include <algorithm>
#include <cstdio>

using namespace plenum::testsupport;

namespace {

// device hex -> (pings, messages) sent on the link to it.
std::optional<QHash<QString, std::pair<double, double>>> sentCounts(PeerProcess* p)
{
    auto stats = p->ask({{"cmd", "stats"}}, "stats");
    if (!stats) return std::nullopt;
    QHash<QString, std::pair<double, double>> out;
    const QJsonObject links = stats->value("links").toObject();
    for (auto it = links.begin(); it != links.end(); ++it) {
        const QJsonObject l = it.value().toObject();
        out.insert(it.key(),
                   {l.value("pings_sent").toDouble(), l.value("messages_sent").toDouble()});
    }
    return out;
}

QString loadavg()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).trimmed() : QString();
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::clamp(atoi(argv[1]), 2, 8) : 3;
    const int seconds = argc > 2 ? std::clamp(atoi(argv[2]), 1, 120) : 10;

    PeerGroup group;
    QStringList names;
    for (int i = 0; i < n; ++i)
        names << QStringLiteral("p%1").arg(i);
    const auto peers = group.session(names);
    if (peers.empty()) return 1;
    QThread::msleep(1000); // the join's own traffic settles

    std::vector<QHash<QString, std::pair<double, double>>> before;
    for (PeerProcess* p : peers) {
        auto c = sentCounts(p);
        if (!c) return 1;
        before.push_back(*c);
    }
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < seconds * 1000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 100);
    const double window = t.elapsed() / 1000.0;
    QList<double> pings, messages, frames;
    for (std::size_t i = 0; i < peers.size(); ++i) {
        auto after = sentCounts(peers[i]);
        if (!after) return 1;
        for (auto it = after->begin(); it != after->end(); ++it) {
            if (!before[i].contains(it.key())) continue; // a link made during the window
            const auto [p0, m0] = before[i].value(it.key());
            const double p = (it->first - p0) / window, m = (it->second - m0) / window;
            pings.append(p);
            messages.append(m);
            frames.append(p + m);
        }
    }
    const QJsonObject out{{"peers", n},
                          {"window_s", window},
                          {"link_directions", frames.size()},
                          {"pings_per_s_per_link_direction_median", percentile(pings, 0.5)},
                          {"messages_per_s_per_link_direction_median", percentile(messages, 0.5)},
                          {"frames_per_s_per_link_direction_median", percentile(frames, 0.5)},
                          {"frames_per_s_per_link_direction_max", percentile(frames, 1.0)},
                          {"loadavg", loadavg()}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

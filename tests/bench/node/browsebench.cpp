// Issue 16: co-browsing latency between plenum-peer processes on loopback (a private DHT).
// The leader navigates N times; per navigation: from the "browse" command written to the
// leader's stdin to each follower's "navigate" event (pipe latency of both processes
// included), and from that event until the follower's page load from a local HTTP server
// finished (what a browser would start at that moment). Prints one JSON object.
// Usage: browse_bench [navigations] [followers]

#include "benchstats.h"
#include "pageserver.h"
#include "peergroup.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>

using namespace plenum::testsupport;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int navigations = argc > 1 ? std::max(1, atoi(argv[1])) : 20;
    const int followers = argc > 2 ? std::clamp(atoi(argv[2]), 1, 7) : 2;
    PageServer server;
    if (!server.ok()) return 1;
    PeerGroup group;
    QStringList names{QStringLiteral("leader")};
    for (int i = 0; i < followers; ++i)
        names.append(QStringLiteral("f%1").arg(i));
    const auto peers = group.session(names);
    if (peers.size() != std::size_t(followers + 1)) return 1;
    peers[0]->send({{"cmd", "baton_request"}});
    for (PeerProcess* p : peers)
        if (!p->waitEvent("baton", 10000)) return 1;

    QList<double> navigateMs, loadMs;
    for (int n = 0; n < navigations; ++n) {
        // Distinct addresses (a query string) so every navigation is a new page.
        const QString url = server.url(n % 3 + 1) + QStringLiteral("?n=%1").arg(n);
        const qint64 sent = testClockMs();
        peers[0]->send({{"cmd", "browse"}, {"url", url}});
        for (std::size_t i = 1; i < peers.size(); ++i) {
            auto e = peers[i]->waitEvent(
                [&](const QJsonObject& e) {
                    return e.value("event") == "navigate" && e.value("url") == url;
                },
                10000);
            if (!e) return 1;
            navigateMs.append(double(e->value("_ms").toInteger() - sent));
            QElapsedTimer load;
            load.start();
            if (PageServer::fetch(url).isEmpty()) return 1;
            loadMs.append(double(load.nsecsElapsed()) / 1e6);
        }
    }
    QJsonObject out{
        {"benchmark", "cobrowse_navigate"},
        {"navigations", navigations},
        {"followers", followers},
        {"navigate_to_follower_event_ms_median", percentile(navigateMs, 0.5)},
        {"navigate_to_follower_event_ms_p90", percentile(navigateMs, 0.9)},
        {"navigate_to_follower_event_ms_max", percentile(navigateMs, 1.0)},
        {"page_load_ms_median", percentile(loadMs, 0.5)},
        {"goal", "<= 50 ms plus page load (issue 16)"},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

// Connect time through the TURN relay between two NATed namespaces (UDP between the hosts
// blocked), JSON on stdout (median of n runs). Root only; prints {"skipped": reason} else.
// "connect_ms" is measured by the initiating peer: connect() until its link is up,
// including TURN allocation (gathering).
#include "eventloop.h"
#include "linktestprocess.h"
#include "netnstopology.h"
#include "stats.h"

#include <cstdio>

using namespace plenum::net::test;
using plenum::net::bench::median;
using plenum::net::bench::percentile;

int main(int argc, char** argv)
{
    plenum::net::test::ensureApp();
    const int runs = argc > 1 ? std::atoi(argv[1]) : 20;
    NetnsTopology topo;
    if (!topo.skipReason().isEmpty() || !topo.error().isEmpty()) {
        std::printf("{\"skipped\": \"%s\"}\n", qPrintable(topo.skipReason() + topo.error()));
        return 0;
    }
    if (!topo.startTurn(QStringLiteral("u"), QStringLiteral("p")) || !topo.blockUdpBetweenHosts()) {
        std::printf("{\"skipped\": \"coturn did not start\"}\n");
        return 1;
    }
    std::vector<double> ms;
    QString pair;
    for (int i = 0; i < runs; ++i) {
        const QString turn = QStringLiteral("100.64.0.1:3478:u:p");
        LinkTestProcess a({QStringLiteral("--local-ip"), QLatin1String(NetnsTopology::kHostA),
                           QStringLiteral("--turn"), turn},
                          topo.ns(QStringLiteral("hostA")));
        LinkTestProcess b({QStringLiteral("--local-ip"), QLatin1String(NetnsTopology::kHostB),
                           QStringLiteral("--turn"), turn},
                          topo.ns(QStringLiteral("hostB")));
        a.relaySignalsTo(&b);
        b.relaySignalsTo(&a);
        a.command("peer " + b.device().toLatin1());
        b.command("peer " + a.device().toLatin1());
        a.command("connect");
        const QJsonObject up = a.waitEvent(QStringLiteral("up"), 10000);
        if (!up.isEmpty()) {
            ms.push_back(up.value("ms").toDouble());
            pair = up.value("pair").toString();
        }
    }
    std::printf("{\"turn_connect_ms\": {\"median\": %.1f, \"p90\": %.1f, \"n\": %zu}, "
                "\"pair\": \"%s\"}\n",
                median(ms), percentile(ms, 0.9), ms.size(), qPrintable(pair));
    return 0;
}

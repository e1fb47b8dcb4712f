// Failover after kill -9 of the SM during a 4-way call (issue 14: media as a liveness signal),
// at 0 % and 5 % received media loss. Prints one JSON object: medians and every run.
// Usage: call_failover_bench [runs]

#include "benchstats.h"
#include "callfailover.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

using namespace plenum::testsupport;

namespace {

QJsonArray array(const QList<double>& v)
{
    QJsonArray a;
    for (double x : v)
        a.append(x);
    return a;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 5;
    QJsonObject out{{"runs", runs}, {"peers", 4}};
    for (double loss : {0.0, 5.0}) {
        QList<double> detect, elected, failover;
        int falseLinkDowns = 0, silentTicks = 0, failed = 0;
        QJsonArray reasons;
        for (int i = 0; i < runs; ++i) {
            const auto run = runCallFailover(loss, 3000);
            if (!run.error.isEmpty()) {
                ++failed;
                std::fprintf(stderr, "run %d failed: %s\n", i, qPrintable(run.error));
                continue;
            }
            detect.append(double(run.detectMs));
            elected.append(double(run.electedMs));
            failover.append(double(run.failoverMs));
            falseLinkDowns += int(run.falseLinkDowns.size());
            for (const QString& f : run.falseLinkDowns)
                std::fprintf(stderr, "loss %.0f %%, run %d: %s\n", loss, i, qPrintable(f));
            silentTicks += run.silentTicks;
            if (i == 0)
                for (const QString& r : run.smLinkDownReasons)
                    reasons.append(r);
        }
        out.insert(QStringLiteral("loss_%1_percent").arg(loss),
                   QJsonObject{{"detect_ms_median", median(detect)},
                               {"elected_ms_median", median(elected)},
                               {"failover_ms_median", median(failover)},
                               {"detect_ms_all", array(detect)},
                               {"elected_ms_all", array(elected)},
                               {"failover_ms_all", array(failover)},
                               {"false_link_downs", falseLinkDowns},
                               {"silent_stats_ticks_between_survivors", silentTicks},
                               {"failed_runs", failed},
                               {"link_down_reasons_first_run", reasons}});
    }
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

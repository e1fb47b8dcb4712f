// Join time by group size (issue 11): plenum-peer processes on loopback (a private DHT); one
// member (the SM) invites the next device until the group has maxPeers members. For the N-th
// member: the time from the invite command until every member's committed roster lists it,
// and its split, from the test clock and the joiner's own "stats":
//   first_contact  invite command -> the invitee's "invited" event (INVITE over the DHT)
//   ice            slowest of the joiner's links: link made (at the auto-accept) -> ICE connected
//   tls            then -> TLS established on that slowest link
//   ticket         the slowest link up -> JOINED sent (JOIN with the ticket -> 200 from everyone)
//   commit         JOINED -> every member's roster event (ROSTER, acks, COMMIT, stdout pipes)
// Medians and p95 over the runs, as JSON. The split needs this build's plenum-peer; with
// PLENUM_PEER_BIN naming an older one (the "before" figures) only total and first_contact show.
// Usage: join_bench [runs] [maxPeers]

#include "benchstats.h"
#include "peergroup.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>

using namespace plenum::testsupport;

namespace {

QJsonObject summary(const QList<double>& v)
{
    return {{"p50", percentile(v, 0.5)}, {"p95", percentile(v, 0.95)}, {"n", v.size()}};
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 5;
    const int maxPeers = argc > 2 ? std::clamp(atoi(argv[2]), 2, 16) : 16;
    const QStringList parts{"total", "first_contact", "ice", "tls", "ticket", "commit"};
    QMap<int, QMap<QString, QList<double>>> byN; // N -> part -> samples
    QMap<int, QList<double>> relayedShare;       // N -> share of the joiner's links relayed
    int failures = 0;

    for (int run = 0; run < runs; ++run) {
        PeerGroup group;
        std::vector<PeerProcess*> peers{group.add(QStringLiteral("p0"))};
        auto session = peers[0]->ask({{"cmd", "create"}, {"capacity", 16}}, "session");
        if (!session) return 1;
        for (int k = 1; k < maxPeers; ++k) {
            PeerProcess* joiner = group.add(QStringLiteral("p%1").arg(k));
            if (!joiner) return 1;
            peers.push_back(joiner);
            const double t0 = double(testClockMs());
            peers[0]->send(
                {{"cmd", "invite"}, {"account", joiner->account}, {"device", joiner->device}});
            auto invited = joiner->waitEvent("invited", 15000);
            auto result = peers[0]->waitEvent("invite_result", 15000);
            const bool equal = invited && result && result->value("code").toInt() == 200 &&
                               group.rostersEqual(peers, k + 1, 15000);
            if (!equal) {
                std::fprintf(
                    stderr, "run %d, member %d: %s\n", run, k + 1,
                    !invited  ? "no invited event"
                    : !result ? "no invite_result"
                    : result->value("code").toInt() != 200
                        ? qPrintable(
                              QStringLiteral("invite_result %1").arg(result->value("code").toInt()))
                        : "the rosters did not agree within 15 s");
                ++failures;
                break; // this run's group is broken: start the next run
            }
            double last = 0;
            for (PeerProcess* p : peers)
                last = std::max(last, p->lastRoster().value("_ms").toDouble());
            const int n = k + 1;
            const double total = last - t0;
            const double first = invited->value("_ms").toDouble() - t0;
            byN[n]["total"].append(total);
            byN[n]["first_contact"].append(first);

            auto stats = joiner->ask({{"cmd", "stats"}}, "stats");
            if (!stats || !stats->contains("links")) continue; // an older plenum-peer
            double ice = 0, tlsUp = 0, tlsOfSlowest = 0;
            const QJsonObject links = stats->value("links").toObject();
            for (int i = 0; i < k; ++i) {
                const QJsonObject l = links.value(peers[i]->device).toObject();
                ice = std::max(ice, l.value("ice_ms").toDouble());
                if (l.value("tls_ms").toDouble() > tlsUp) {
                    tlsUp = l.value("tls_ms").toDouble();
                    tlsOfSlowest = tlsUp - l.value("ice_ms").toDouble();
                }
            }
            const double joined = stats->value("join").toObject().value("joined_ms").toDouble();
            byN[n]["ice"].append(ice);
            byN[n]["tls"].append(tlsOfSlowest);
            byN[n]["ticket"].append(joined - tlsUp);
            byN[n]["commit"].append(total - first - joined);
            const QJsonObject relayed =
                stats->value("signaling").toObject().value("relay_sent_to").toObject();
            int viaRelay = 0;
            for (int i = 0; i < k; ++i)
                viaRelay += relayed.contains(peers[i]->device) ? 1 : 0;
            relayedShare[n].append(double(viaRelay) / k);
        }
    }

    QJsonObject out{{"runs", runs}, {"failed_runs", failures}};
    QJsonObject join;
    for (auto it = byN.begin(); it != byN.end(); ++it) {
        QJsonObject n;
        for (const QString& part : parts)
            if (!it.value().value(part).isEmpty())
                n.insert(part + "_ms", summary(it.value()[part]));
        if (relayedShare.contains(it.key()))
            n.insert("links_relayed_share_p50", percentile(relayedShare[it.key()], 0.5));
        join.insert(QString::number(it.key()), n);
    }
    out.insert("join_of_nth_member", join);
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return failures == 0 ? 0 : 2;
}

// Loopback link benchmarks, JSON on stdout (medians):
//   connect_ms: connect() until both ends are up (ICE + TLS 1.3, Ed25519 chains), n >= 20
//   control_mib_s: control-message throughput on one link (64 KiB messages, back-pressure)
//   media_rtt_ms: media datagram round trip (echoed by the peer)
//   seven_links_all_up_ms: one device links to 7 others at once, until all 7 are up
//   seven_links_rsa_chain_ms: the same with the product's RSA device/account certificates
#include "linkpair.h"
#include "stats.h"

#include "net/linkmanager.h"
#include "net/loopsignaling.h"

#include <QtEndian>

#include <cstdio>

using namespace plenum;
using namespace plenum::net;
using namespace plenum::net::test;
using plenum::net::bench::median;
using plenum::net::bench::percentile;

namespace {

std::vector<double> connectTimes(int runs)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        LinkPair pair;
        pair.start();
        if (pair.waitUp()) ms.push_back(double(pair.connectUs) / 1000.0);
    }
    return ms;
}

double throughputMiBs(qsizetype total)
{
    LinkPair pair;
    pair.start();
    if (!pair.waitUp()) return -1;
    const QByteArray chunk(64 * 1024, 'x');
    qsizetype received = 0;
    QObject::connect(pair.b.get(), &ControlLink::message,
                     [&](const QByteArray& m) { received += m.size(); });
    qsizetype queued = 0;
    auto fill = [&] {
        while (queued < total && pair.a->send(chunk).ok())
            queued += chunk.size();
    };
    QObject::connect(pair.a.get(), &ControlLink::writable, fill);
    QElapsedTimer clock;
    clock.start();
    fill();
    if (!waitFor([&] { return received >= total; }, 60000)) return -1;
    return double(total) / (1024.0 * 1024.0) / (double(clock.nsecsElapsed()) / 1e9);
}

std::vector<double> mediaRtts(int count)
{
    std::vector<double> rtts;
    // The transport's round trip: read as each datagram arrives, not on a call's beat.
    ControlLinkConfig config = loopbackConfig();
    config.pacedMediaReceive = false;
    LinkPair pair(config);
    pair.start();
    if (!pair.waitUp() || !pair.a->startMedia().ok()) return rtts;
    if (!waitFor([&] { return pair.ea.mediaUp && pair.eb.mediaUp; }, 5000)) return rtts;
    QObject::connect(pair.b.get(), &ControlLink::mediaDatagram,
                     [&](const QByteArray& d) { pair.b->sendMedia(d); }); // echo
    QElapsedTimer clock;
    clock.start();
    std::vector<qint64> sentAt(std::size_t(count), -1);
    QObject::connect(pair.a.get(), &ControlLink::mediaDatagram, [&](const QByteArray& d) {
        const quint32 seq = qFromBigEndian<quint32>(d.constData());
        if (seq < quint32(count) && sentAt[seq] >= 0)
            rtts.push_back(double(clock.nsecsElapsed() - sentAt[seq]) / 1e6);
    });
    for (int i = 0; i < count; ++i) {
        QByteArray d(172, '\0'); // an Opus 20 ms frame in SRTP, roughly
        qToBigEndian<quint32>(quint32(i), d.data());
        sentAt[std::size_t(i)] = clock.nsecsElapsed();
        pair.a->sendMedia(d);
        const std::size_t before = rtts.size();
        waitFor([&] { return rtts.size() > before; }, 200);
    }
    return rtts;
}

std::vector<double> sevenLinks(int runs, bool productKeys)
{
    // productKeys: device RSA-2048 and account RSA-4096 certify the Ed25519 link key (DESIGN
    // §2), so each handshake also verifies two RSA signatures per side.
    QList<TestIdentity> ids;
    for (int i = 0; i < 8; ++i)
        ids.append(productKeys
                       ? makeTestIdentity(QStringLiteral("D%1").arg(i), crypto::KeyKind::Rsa2048,
                                          crypto::KeyKind::Rsa4096)
                       : makeTestIdentity(QStringLiteral("D%1").arg(i)));
    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
        std::vector<std::unique_ptr<LoopSignaling>> sig;
        std::vector<std::unique_ptr<LinkManager>> mgr;
        for (const auto& id : ids) {
            sig.push_back(std::make_unique<LoopSignaling>(id.device));
            mgr.push_back(std::make_unique<LinkManager>(id.credentials, chainVerifier(),
                                                        sig.back().get(), loopbackConfig()));
        }
        for (std::size_t i = 1; i < sig.size(); ++i)
            LoopSignaling::connectPair(sig[0].get(), sig[i].get());
        int up = 0;
        QObject::connect(mgr[0].get(), &LinkManager::linkUp, [&] { ++up; });
        QElapsedTimer clock;
        clock.start();
        for (int i = 1; i < 8; ++i)
            mgr[0]->connectTo(ids[i].device);
        if (waitFor([&] { return up == 7; }, 10000))
            ms.push_back(double(clock.nsecsElapsed()) / 1e6);
        mgr.clear();
        waitFor([] { return false; }, 50); // let closed agents go before the next run
    }
    return ms;
}

} // namespace

int main()
{
    ensureApp();
    const auto connect = connectTimes(25);
    std::vector<double> mibs;
    for (int i = 0; i < 5; ++i)
        mibs.push_back(throughputMiBs(16 * 1024 * 1024));
    const auto rtts = mediaRtts(500);
    const auto seven = sevenLinks(11, false);
    const auto sevenRsa = sevenLinks(11, true);
    std::printf("{\"connect_ms\": {\"median\": %.2f, \"p90\": %.2f, \"n\": %zu},\n"
                " \"control_mib_s\": {\"median\": %.1f, \"n\": %zu},\n"
                " \"media_rtt_ms\": {\"median\": %.3f, \"p90\": %.3f, \"n\": %zu},\n"
                " \"seven_links_all_up_ms\": {\"median\": %.2f, \"p90\": %.2f, \"n\": %zu},\n"
                " \"seven_links_rsa_chain_ms\": {\"median\": %.2f, \"p90\": %.2f, \"n\": %zu},\n"
                " \"stun_pacing_ms\": %d, \"link_key\": \"Ed25519\"}\n",
                median(connect), percentile(connect, 0.9), connect.size(), median(mibs),
                mibs.size(), median(rtts), percentile(rtts, 0.9), rtts.size(), median(seven),
                percentile(seven, 0.9), seven.size(), median(sevenRsa), percentile(sevenRsa, 0.9),
                sevenRsa.size(), loopbackConfig().ice.stunPacingMs);
    return 0;
}

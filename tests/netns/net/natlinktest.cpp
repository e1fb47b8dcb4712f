// Links between two hosts behind separate NATs, each peer a plenum-linktest process under
// `ip netns exec` (FACTS.md: sockets bind in the namespace of the gathering thread).
// Signaling goes over the processes' stdin/stdout, relayed by this runner.
#include "linktestprocess.h"
#include "netnstopology.h"

#include <gtest/gtest.h>

using namespace plenum::net::test;

namespace {

struct Peers {
    std::unique_ptr<LinkTestProcess> a;
    std::unique_ptr<LinkTestProcess> b;
};

Peers startPeers(const NetnsTopology& topo, const QStringList& extra, int timeoutMs)
{
    auto args = [&](const char* ip, const char* name) {
        return QStringList{QStringLiteral("--local-ip"),   QLatin1String(ip),
                           QStringLiteral("--name"),       QLatin1String(name),
                           QStringLiteral("--timeout-ms"), QString::number(timeoutMs)} +
               extra;
    };
    Peers p;
    p.a = std::make_unique<LinkTestProcess>(args(NetnsTopology::kHostA, "A"),
                                            topo.ns(QStringLiteral("hostA")));
    p.b = std::make_unique<LinkTestProcess>(args(NetnsTopology::kHostB, "B"),
                                            topo.ns(QStringLiteral("hostB")));
    p.a->relaySignalsTo(p.b.get());
    p.b->relaySignalsTo(p.a.get());
    p.a->command("peer " + p.b->device().toLatin1());
    p.b->command("peer " + p.a->device().toLatin1());
    p.a->command("connect");
    return p;
}

QString turnArg(const char* password)
{
    return QStringLiteral("%1:3478:u:%2")
        .arg(QLatin1String(NetnsTopology::kTurnIp), QLatin1String(password));
}

} // namespace

TEST(NatLink, ConeNatsLinkThroughServerReflexiveCandidates)
{
    NetnsTopology topo;
    if (!topo.skipReason().isEmpty()) GTEST_SKIP() << topo.skipReason().toStdString();
    ASSERT_TRUE(topo.error().isEmpty()) << topo.error().toStdString();
    ASSERT_TRUE(topo.startTurn(QStringLiteral("u"), QStringLiteral("p"))); // also the STUN server
    Peers p = startPeers(topo,
                         {QStringLiteral("--stun"),
                          QStringLiteral("%1:3478").arg(QLatin1String(NetnsTopology::kTurnIp))},
                         8000);
    const QJsonObject up = p.a->waitEvent(QStringLiteral("up"), 10000);
    ASSERT_FALSE(up.isEmpty()) << p.a->stderrText().toStdString();
    const QString pair = up.value("pair").toString();
    std::printf("{\"case\": \"stun\", \"pair\": \"%s\", \"connect_ms\": %d}\n", qPrintable(pair),
                up.value("ms").toInt());
    // Hosts cannot reach each other's private address: a reflexive candidate must carry it.
    EXPECT_TRUE(pair.contains(QStringLiteral("srflx")) || pair.contains(QStringLiteral("prflx")))
        << pair.toStdString();
    EXPECT_FALSE(pair.contains(QStringLiteral("relay"))) << pair.toStdString();
    ASSERT_FALSE(p.b->waitEvent(QStringLiteral("up"), 5000).isEmpty());
    p.a->command("send 5000");
    const QJsonObject got = p.b->waitEvent(QStringLiteral("message"), 5000);
    EXPECT_EQ(got.value("size").toInt(), 5000);
}

TEST(NatLink, BlockedUdpLinksThroughTheTurnRelay)
{
    NetnsTopology topo;
    if (!topo.skipReason().isEmpty()) GTEST_SKIP() << topo.skipReason().toStdString();
    ASSERT_TRUE(topo.error().isEmpty()) << topo.error().toStdString();
    ASSERT_TRUE(topo.startTurn(QStringLiteral("u"), QStringLiteral("p")));
    ASSERT_TRUE(topo.blockUdpBetweenHosts());
    Peers p = startPeers(topo, {QStringLiteral("--turn"), turnArg("p")}, 15000);
    const QJsonObject up = p.a->waitEvent(QStringLiteral("up"), 17000);
    ASSERT_FALSE(up.isEmpty())
        << "A: "
        << p.a->waitEvent(QStringLiteral("down"), 1).value("reason").toString().toStdString();
    const QString pair = up.value("pair").toString();
    std::printf("{\"case\": \"turn\", \"pair\": \"%s\", \"connect_ms\": %d}\n", qPrintable(pair),
                up.value("ms").toInt());
    EXPECT_TRUE(pair.contains(QStringLiteral("relay"))) << pair.toStdString();
    ASSERT_FALSE(p.b->waitEvent(QStringLiteral("up"), 5000).isEmpty());
    p.b->command("send 3000");
    EXPECT_EQ(p.a->waitEvent(QStringLiteral("message"), 5000).value("size").toInt(), 3000);
}

TEST(NatLink, WrongTurnCredentialsFailWithAReasonForTheUser)
{
    NetnsTopology topo;
    if (!topo.skipReason().isEmpty()) GTEST_SKIP() << topo.skipReason().toStdString();
    ASSERT_TRUE(topo.error().isEmpty()) << topo.error().toStdString();
    ASSERT_TRUE(topo.startTurn(QStringLiteral("u"), QStringLiteral("p")));
    ASSERT_TRUE(topo.blockUdpBetweenHosts());
    Peers p = startPeers(topo, {QStringLiteral("--turn"), turnArg("wrong")}, 4000);
    const QJsonObject down = p.a->waitEvent(QStringLiteral("down"), 8000);
    ASSERT_FALSE(down.isEmpty());
    const QString reason = down.value("reason").toString();
    std::printf("{\"case\": \"turn-wrong-credentials\", \"reason\": \"%s\"}\n", qPrintable(reason));
    EXPECT_TRUE(reason.contains(QStringLiteral("TURN server 100.64.0.1:3478")))
        << reason.toStdString();
    EXPECT_TRUE(reason.contains(QStringLiteral("credentials"))) << reason.toStdString();
}

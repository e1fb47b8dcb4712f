// OpenDHT LAN discovery, tested only between two network namespaces this test creates
// (10.77.0.0/24 on a veth pair), never on the machine's own interfaces. Root only.
#include "dhttestnet.h"

#include <QProcess>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;
using namespace plenum::testsupport;

namespace {

bool run(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("ip"), args);
    return p.waitForFinished(5000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// Two namespaces joined by a veth pair; removed again in the destructor.
class NamespacePair {
public:
    NamespacePair()
    {
        const QString tag = QString::number(getpid() % 100000);
        a = QStringLiteral("plid-a-") + tag;
        b = QStringLiteral("plid-b-") + tag;
        const QString va = QStringLiteral("plva") + tag, vb = QStringLiteral("plvb") + tag;
        ok = run({"netns", "add", a}) && run({"netns", "add", b}) &&
             run({"link", "add", va, "type", "veth", "peer", "name", vb}) &&
             run({"link", "set", va, "netns", a}) && run({"link", "set", vb, "netns", b});
        for (const auto& [ns, dev, addr] : {std::tuple{a, va, QStringLiteral("10.77.0.1/24")},
                                            std::tuple{b, vb, QStringLiteral("10.77.0.2/24")}}) {
            ok = ok && run({"-n", ns, "addr", "add", addr, "dev", dev}) &&
                 run({"-n", ns, "link", "set", dev, "up"}) &&
                 run({"-n", ns, "link", "set", "lo", "up"}) &&
                 run({"-n", ns, "route", "add", "224.0.0.0/4", "dev", dev});
        }
    }
    ~NamespacePair()
    {
        run({"netns", "del", a});
        run({"netns", "del", b});
    }
    QString a, b;
    bool ok = false;
};

// Unsets DhtConfig::kPrivateOnlyVariable while it lives (however the test ends).
struct LiftPrivateOnly {
    LiftPrivateOnly() : saved(qgetenv(DhtConfig::kPrivateOnlyVariable))
    {
        qunsetenv(DhtConfig::kPrivateOnlyVariable);
    }
    ~LiftPrivateOnly()
    {
        if (!saved.isEmpty()) qputenv(DhtConfig::kPrivateOnlyVariable, saved);
    }
    QByteArray saved;
};

// Runs `f` with this thread in namespace `ns` (sockets and threads made there stay there).
template <typename F> bool inNamespace(const QString& ns, F f)
{
    const int self = open("/proc/self/ns/net", O_RDONLY);
    const int target = open(("/run/netns/" + ns).toLocal8Bit().constData(), O_RDONLY);
    bool ok = self >= 0 && target >= 0 && setns(target, CLONE_NEWNET) == 0;
    if (ok) f();
    if (self >= 0) ok = setns(self, CLONE_NEWNET) == 0 && ok;
    if (self >= 0) close(self);
    if (target >= 0) close(target);
    return ok;
}

} // namespace

TEST(LanDiscovery, TwoDevicesOnOneLanFindEachOtherWithoutBootstrap)
{
    if (geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
    NamespacePair nets;
    ASSERT_TRUE(nets.ok) << "could not set up the namespaces";
    const Profile alice = testProfile(0, QStringLiteral("Alice"), QStringLiteral("laptop"));
    const Profile bob = testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc"));
    const quint32 network = 0x504c4e00u + static_cast<quint32>(getpid() & 0xff);

    // Like DhtConfig::forUser() (LAN discovery on, no bootstrap reachable) but confined to
    // the namespace's address and a private network id.
    auto lan = [&](const QString& bind) {
        DhtConfig c = DhtConfig::isolated({}, network, bind);
        c.lanDiscovery = true;
        return c;
    };
    DhtNode a, b;
    Status sa = fail("not started"), sb = fail("not started");
    // The test command forbids LAN discovery (DhtConfig::kPrivateOnlyVariable); here the
    // multicast cannot leave the two namespaces above, so the switch is lifted for the starts.
    {
        const LiftPrivateOnly lifted;
        ASSERT_TRUE(inNamespace(nets.a, [&] {
            sa = a.start(lan(QStringLiteral("10.77.0.1")), alice.device.deviceKey(),
                         alice.device.deviceCertificate());
        }));
        ASSERT_TRUE(inNamespace(nets.b, [&] {
            sb = b.start(lan(QStringLiteral("10.77.0.2")), bob.device.deviceKey(),
                         bob.device.deviceCertificate());
        }));
    }
    ASSERT_TRUE(sa.ok()) << sa.error().toStdString();
    ASSERT_TRUE(sb.ok()) << sb.error().toStdString();
    ASSERT_TRUE(waitFor([&] { return a.isConnected() && b.isConnected(); }, 20000))
        << "the nodes did not discover each other on the LAN";

    QList<DhtValue> got;
    b.listen("plenum:lan-test", [&](const QList<DhtValue>& v) { got += v; });
    a.put("plenum:lan-test", "found you", 0, true, false);
    ASSERT_TRUE(waitFor([&] { return !got.isEmpty(); }, 10000));
    EXPECT_EQ(got.first().data, QByteArray("found you"));
    EXPECT_EQ(got.first().ownerKeyDer, alice.device.deviceCertificate().publicKeyDer());
    a.stop();
    b.stop();
}

#include "lossylan.h"

#include "dhttestnet.h"

#include <QStandardPaths>

#include <unistd.h>

namespace plenum::testsupport {

bool LossyLan::run(const QString& command)
{
    const int rc = QProcess::execute(QStringLiteral("/bin/sh"),
                                     {QStringLiteral("-c"), command + QStringLiteral(" 2>&1")});
    if (rc != 0) qWarning("netns setup failed (%d): %s", rc, qPrintable(command));
    return rc == 0;
}

QStringList LossyLan::launcher(char host) const
{
    return {QStringLiteral("ip"), QStringLiteral("netns"), QStringLiteral("exec"), ns(host)};
}

LossyLan::LossyLan(quint32 dhtNetworkId)
{
    if (geteuid() != 0) {
        skip_ = QStringLiteral("network namespaces need root");
        return;
    }
    for (const char* tool : {"ip", "nft", "dhtnode"}) {
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty()) {
            skip_ = QStringLiteral("%1 is not installed").arg(QLatin1String(tool));
            return;
        }
    }
    prefix_ = QStringLiteral("plL%1").arg(getpid());
    for (char host : {'a', 'b'}) {
        if (!run(QStringLiteral("ip netns add %1").arg(ns(host)))) {
            skip_ = QStringLiteral("`ip netns add` failed");
            return;
        }
        created_.append(ns(host));
    }
    const QString a = QStringLiteral("ip netns exec %1 ").arg(ns('a'));
    const QString b = QStringLiteral("ip netns exec %1 ").arg(ns('b'));
    const QStringList script = {
        a + QStringLiteral("ip link set lo up"),
        b + QStringLiteral("ip link set lo up"),
        a + QStringLiteral("ip link add lan0 type veth peer name lan1"),
        a + QStringLiteral("ip link set lan1 netns %1").arg(ns('b')),
        a + QStringLiteral("ip addr add %1/24 dev lan0").arg(QLatin1String(kHostA)),
        b + QStringLiteral("ip addr add %1/24 dev lan1").arg(QLatin1String(kHostB)),
        a + QStringLiteral("ip link set lan0 up"),
        b + QStringLiteral("ip link set lan1 up"),
    };
    for (const QString& step : script)
        if (!run(step)) {
            error_ = QStringLiteral("could not build the LAN: %1").arg(step);
            return;
        }
    // The private DHT's bootstrap node, inside host a (its port is free: the namespace is new).
    dht_ = std::make_unique<QProcess>();
    dht_->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    dht_->setStandardOutputFile(QProcess::nullDevice());
    dht_->start(QStringLiteral("ip"),
                launcher('a').mid(1) + QStringList{QStringLiteral("dhtnode"), QStringLiteral("-s"),
                                                   QStringLiteral("-p"), QStringLiteral("4222"),
                                                   QStringLiteral("-n"),
                                                   QString::number(dhtNetworkId)});
    if (!dht_->waitForStarted(5000)) {
        error_ = QStringLiteral("dhtnode did not start in the namespace");
        return;
    }
    // Listening once `ss` shows the port (it binds within milliseconds; bounded wait).
    const bool up = waitFor(
        [&] {
            return QProcess::execute(
                       QStringLiteral("/bin/sh"),
                       {QStringLiteral("-c"),
                        QStringLiteral("ip netns exec %1 ss -uln | grep -q :4222").arg(ns('a'))}) ==
                   0;
        },
        10000);
    if (!up) error_ = QStringLiteral("dhtnode is not listening on 4222 in the namespace");
}

bool LossyLan::setLoss(int percent)
{
    // Each host drops that share of the UDP it receives from the LAN, on the input hook: the
    // sender never learns of it, as with a lossy radio or a full router queue. Dropping on the
    // output hook instead makes sendmsg() fail with EPERM, which libnice takes as a broken
    // path (pseudo-TCP closes down, the ICE pair fails): no real network loses packets so.
    bool ok = true;
    for (char host : {'a', 'b'}) {
        const QString in = QStringLiteral("ip netns exec %1 nft ").arg(ns(host));
        const QString dev = host == 'a' ? QStringLiteral("lan0") : QStringLiteral("lan1");
        ok = ok && run(in + QStringLiteral("add table inet plloss")) &&
             run(in + QStringLiteral("flush table inet plloss")) &&
             run(in + QStringLiteral("\"add chain inet plloss in { type filter hook input "
                                     "priority 0; policy accept; }\"")) &&
             (percent == 0 ||
              run(in + QStringLiteral("add rule inet plloss in iifname %1 meta l4proto udp "
                                      "numgen random mod 100 \"<\" %2 drop")
                           .arg(dev)
                           .arg(percent)));
    }
    return ok;
}

LossyLan::~LossyLan()
{
    if (dht_) {
        dht_->kill();
        dht_->waitForFinished(3000);
    }
    for (const QString& n : created_)
        run(QStringLiteral("ip netns pids %1 | xargs -r kill -9; ip netns del %1").arg(n));
}

} // namespace plenum::testsupport

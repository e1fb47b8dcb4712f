#include "netnstopology.h"

#include "eventloop.h"

#include <QCoreApplication>
#include <QStandardPaths>

#include <unistd.h>

namespace plenum::net::test {

bool NetnsTopology::run(const QString& command)
{
    const int rc = QProcess::execute(QStringLiteral("/bin/sh"),
                                     {QStringLiteral("-c"), command + QStringLiteral(" 2>&1")});
    if (rc != 0) qWarning("netns setup failed (%d): %s", rc, qPrintable(command));
    return rc == 0;
}

bool NetnsTopology::inNs(const QString& role, const QString& command)
{
    return run(QStringLiteral("ip netns exec %1 %2").arg(ns(role), command));
}

NetnsTopology::NetnsTopology()
{
    ensureApp();
    if (geteuid() != 0) {
        skip_ = QStringLiteral("network namespaces need root");
        return;
    }
    for (const char* tool : {"ip", "iptables", "turnserver"}) {
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty()) {
            skip_ = QStringLiteral("%1 is not installed").arg(QLatin1String(tool));
            return;
        }
    }
    prefix_ = QStringLiteral("pl%1").arg(getpid());
    // Namespaces first, so the destructor can always delete whatever exists.
    for (const char* role : {"pub", "natA", "natB", "hostA", "hostB"}) {
        if (!run(QStringLiteral("ip netns add %1").arg(ns(QLatin1String(role))))) {
            skip_ = QStringLiteral("`ip netns add` failed");
            return;
        }
        created_.append(ns(QLatin1String(role)));
    }
    bool ok = true;
    auto link = [&](const QString& a, const QString& ifA, const QString& b, const QString& ifB) {
        // Interface names are created inside namespace a, then one end moves to b.
        ok = ok && inNs(a, QStringLiteral("ip link add %1 type veth peer name %2").arg(ifA, ifB)) &&
             inNs(a, QStringLiteral("ip link set %1 netns %2").arg(ifB, ns(b)));
    };
    for (const char* role : {"pub", "natA", "natB", "hostA", "hostB"})
        ok = ok && inNs(QLatin1String(role), QStringLiteral("ip link set lo up"));
    link(QStringLiteral("pub"), QStringLiteral("ua"), QStringLiteral("natA"),
         QStringLiteral("up0"));
    link(QStringLiteral("pub"), QStringLiteral("ub"), QStringLiteral("natB"),
         QStringLiteral("up0"));
    link(QStringLiteral("natA"), QStringLiteral("in0"), QStringLiteral("hostA"),
         QStringLiteral("eth0"));
    link(QStringLiteral("natB"), QStringLiteral("in0"), QStringLiteral("hostB"),
         QStringLiteral("eth0"));
    const QStringList script = {
        // pub: routes between the NAT uplinks, hosts coturn on a loopback address.
        QStringLiteral("pub ip addr add 100.64.1.1/24 dev ua"),
        QStringLiteral("pub ip addr add 100.64.2.1/24 dev ub"),
        QStringLiteral("pub ip link set ua up"),
        QStringLiteral("pub ip link set ub up"),
        QStringLiteral("pub ip addr add 100.64.0.1/32 dev lo"), // no dummy module here
        QStringLiteral("pub sysctl -qw net.ipv4.ip_forward=1"),
        // NATs: cone NAT (iptables MASQUERADE, FACTS.md) from in0 to up0.
        QStringLiteral("natA ip addr add 100.64.1.2/24 dev up0"),
        QStringLiteral("natA ip addr add 10.77.1.1/24 dev in0"),
        QStringLiteral("natB ip addr add 100.64.2.2/24 dev up0"),
        QStringLiteral("natB ip addr add 10.77.2.1/24 dev in0"),
        QStringLiteral("natA ip link set up0 up"),
        QStringLiteral("natA ip link set in0 up"),
        QStringLiteral("natB ip link set up0 up"),
        QStringLiteral("natB ip link set in0 up"),
        QStringLiteral("natA ip route add default via 100.64.1.1"),
        QStringLiteral("natB ip route add default via 100.64.2.1"),
        QStringLiteral("natA sysctl -qw net.ipv4.ip_forward=1"),
        QStringLiteral("natB sysctl -qw net.ipv4.ip_forward=1"),
        QStringLiteral("natA iptables -t nat -A POSTROUTING -o up0 -j MASQUERADE"),
        QStringLiteral("natB iptables -t nat -A POSTROUTING -o up0 -j MASQUERADE"),
        // Unsolicited inbound packets are dropped before conntrack confirms them, as a real
        // NAT does. Without this, a peer's early check creates an inbound entry that makes
        // MASQUERADE pick a new port for our own outbound check, and hole punching fails.
        QStringLiteral("natA iptables -A INPUT -i up0 -m conntrack --ctstate NEW -j DROP"),
        QStringLiteral("natB iptables -A INPUT -i up0 -m conntrack --ctstate NEW -j DROP"),
        // Hosts: private address, default route through their NAT.
        QStringLiteral("hostA ip addr add 10.77.1.2/24 dev eth0"),
        QStringLiteral("hostB ip addr add 10.77.2.2/24 dev eth0"),
        QStringLiteral("hostA ip link set eth0 up"),
        QStringLiteral("hostB ip link set eth0 up"),
        QStringLiteral("hostA ip route add default via 10.77.1.1"),
        QStringLiteral("hostB ip route add default via 10.77.2.1"),
    };
    for (const QString& line : script) {
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        ok = ok && inNs(line.left(space), line.mid(space + 1));
    }
    if (!ok) error_ = QStringLiteral("building the namespace topology failed (see warnings)");
}

NetnsTopology::~NetnsTopology()
{
    if (turn_) {
        turn_->kill();
        turn_->waitForFinished(3000);
    }
    // Deleting a namespace removes its veth ends, iptables rules and addresses with it.
    for (const QString& name : std::as_const(created_))
        run(QStringLiteral("ip netns delete %1").arg(name));
}

bool NetnsTopology::startTurn(const QString& user, const QString& password)
{
    turn_ = std::make_unique<QProcess>();
    turn_->setProcessChannelMode(QProcess::MergedChannels);
    turn_->setStandardOutputFile(QProcess::nullDevice());
    const QString pidFile = QStringLiteral("/tmp/%1-turn.pid").arg(prefix_);
    turn_->start(QStringLiteral("ip"),
                 {QStringLiteral("netns"), QStringLiteral("exec"), ns(QStringLiteral("pub")),
                  QStringLiteral("turnserver"), QStringLiteral("-n"),
                  QStringLiteral("--listening-ip=%1").arg(QLatin1String(kTurnIp)),
                  QStringLiteral("--relay-ip=%1").arg(QLatin1String(kTurnIp)),
                  QStringLiteral("--lt-cred-mech"),
                  QStringLiteral("--user=%1:%2").arg(user, password), QStringLiteral("--realm=r"),
                  QStringLiteral("--no-tls"), QStringLiteral("--no-dtls"),
                  QStringLiteral("--no-cli"), QStringLiteral("--min-port=49160"),
                  QStringLiteral("--max-port=49200"),
                  // pub has no route to private ranges; relaying to one fails with
                  // ENETUNREACH and coturn then closes the whole allocation. Real servers
                  // deny private peers too (a 403 for that permission only).
                  QStringLiteral("--denied-peer-ip=10.0.0.0-10.255.255.255"),
                  QStringLiteral("--pidfile=%1").arg(pidFile), QStringLiteral("--log-file=stdout"),
                  QStringLiteral("--no-stdout-log")});
    if (!turn_->waitForStarted(3000)) return false;
    // Ready when its UDP port is bound in the namespace.
    return waitFor(
        [this] {
            QProcess ss;
            ss.start(QStringLiteral("ip"),
                     {QStringLiteral("netns"), QStringLiteral("exec"), ns(QStringLiteral("pub")),
                      QStringLiteral("ss"), QStringLiteral("-lnu")});
            ss.waitForFinished(2000);
            return ss.readAllStandardOutput().contains("100.64.0.1:3478");
        },
        5000);
}

bool NetnsTopology::blockUdpBetweenHosts()
{
    return inNs(QStringLiteral("pub"),
                QStringLiteral(
                    "iptables -A FORWARD -p udp -s 100.64.1.0/24 -d 100.64.2.0/24 -j DROP")) &&
           inNs(QStringLiteral("pub"),
                QStringLiteral(
                    "iptables -A FORWARD -p udp -s 100.64.2.0/24 -d 100.64.1.0/24 -j DROP"));
}

} // namespace plenum::net::test

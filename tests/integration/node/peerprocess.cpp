#include "peerprocess.h"

#include "dhttestnet.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <chrono>

#include <unistd.h>

namespace plenum::testsupport {

PeerProcess::PeerProcess(QString dir, QString peerName, QString bootstrap, quint32 networkId,
                         QStringList extraArgs, Placement placement)
    : name(std::move(peerName)), profileDir(std::move(dir)), bootstrap_(std::move(bootstrap)),
      networkId_(networkId), extra_(std::move(extraArgs)), placement_(std::move(placement))
{
    QObject::connect(&process_, &QProcess::readyReadStandardOutput, [this] { onOutput(); });
    process_.setReadChannel(QProcess::StandardOutput);
    // stderr goes to the test's stderr: a failing run shows the peer's complaints.
    process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
}

PeerProcess::~PeerProcess()
{
    if (running()) kill();
}

bool PeerProcess::start(int timeoutMs)
{
    queue_.clear();
    buffer_.clear();
    QStringList args = placement_.launcher;
    // PLENUM_PEER_BIN: another build of plenum-peer (benchmarks compare before and after).
    args += {qEnvironmentVariable("PLENUM_PEER_BIN", QStringLiteral(PLENUM_PEER_PATH)),
             "--profile",
             profileDir,
             "--name",
             name,
             "--bootstrap",
             bootstrap_,
             "--network-id",
             QString::number(networkId_),
             "--no-lan-discovery",
             "--local-address",
             placement_.address,
             "--dht-bind",
             placement_.address,
             "--auto-accept"};
    if (placement_.address == QLatin1String("127.0.0.1")) args += "--allow-loopback";
    args += extra_;
    const QString program = args.takeFirst();
    process_.start(program, args);
    if (!process_.waitForStarted(5000)) return false;
    auto ready = waitEvent(QStringLiteral("ready"), timeoutMs);
    if (!ready) return false;
    account = ready->value("account").toString();
    device = ready->value("device").toString();
    return true;
}

qint64 PeerProcess::cpuMs() const
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid()));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    const QByteArray stat = f.readAll();
    // Fields after the ")" that ends the command name: state is 3rd, utime 14th, stime 15th.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13) return -1;
    const qint64 ticks = fields[11].toLongLong() + fields[12].toLongLong();
    return ticks * 1000 / sysconf(_SC_CLK_TCK);
}

void PeerProcess::send(const QJsonObject& command)
{
    process_.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

void PeerProcess::onOutput()
{
    buffer_.append(process_.readAllStandardOutput());
    qsizetype nl;
    while ((nl = buffer_.indexOf('\n')) >= 0) {
        const QByteArray line = buffer_.left(nl);
        buffer_.remove(0, nl + 1);
        QJsonObject e = QJsonDocument::fromJson(line).object();
        if (e.isEmpty()) continue;
        const qint64 us = testClockUs();
        e.insert(QStringLiteral("_ms"), us / 1000); // when the test read it
        e.insert(QStringLiteral("_us"), us);
        if (e.value("event").toString() == QLatin1String("roster")) lastRoster_ = e;
        queue_.append(e);
        all_.append(e);
    }
}

std::optional<QJsonObject>
PeerProcess::waitEvent(const std::function<bool(const QJsonObject&)>& match, int timeoutMs)
{
    std::optional<QJsonObject> found;
    waitFor(
        [&] {
            for (qsizetype i = 0; i < queue_.size(); ++i)
                if (match(queue_.at(i))) {
                    found = queue_.takeAt(i);
                    return true;
                }
            return false;
        },
        timeoutMs);
    return found;
}

std::optional<QJsonObject> PeerProcess::waitEvent(const QString& eventName, int timeoutMs)
{
    return waitEvent([&](const QJsonObject& e) { return e.value("event").toString() == eventName; },
                     timeoutMs);
}

std::optional<QJsonObject> PeerProcess::ask(const QJsonObject& command, const QString& eventName,
                                            int timeoutMs)
{
    send(command);
    return waitEvent(eventName, timeoutMs);
}

void PeerProcess::kill()
{
    process_.kill();
    process_.waitForFinished(5000);
}

bool PeerProcess::quit(int timeoutMs)
{
    send({{"cmd", "quit"}});
    const bool ok = process_.waitForFinished(timeoutMs);
    return ok && process_.exitStatus() == QProcess::NormalExit && process_.exitCode() == 0;
}

qint64 testClockUs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.nsecsElapsed() / 1000;
}

qint64 steadyClockNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 testClockMs()
{
    return testClockUs() / 1000;
}

QString rosterKey(const QJsonObject& roster)
{
    QStringList devices;
    for (const auto& m : roster.value("members").toArray())
        devices.append(m.toObject().value("device").toString().left(8));
    std::sort(devices.begin(), devices.end());
    return roster.value("sm").toString().left(8) + "@" +
           QString::number(roster.value("epoch").toInteger()) + "." +
           QString::number(roster.value("version").toInteger()) + ":" + devices.join(',');
}

} // namespace plenum::testsupport

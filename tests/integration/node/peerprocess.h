#pragma once
// One plenum-peer process for integration tests: writes JSON commands to its stdin and waits
// (running the Qt event loop) for JSON events on its stdout. Every peer uses a private DHT on
// loopback (PeerNet) and loopback-only ICE: nothing leaves the machine.

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace plenum::testsupport {

class DhtTestNet;

// Where a peer process runs: loopback by default; a network-namespace test sets a launcher
// (`ip netns exec NS`) and the namespace's address for ICE and the DHT.
struct PeerPlacement {
    QStringList launcher;
    QString address = QStringLiteral("127.0.0.1");
};

class PeerProcess {
public:
    using Placement = PeerPlacement;

    // `profileDir` is kept across restarts; `bootstrap` is "127.0.0.1:port".
    PeerProcess(QString profileDir, QString name, QString bootstrap, quint32 networkId,
                QStringList extraArgs = {}, PeerPlacement placement = PeerPlacement());
    ~PeerProcess();

    // Starts the process and waits for "ready".
    bool start(int timeoutMs = 15000);
    // The extra arguments of the next start (a paired device restarts without --pair).
    void setExtraArgs(const QStringList& args) { extra_ = args; }
    void send(const QJsonObject& command);
    void sendRaw(const QByteArray& line) { process_.write(line + '\n'); }
    // Waits for the first event (not yet taken) matching `match`; takes it.
    std::optional<QJsonObject> waitEvent(const std::function<bool(const QJsonObject&)>& match,
                                         int timeoutMs);
    std::optional<QJsonObject> waitEvent(const QString& name, int timeoutMs);
    // Sends `command` and waits for the answer event `name`.
    std::optional<QJsonObject> ask(const QJsonObject& command, const QString& name,
                                   int timeoutMs = 5000);
    // The newest roster event seen so far (events are kept after being taken).
    QJsonObject lastRoster() const { return lastRoster_; }
    QList<QJsonObject> events() const { return all_; }
    void kill(); // SIGKILL, waits for the process to end
    bool quit(int timeoutMs = 5000);
    qint64 pid() const { return process_.processId(); }
    // CPU time (user + system) the process used so far, in ms (/proc/<pid>/stat); -1 if unknown.
    qint64 cpuMs() const;
    bool running() const { return process_.state() != QProcess::NotRunning; }

    QString account, device, name;
    QString profileDir;

private:
    void onOutput();

    QString bootstrap_;
    quint32 networkId_;
    QStringList extra_;
    Placement placement_;
    QProcess process_;
    QByteArray buffer_;
    QList<QJsonObject> queue_; // not yet taken
    QList<QJsonObject> all_;
    QJsonObject lastRoster_;
};

// A monotonic clock shared by the test process; every event gets "_ms" (this clock) when it is
// read, so tests can measure how long something took from the events.
qint64 testClockMs();
// The same clock in µs (every event also gets "_us"): benchmarks of a few ms.
qint64 testClockUs();
// The machine's monotonic clock (CLOCK_MONOTONIC, one clock for every process on Linux) in ns:
// what plenum-peer stamps a chat event's "shown_us" with, and what lines up this process's
// moments with a peer's recording.
qint64 steadyClockNs();

// Members of a roster event as a sorted list of device ids, with the SM and version.
QString rosterKey(const QJsonObject& roster);

} // namespace plenum::testsupport

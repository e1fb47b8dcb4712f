#pragma once
// Runs tests/netns/net's plenum-linktest as a child process (optionally under
// `ip netns exec NS`) and reads its JSON event lines.

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>

#include <functional>

namespace plenum::net::test {

class LinkTestProcess {
public:
    LinkTestProcess(const QStringList& args, const QString& netns = {});
    ~LinkTestProcess();

    bool started() const { return started_; }
    void command(const QByteArray& line);
    // Waits for the next event called `name` (events before it are kept in events()).
    QJsonObject waitEvent(const QString& name, int timeoutMs);
    QList<QJsonObject> events() const { return events_; }
    QString device() const { return device_; }
    // Forwards this process's "signal" events to `peer` from now on.
    void relaySignalsTo(LinkTestProcess* peer);
    // Hands this process's "signal" events (decoded bytes) to `sink` from now on.
    void onSignal(std::function<void(QByteArray)> sink) { signalSink_ = std::move(sink); }
    void kill(); // SIGKILL
    QByteArray stderrText();

private:
    void readLines();

    QProcess process_;
    bool started_ = false;
    QByteArray buffer_;
    QList<QJsonObject> events_;
    qsizetype consumed_ = 0;
    QString device_;
    std::function<void(QByteArray)> signalSink_;
};

} // namespace plenum::net::test

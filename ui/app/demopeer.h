#pragma once
// One plenum-peer child process of --demo, spoken to through its JSON-lines contract
// (docs/plenum-peer.md). Never blocks: events arrive as signals.

#include <QJsonObject>
#include <QObject>
#include <QProcess>

namespace plenum::ui {

class DemoPeer : public QObject {
    Q_OBJECT
public:
    DemoPeer(QString name, QString program, QObject* parent = nullptr);
    ~DemoPeer() override;

    const QString& name() const { return name_; }
    QString account() const { return account_; }
    QString device() const { return device_; }
    quint16 dhtPort() const { return dhtPort_; }
    bool isReady() const { return !account_.isEmpty(); }
    qint64 pid() const { return process_.processId(); }
    bool running() const { return process_.state() != QProcess::NotRunning; }

    void start(const QStringList& arguments);
    void send(const QJsonObject& command);
    // "quit" (BYE to the group), then SIGKILL if it has not exited within `graceMs`.
    // Waits at most graceMs + 1 s; used only while the app is quitting.
    void stop(int graceMs);

Q_SIGNALS:
    void ready();
    void event(const QJsonObject& event);
    void failed(const QString& reason);

private:
    void onOutput();

    QString name_;
    QString program_;
    QProcess process_;
    QByteArray buffer_;
    QString account_, device_;
    quint16 dhtPort_ = 0;
    bool stopping_ = false;
};

} // namespace plenum::ui

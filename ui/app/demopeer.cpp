#include "app/demopeer.h"

#include <QJsonDocument>

namespace plenum::ui {

namespace {
constexpr qsizetype kMaxLine = 1024 * 1024; // a peer's event line; more is a broken peer
}

DemoPeer::DemoPeer(QString name, QString program, QObject* parent)
    : QObject(parent), name_(std::move(name)), program_(std::move(program))
{
    process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(&process_, &QProcess::readyReadStandardOutput, this, &DemoPeer::onOutput);
    connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            Q_EMIT failed(
                tr("%1 could not start %2: %3").arg(name_, program_, process_.errorString()));
    });
    connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        if (!stopping_)
            Q_EMIT failed(tr("%1 stopped unexpectedly (exit code %2)").arg(name_).arg(code));
    });
}

DemoPeer::~DemoPeer()
{
    stop(0);
}

void DemoPeer::start(const QStringList& arguments)
{
    process_.start(program_, arguments);
}

void DemoPeer::send(const QJsonObject& command)
{
    if (running()) process_.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

void DemoPeer::stop(int graceMs)
{
    stopping_ = true;
    if (!running()) return;
    if (graceMs > 0) {
        send({{"cmd", "quit"}});
        if (process_.waitForFinished(graceMs)) return;
    }
    process_.kill();
    process_.waitForFinished(1000);
}

void DemoPeer::onOutput()
{
    buffer_.append(process_.readAllStandardOutput());
    qsizetype nl;
    while ((nl = buffer_.indexOf('\n')) >= 0) {
        const QJsonObject e = QJsonDocument::fromJson(buffer_.left(nl)).object();
        buffer_.remove(0, nl + 1);
        if (e.isEmpty()) continue;
        if (e.value("event").toString() == QLatin1String("ready")) {
            account_ = e.value("account").toString();
            device_ = e.value("device").toString();
            dhtPort_ = quint16(e.value("dht_port").toInt());
            Q_EMIT ready();
        }
        Q_EMIT event(e);
    }
    if (buffer_.size() > kMaxLine) buffer_.clear();
}

} // namespace plenum::ui

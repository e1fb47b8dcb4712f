#include "linktestprocess.h"

#include "eventloop.h"

#include <QJsonDocument>

namespace plenum::net::test {

LinkTestProcess::LinkTestProcess(const QStringList& args, const QString& netns)
{
    ensureApp();
    QObject::connect(&process_, &QProcess::readyReadStandardOutput, [this] { readLines(); });
    if (netns.isEmpty()) {
        process_.start(QStringLiteral(PLENUM_LINKTEST), args);
    } else {
        process_.start(QStringLiteral("ip"),
                       QStringList{QStringLiteral("netns"), QStringLiteral("exec"), netns,
                                   QStringLiteral(PLENUM_LINKTEST)} +
                           args);
    }
    started_ = process_.waitForStarted(5000);
    if (started_) device_ = waitEvent(QStringLiteral("identity"), 5000).value("device").toString();
}

LinkTestProcess::~LinkTestProcess()
{
    if (process_.state() != QProcess::NotRunning) {
        process_.write("quit\n");
        if (!process_.waitForFinished(2000)) {
            process_.kill();
            process_.waitForFinished(2000);
        }
    }
}

void LinkTestProcess::relaySignalsTo(LinkTestProcess* peer)
{
    onSignal([peer](const QByteArray& bytes) { peer->command("signal " + bytes.toBase64()); });
}

void LinkTestProcess::command(const QByteArray& line)
{
    process_.write(line + '\n');
}

void LinkTestProcess::readLines()
{
    buffer_.append(process_.readAllStandardOutput());
    qsizetype end;
    while ((end = buffer_.indexOf('\n')) >= 0) {
        const QByteArray line = buffer_.left(end);
        buffer_.remove(0, end + 1);
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value("event").toString() == QLatin1String("signal") && signalSink_) {
            signalSink_(QByteArray::fromBase64(event.value("data").toString().toLatin1()));
            continue;
        }
        events_.append(event);
    }
}

QJsonObject LinkTestProcess::waitEvent(const QString& name, int timeoutMs)
{
    QJsonObject found;
    waitFor(
        [&] {
            while (consumed_ < events_.size()) {
                const QJsonObject& e = events_[consumed_++];
                if (e.value("event").toString() == name) {
                    found = e;
                    return true;
                }
            }
            return process_.state() == QProcess::NotRunning && consumed_ >= events_.size();
        },
        timeoutMs);
    return found;
}

void LinkTestProcess::kill()
{
    process_.kill();
    process_.waitForFinished(2000);
}

QByteArray LinkTestProcess::stderrText()
{
    return process_.readAllStandardError();
}

} // namespace plenum::net::test

#pragma once
// Reads stdin line by line on the Qt event loop (QSocketNotifier), so commands and network
// events are handled on one thread.

#include <QByteArray>
#include <QObject>
#include <QSocketNotifier>

namespace plenum::peer {

class StdinReader : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxLine = 1024 * 1024;
    explicit StdinReader(QObject* parent = nullptr);

Q_SIGNALS:
    void line(QByteArray line);
    void tooLong();
    void closed();

private:
    void onReadable();
    QSocketNotifier notifier_;
    QByteArray buffer_;
};

} // namespace plenum::peer

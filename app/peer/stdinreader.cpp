#include "stdinreader.h"

#include <unistd.h>

namespace plenum::peer {

StdinReader::StdinReader(QObject* parent)
    : QObject(parent), notifier_(STDIN_FILENO, QSocketNotifier::Read)
{
    connect(&notifier_, &QSocketNotifier::activated, this, &StdinReader::onReadable);
}

void StdinReader::onReadable()
{
    char chunk[4096];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n <= 0) {
        notifier_.setEnabled(false);
        Q_EMIT closed();
        return;
    }
    buffer_.append(chunk, n);
    qsizetype nl;
    while ((nl = buffer_.indexOf('\n')) >= 0) {
        const QByteArray l = buffer_.left(nl).trimmed();
        buffer_.remove(0, nl + 1);
        if (!l.isEmpty()) Q_EMIT line(l);
    }
    // A line that never ends must not grow without bound.
    if (buffer_.size() > kMaxLine) {
        buffer_.clear();
        Q_EMIT tooLong();
    }
}

} // namespace plenum::peer

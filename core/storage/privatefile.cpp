#include "storage/privatefile.h"

#include <QFile>
#include <QSaveFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace plenum::storage {

namespace {

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

Status savePrivate(const QString& path, const QByteArray& bytes, const QString& what)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("cannot write %1 (%2): %3").arg(what, path, f.errorString()));
    // On the temporary file before anything is written to it; a failure is an error.
    if (!f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        f.cancelWriting();
        return fail(QStringLiteral("cannot make %1 private (0600): %2").arg(what, f.errorString()));
    }
    if (f.write(bytes) != bytes.size() || !f.commit())
        return fail(QStringLiteral("cannot save %1 (%2): %3").arg(what, path, f.errorString()));
    return Ok{};
}

Result<std::optional<QByteArray>> readRegular(const QString& path, qint64 maxBytes,
                                              const QString& what)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::optional<QByteArray>{};
        return fail(QStringLiteral("cannot read %1 (%2): %3").arg(what, path, errnoText()));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return fail(QStringLiteral("cannot read %1 (%2): %3").arg(what, path, errnoText()));
    if (!S_ISREG(st.st_mode))
        return fail(QStringLiteral("%1 (%2) is not a regular file").arg(what, path));
    if (st.st_size > maxBytes) return fail(QStringLiteral("%1 (%2) is too large").arg(what, path));
    QByteArray bytes(static_cast<qsizetype>(st.st_size), Qt::Uninitialized);
    qsizetype got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + got, static_cast<size_t>(bytes.size() - got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return fail(QStringLiteral("cannot read %1 (%2): %3").arg(what, path, errnoText()));
        if (n == 0) break; // shrank while we read: take what is there
        got += n;
    }
    bytes.truncate(got);
    return std::optional<QByteArray>(std::move(bytes));
}

} // namespace plenum::storage

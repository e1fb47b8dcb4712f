#include "identity/replayguard.h"

#include "storage/privatefile.h"

#include <QFile>
#include <QtEndian>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace plenum::identity {

namespace {

// One record: sentMs (8 bytes, big-endian), nonce length (1 byte), nonce. Length 0 records
// the floor (its sentMs is the floor).
QByteArray record(qint64 sentMs, const QByteArray& nonce)
{
    QByteArray out(9, '\0');
    qToBigEndian(sentMs, out.data());
    out[8] = static_cast<char>(nonce.size());
    out += nonce;
    return out;
}

bool writeAll(int fd, const QByteArray& bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += n;
    }
    return ::fdatasync(fd) == 0;
}

} // namespace

ReplayGuard::ReplayGuard(qint64 windowMs, int capacity) : windowMs_(windowMs), capacity_(capacity)
{
}

ReplayGuard::~ReplayGuard()
{
    if (fd_ >= 0) ::close(fd_);
}

Status ReplayGuard::open(const QString& path, qint64 nowMs)
{
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    path_ = path;
    const QByteArray native = QFile::encodeName(path);
    const int fd =
        ::open(native.constData(), O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(QStringLiteral("cannot open the replay record %1: %2")
                        .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st {};
    const qint64 maxBytes = qint64(capacity_) * 2 * (9 + kMaxNonceBytes) + 4096;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > maxBytes) {
        ::close(fd);
        return fail(
            QStringLiteral("the replay record %1 is not a regular file of sane size").arg(path));
    }
    if ((st.st_mode & 0777) != 0600 && ::fchmod(fd, 0600) != 0) {
        ::close(fd);
        return fail(QStringLiteral("cannot make the replay record %1 private (0600)").arg(path));
    }
    QByteArray bytes(qsizetype(st.st_size), Qt::Uninitialized);
    qsizetype got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + got, size_t(bytes.size() - got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += n;
    }
    ::close(fd);
    bytes.truncate(got);
    for (qsizetype at = 0; at + 9 <= bytes.size();) {
        const qint64 sent = qFromBigEndian<qint64>(bytes.constData() + at);
        const int len = static_cast<unsigned char>(bytes[at + 8]);
        if (len > kMaxNonceBytes || at + 9 + len > bytes.size()) break; // damaged tail
        const QByteArray nonce = bytes.mid(at + 9, len);
        at += 9 + len;
        if (len == 0) {
            floor_ = std::max(floor_, sent);
        } else if (!nonces_.contains(nonce)) {
            nonces_.insert(nonce, sent);
            bySentTime_.emplace(sent, nonce);
        }
    }
    while (nonces_.size() > capacity_) {
        auto oldest = bySentTime_.begin();
        floor_ = std::max(floor_, oldest->first);
        nonces_.remove(oldest->second);
        bySentTime_.erase(oldest);
    }
    expire(nowMs);
    return rewrite();
}

Status ReplayGuard::rewrite()
{
    if (path_.isEmpty()) return Ok{};
    QByteArray all = record(floor_, {});
    for (const auto& [sent, nonce] : bySentTime_)
        all += record(sent, nonce);
    if (auto saved = storage::savePrivate(path_, all, QStringLiteral("the replay record")); !saved)
        return saved;
    if (fd_ >= 0) ::close(fd_);
    fd_ =
        ::open(QFile::encodeName(path_).constData(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    if (fd_ < 0) return fail(QStringLiteral("cannot reopen the replay record %1").arg(path_));
    recordsOnFile_ = nonces_.size() + 1;
    return Ok{};
}

void ReplayGuard::expire(qint64 nowMs)
{
    // Anything sent before the window is refused by age anyway: its nonce is no longer needed.
    const qint64 oldest = nowMs - windowMs_;
    while (!bySentTime_.empty() && bySentTime_.begin()->first < oldest) {
        nonces_.remove(bySentTime_.begin()->second);
        bySentTime_.erase(bySentTime_.begin());
    }
}

bool ReplayGuard::append(const QByteArray& nonce, qint64 sentMs)
{
    if (path_.isEmpty()) return true;
    if (fd_ < 0) return false;
    if (!writeAll(fd_, record(sentMs, nonce))) return false;
    // Compact now and then: the file holds at most about twice what is remembered.
    if (++recordsOnFile_ > 2 * (nonces_.size() + 1) + 1024) return rewrite().ok();
    return true;
}

bool ReplayGuard::admit(const QByteArray& nonce, qint64 sentMs, qint64 nowMs)
{
    if (nonce.isEmpty() || nonce.size() > kMaxNonceBytes) return false;
    if (sentMs <= floor_ || nonces_.contains(nonce)) return false;
    expire(nowMs);
    if (nonces_.size() >= capacity_) {
        auto oldest = bySentTime_.begin();
        if (oldest->first >= sentMs) return false; // older than everything kept: the new floor
        floor_ = std::max(floor_, oldest->first);
        nonces_.remove(oldest->second);
        bySentTime_.erase(oldest);
        if (!append({}, floor_)) return false;
    }
    nonces_.insert(nonce, sentMs);
    bySentTime_.emplace(sentMs, nonce);
    // Refused if it cannot be recorded: admitting what a restart would forget reopens replays.
    if (!append(nonce, sentMs)) {
        nonces_.remove(nonce);
        for (auto it = bySentTime_.lower_bound(sentMs); it != bySentTime_.end(); ++it)
            if (it->second == nonce) {
                bySentTime_.erase(it);
                break;
            }
        return false;
    }
    return true;
}

} // namespace plenum::identity

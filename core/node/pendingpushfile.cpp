#include "node/pendingpushfile.h"

#include <QDataStream>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace plenum::node {

namespace {

constexpr quint32 kMagic = 0x504c4850; // "PLHP"
constexpr quint32 kFormat = 1;

template <typename Id> bool getId(QDataStream& in, Id& id)
{
    QByteArray bytes;
    in >> bytes;
    if (in.status() != QDataStream::Ok) return false;
    auto parsed = Id::fromBytes(bytes);
    if (!parsed || parsed->isNull()) return false;
    id = *parsed;
    return true;
}

} // namespace

PendingPushFile::PendingPushFile(QString path) : path_(std::move(path)) {}

QByteArray PendingPushFile::encode(const QList<PendingPush>& pushes)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kMagic << kFormat << quint32(pushes.size());
    for (const PendingPush& p : pushes)
        out << p.sid.toBytes() << p.device.toBytes() << p.keep;
    return bytes;
}

Result<QList<PendingPush>> PendingPushFile::decode(const QByteArray& bytes)
{
    if (bytes.size() > kMaxFileBytes) return fail("the hand-off record is too large");
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, format = 0, count = 0;
    in >> magic >> format >> count;
    if (in.status() != QDataStream::Ok || magic != kMagic)
        return fail("the file is not a Plenum hand-off record");
    if (format != kFormat) return fail("the hand-off record has an unknown format version");
    if (count > quint32(kMaxPushes)) return fail("the hand-off record lists too many hand-offs");
    QList<PendingPush> pushes;
    for (quint32 i = 0; i < count; ++i) {
        PendingPush p;
        if (!getId(in, p.sid) || !getId(in, p.device))
            return fail("the hand-off record is truncated or corrupt");
        in >> p.keep;
        if (in.status() != QDataStream::Ok)
            return fail("the hand-off record is truncated or corrupt");
        pushes.append(p);
    }
    if (!in.atEnd()) return fail("the hand-off record has bytes after its end");
    return pushes;
}

Status PendingPushFile::write(const QList<PendingPush>& pushes) const
{
    if (pushes.size() > kMaxPushes) return fail("too many hand-offs under way to record");
    if (pushes.isEmpty()) {
        QFile f(path_);
        if (f.exists() && !f.remove())
            return fail("cannot remove the hand-off record: " + f.errorString());
        return Ok{};
    }
    QSaveFile file(path_);
    if (!file.open(QIODevice::WriteOnly))
        return fail("cannot write the hand-off record: " + file.errorString());
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        file.cancelWriting();
        return fail("cannot make the hand-off record private (0600): " + file.errorString());
    }
    file.write(encode(pushes));
    // QSaveFile::commit flushes, fsyncs and renames over the old file.
    if (!file.commit()) return fail("cannot save the hand-off record: " + file.errorString());
    return Ok{};
}

Result<QList<PendingPush>> PendingPushFile::read() const
{
    const QFileInfo info(path_);
    if (!info.exists() && !info.isSymLink()) return QList<PendingPush>{};
    // Regular files only, bounded: a FIFO would hang the start, /dev/zero fill the memory.
    if (!info.isFile() || info.isSymLink())
        return fail("the hand-off record is not a regular file");
    if (info.size() > kMaxFileBytes) return fail("the hand-off record is too large");
    QFile f(path_);
    if (!f.open(QIODevice::ReadOnly))
        return fail("cannot read the hand-off record: " + f.errorString());
    return decode(f.read(kMaxFileBytes + 1));
}

} // namespace plenum::node

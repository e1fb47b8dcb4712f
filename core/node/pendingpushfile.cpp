#include "node/pendingpushfile.h"

#include "node/recordids.h"
#include "storage/privatefile.h"

#include <QDataStream>
#include <QFile>

namespace plenum::node {

namespace {

constexpr quint32 kMagic = 0x504c4850; // "PLHP"
constexpr quint32 kFormat = 1;

} // namespace

PendingPushFile::PendingPushFile(QString path) : path_(std::move(path)) {}

QByteArray PendingPushFile::encode(const QList<PendingPush>& pushes)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kMagic << kFormat << quint32(pushes.size());
    for (const PendingPush& p : pushes) {
        putId(out, p.sid);
        putId(out, p.device);
        out << p.keep;
    }
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
        if (!getId(in, p.sid) || !getId(in, p.device) || p.sid.isNull() || p.device.isNull())
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
    return storage::savePrivate(path_, encode(pushes), QStringLiteral("the hand-off record"));
}

Result<QList<PendingPush>> PendingPushFile::read() const
{
    auto bytes = storage::readRegular(path_, kMaxFileBytes, QStringLiteral("the hand-off record"));
    if (!bytes) return Error{bytes.error()};
    if (!bytes->has_value()) return QList<PendingPush>{};
    return decode(bytes.value().value());
}

} // namespace plenum::node

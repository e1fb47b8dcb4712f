#include "node/pendingpushfile.h"

#include "node/listrecord.h"
#include "node/recordids.h"
#include "storage/privatefile.h"

#include <QFile>

namespace plenum::node {

namespace {

const ListRecordFormat kRecord{.magic = 0x504c4850, // "PLHP"
                               .format = 1,
                               .maxBytes = PendingPushFile::kMaxFileBytes,
                               .maxCount = PendingPushFile::kMaxPushes,
                               .what = QStringLiteral("hand-off record"),
                               .items = QStringLiteral("hand-offs")};

bool getPush(QDataStream& in, PendingPush& p)
{
    if (!getId(in, p.sid) || !getId(in, p.device) || p.sid.isNull() || p.device.isNull())
        return false;
    in >> p.keep;
    return true;
}

} // namespace

PendingPushFile::PendingPushFile(QString path) : path_(std::move(path)) {}

QByteArray PendingPushFile::encode(const QList<PendingPush>& pushes)
{
    return encodeListRecord(kRecord, pushes, [](QDataStream& out, const PendingPush& p) {
        putId(out, p.sid);
        putId(out, p.device);
        out << p.keep;
    });
}

Result<QList<PendingPush>> PendingPushFile::decode(const QByteArray& bytes)
{
    return decodeListRecord<PendingPush>(kRecord, bytes, getPush);
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
    return readListRecord<PendingPush>(path_, kRecord, getPush);
}

} // namespace plenum::node

// ShownReferrals on disk (listrecord.h): its own file so that fuzz_shownreferrals builds the
// decoder alone.
#include "node/listrecord.h"
#include "node/recordids.h"
#include "node/shownreferrals.h"
#include "storage/privatefile.h"

namespace plenum::node {

namespace {

const ListRecordFormat kRecord{.magic = 0x504c5246, // "PLRF"
                               .format = 1,
                               .maxBytes = ShownReferrals::kMaxFileBytes,
                               .maxCount = qsizetype(ShownReferrals::kMaxRemembered),
                               .what = QStringLiteral("record of shown referrals"),
                               .items = QStringLiteral("referrals")};

bool getKey(QDataStream& in, ShownReferrals::Key& k)
{
    if (!getId(in, k.sid) || !getId(in, k.referrer) || k.sid.isNull() || k.referrer.isNull())
        return false;
    in >> k.issuedAtMs;
    return true;
}

} // namespace

QByteArray ShownReferrals::encode(const QList<Key>& keys)
{
    return encodeListRecord(kRecord, keys, [](QDataStream& out, const Key& k) {
        putId(out, k.sid);
        putId(out, k.referrer);
        out << k.issuedAtMs;
    });
}

Result<QList<ShownReferrals::Key>> ShownReferrals::decode(const QByteArray& bytes)
{
    return decodeListRecord<Key>(kRecord, bytes, getKey);
}

Result<QList<ShownReferrals::Key>> ShownReferrals::read(const QString& path)
{
    return readListRecord<Key>(path, kRecord, getKey);
}

Status ShownReferrals::write(const QString& path, const QList<Key>& keys)
{
    return storage::savePrivate(path, encode(keys), QStringLiteral("the ") + kRecord.what);
}

} // namespace plenum::node

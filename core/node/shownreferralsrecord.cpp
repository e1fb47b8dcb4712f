// ShownReferrals on disk: its own file so that fuzz_shownreferrals builds the decoder alone.
#include "node/recordids.h"
#include "node/shownreferrals.h"

#include <QDataStream>
#include <QIODevice>

namespace plenum::node {

namespace {

constexpr quint32 kMagic = 0x504c5246; // "PLRF"
constexpr quint32 kFormat = 1;

} // namespace

QByteArray ShownReferrals::encode(const QList<Key>& keys)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kMagic << kFormat << quint32(keys.size());
    for (const Key& key : keys) {
        putId(out, key.sid);
        putId(out, key.referrer);
        out << key.issuedAtMs;
    }
    return bytes;
}

Result<QList<ShownReferrals::Key>> ShownReferrals::decode(const QByteArray& bytes)
{
    if (bytes.size() > kMaxFileBytes) return fail("the record of shown referrals is too large");
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, format = 0, count = 0;
    in >> magic >> format >> count;
    if (in.status() != QDataStream::Ok || magic != kMagic)
        return fail("the file is not a Plenum record of shown referrals");
    if (format != kFormat)
        return fail("the record of shown referrals has an unknown format version");
    if (count > quint32(kMaxRemembered))
        return fail("the record of shown referrals lists too many referrals");
    QList<Key> keys;
    for (quint32 i = 0; i < count; ++i) {
        Key k;
        if (!getId(in, k.sid) || !getId(in, k.referrer) || k.sid.isNull() || k.referrer.isNull())
            return fail("the record of shown referrals is truncated or corrupt");
        in >> k.issuedAtMs;
        if (in.status() != QDataStream::Ok)
            return fail("the record of shown referrals is truncated or corrupt");
        keys.append(k);
    }
    if (!in.atEnd()) return fail("the record of shown referrals has bytes after its end");
    return keys;
}

} // namespace plenum::node

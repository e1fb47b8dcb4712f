#pragma once
// A record file that is a list (the hand-offs under way, the referrals shown): a head of
// magic, format version and count, then the items, read back with size and count bounds and
// refused in words ("the hand-off record is truncated or corrupt"). One reading for each
// such file, so that each bound is checked the same way.

#include "protocol/result.h"
#include "storage/privatefile.h"

#include <QByteArray>
#include <QDataStream>
#include <QIODevice>
#include <QList>
#include <QString>

namespace plenum::node {

struct ListRecordFormat {
    quint32 magic = 0;
    quint32 format = 0;
    qsizetype maxBytes = 0;
    qsizetype maxCount = 0;
    QString what;  // "hand-off record": "the file is not a Plenum hand-off record"
    QString items; // "hand-offs": "the hand-off record lists too many hand-offs"
};

// `put(out, item)` writes one item.
template <typename T, typename Put>
QByteArray encodeListRecord(const ListRecordFormat& f, const QList<T>& items, Put put)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << f.magic << f.format << quint32(items.size());
    for (const T& item : items)
        put(out, item);
    return bytes;
}

// `get(in, item)` reads one item: false if it is corrupt (the stream's status is checked too).
template <typename T, typename Get>
Result<QList<T>> decodeListRecord(const ListRecordFormat& f, const QByteArray& bytes, Get get)
{
    const QString the = QStringLiteral("the ") + f.what;
    if (bytes.size() > f.maxBytes) return fail(the + " is too large");
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, format = 0, count = 0;
    in >> magic >> format >> count;
    if (in.status() != QDataStream::Ok || magic != f.magic)
        return fail("the file is not a Plenum " + f.what);
    if (format != f.format) return fail(the + " has an unknown format version");
    if (count > quint32(f.maxCount)) return fail(the + " lists too many " + f.items);
    QList<T> items;
    for (quint32 i = 0; i < count; ++i) {
        T item;
        if (!get(in, item) || in.status() != QDataStream::Ok)
            return fail(the + " is truncated or corrupt");
        items.append(std::move(item));
    }
    if (!in.atEnd()) return fail(the + " has bytes after its end");
    return items;
}

// The list in the file `path` (a regular file, read with the bound); no file is no items.
template <typename T, typename Get>
Result<QList<T>> readListRecord(const QString& path, const ListRecordFormat& f, Get get)
{
    auto bytes = storage::readRegular(path, f.maxBytes, QStringLiteral("the ") + f.what);
    if (!bytes) return Error{bytes.error()};
    if (!bytes->has_value()) return QList<T>{};
    return decodeListRecord<T>(f, bytes.value().value(), get);
}

} // namespace plenum::node

#pragma once
// Ids in the Node's own record files (QDataStream): an id's bytes, empty for a null id. One
// reading for every record, so that a bad id is refused the same way everywhere.

#include <QByteArray>
#include <QDataStream>

namespace plenum::node {

template <typename Id> void putId(QDataStream& out, const Id& id)
{
    out << id.toBytes();
}

// False if the stream failed or the bytes are no id; an empty field reads as the null id.
template <typename Id> bool getId(QDataStream& in, Id& id)
{
    QByteArray bytes;
    in >> bytes;
    if (in.status() != QDataStream::Ok) return false;
    if (bytes.isEmpty()) {
        id = Id{};
        return true;
    }
    auto parsed = Id::fromBytes(bytes);
    if (!parsed) return false;
    id = parsed.value();
    return true;
}

} // namespace plenum::node

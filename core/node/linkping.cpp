#include "node/linkping.h"

#include "protocol/codec.h"

#include <QtEndian>

#include <algorithm>

namespace plenum::node::linkping {

QByteArray pack(const QList<protocol::Message>& pings, qsizetype limit,
                QList<protocol::Message>* rest)
{
    QByteArray out;
    int packed = 0;
    limit = std::min(limit, kMaxHeaderBytes);
    for (const protocol::Message& m : pings) {
        const QByteArray bytes = protocol::encode(m);
        if (packed < kMaxPings && bytes.size() <= 0xffff &&
            out.size() + 2 + bytes.size() <= limit) {
            char length[2];
            qToBigEndian<quint16>(quint16(bytes.size()), length);
            out.append(length, 2);
            out.append(bytes);
            ++packed;
        } else if (rest) {
            rest->append(m);
        }
    }
    return out;
}

Result<QList<protocol::Message>> unpack(const QByteArray& bytes)
{
    if (bytes.size() > kMaxHeaderBytes)
        return fail(QStringLiteral("a link ping's session header is larger than %1 bytes")
                        .arg(kMaxHeaderBytes));
    QList<protocol::Message> out;
    qsizetype at = 0;
    while (at < bytes.size()) {
        if (out.size() >= kMaxPings)
            return fail(
                QStringLiteral("a link ping carries more than %1 session pings").arg(kMaxPings));
        if (bytes.size() - at < 2)
            return fail(QStringLiteral("a link ping's session header is cut short"));
        const qsizetype length = qFromBigEndian<quint16>(bytes.constData() + at);
        at += 2;
        if (length == 0 || bytes.size() - at < length)
            return fail(QStringLiteral("a link ping's session header is cut short"));
        auto message = protocol::decode(bytes.mid(at, length));
        if (!message)
            return fail(QStringLiteral("a link ping's session header is invalid: ") +
                        message.error());
        if (!std::holds_alternative<protocol::Ping>(message->body))
            return fail(QStringLiteral("a link ping carries a message that is not a PING"));
        out.append(std::move(message.value()));
        at += length;
    }
    return out;
}

} // namespace plenum::node::linkping

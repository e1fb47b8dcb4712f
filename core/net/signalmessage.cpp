#include "net/signalmessage.h"

#include <QtEndian>

namespace plenum::net {

namespace {

constexpr char kMagic[2] = {'P', 'S'};
constexpr quint8 kVersion = 1;
constexpr qsizetype kHeader = 2 + 1 + 1 + 8;

void putField(QByteArray& out, const QByteArray& field)
{
    const quint16 len = qToBigEndian<quint16>(quint16(field.size()));
    out.append(reinterpret_cast<const char*>(&len), 2);
    out.append(field);
}

// Reads one u16-length-prefixed field at `pos`, advancing it.
Result<QByteArray> takeField(const QByteArray& in, qsizetype& pos, qsizetype limit,
                             const char* what)
{
    if (in.size() - pos < 2) return fail(QStringLiteral("signaling message is truncated"));
    const quint16 len = qFromBigEndian<quint16>(in.constData() + pos);
    pos += 2;
    if (len > limit)
        return fail(QStringLiteral("signaling %1 is longer than %2 bytes")
                        .arg(QLatin1String(what))
                        .arg(limit));
    if (in.size() - pos < len) return fail(QStringLiteral("signaling message is truncated"));
    QByteArray field = in.mid(pos, len);
    pos += len;
    return field;
}

bool printable(const QByteArray& field)
{
    for (char c : field)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

} // namespace

QByteArray SignalMessage::encode() const
{
    QByteArray out;
    out.append(kMagic, 2);
    out.append(char(kVersion));
    out.append(char(type));
    const quint64 be = qToBigEndian(attempt);
    out.append(reinterpret_cast<const char*>(&be), 8);
    switch (type) {
    case Type::Offer:
    case Type::Answer:
        putField(out, ufrag);
        putField(out, password);
        break;
    case Type::Candidate:
        putField(out, candidate);
        break;
    case Type::CandidatesDone:
    case Type::Cancel:
        break;
    }
    return out;
}

Result<SignalMessage> SignalMessage::decode(const QByteArray& in)
{
    if (in.size() > kMaxEncoded)
        return fail(QStringLiteral("signaling message is larger than %1 bytes").arg(kMaxEncoded));
    if (in.size() < kHeader || in[0] != kMagic[0] || in[1] != kMagic[1])
        return fail(QStringLiteral("not a Plenum signaling message"));
    if (quint8(in[2]) != kVersion)
        return fail(QStringLiteral("signaling version %1 is not supported").arg(quint8(in[2])));
    SignalMessage m;
    const quint8 type = quint8(in[3]);
    if (type < 1 || type > 5)
        return fail(QStringLiteral("unknown signaling message type %1").arg(type));
    m.type = Type(type);
    m.attempt = qFromBigEndian<quint64>(in.constData() + 4);
    qsizetype pos = kHeader;
    if (m.type == Type::Offer || m.type == Type::Answer) {
        auto ufrag = takeField(in, pos, kMaxCredential, "ICE ufrag");
        if (!ufrag) return Error{ufrag.error()};
        auto password = takeField(in, pos, kMaxCredential, "ICE password");
        if (!password) return Error{password.error()};
        if (ufrag->isEmpty() || password->isEmpty() || !printable(ufrag.value()) ||
            !printable(password.value()))
            return fail(QStringLiteral("signaling carries malformed ICE credentials"));
        m.ufrag = std::move(ufrag.value());
        m.password = std::move(password.value());
    } else if (m.type == Type::Candidate) {
        auto candidate = takeField(in, pos, kMaxCandidate, "ICE candidate");
        if (!candidate) return Error{candidate.error()};
        if (!candidate->startsWith("a=candidate:") || !printable(candidate.value()))
            return fail(QStringLiteral("signaling carries a malformed ICE candidate"));
        m.candidate = std::move(candidate.value());
    }
    if (pos != in.size()) return fail(QStringLiteral("signaling message has trailing bytes"));
    return m;
}

} // namespace plenum::net

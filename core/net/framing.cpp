#include "net/framing.h"

#include <QtEndian>

namespace plenum::net {

QByteArray Framing::encode(Frame::Kind kind, const QByteArray& payload)
{
    QByteArray out;
    out.reserve(kHeaderSize + payload.size());
    const quint32 len = qToBigEndian<quint32>(quint32(payload.size() + 1));
    out.append(reinterpret_cast<const char*>(&len), 4);
    out.append(char(kind));
    out.append(payload);
    return out;
}

Result<QList<Frame>> Framing::feed(const QByteArray& bytes)
{
    if (broken_) return fail(QStringLiteral("the control stream is already broken"));
    buffer_.append(bytes);
    QList<Frame> frames;
    while (buffer_.size() - pos_ >= 4) {
        const quint32 len = qFromBigEndian<quint32>(buffer_.constData() + pos_);
        if (len == 0) {
            broken_ = true;
            return fail(QStringLiteral("the peer sent an empty control frame"));
        }
        if (qint64(len) - 1 > maxPayload_) {
            broken_ = true;
            return fail(QStringLiteral("the peer sent a control frame of %1 bytes; the limit is %2")
                            .arg(qint64(len) - 1)
                            .arg(maxPayload_));
        }
        if (buffer_.size() - pos_ < 4 + qsizetype(len)) break;
        const quint8 kind = quint8(buffer_[pos_ + 4]);
        if (kind > quint8(Frame::Kind::MediaStop)) {
            broken_ = true;
            return fail(
                QStringLiteral("the peer sent a control frame of unknown kind %1").arg(kind));
        }
        frames.append(Frame{Frame::Kind(kind), buffer_.mid(pos_ + kHeaderSize, len - 1)});
        pos_ += 4 + qsizetype(len);
    }
    // Compact once the consumed prefix dominates, keeping appends amortised O(1).
    if (pos_ > 0 && pos_ * 2 >= buffer_.size()) {
        buffer_.remove(0, pos_);
        pos_ = 0;
    }
    return frames;
}

} // namespace plenum::net

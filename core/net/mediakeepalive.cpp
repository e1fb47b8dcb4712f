#include "net/mediakeepalive.h"

#include <QtEndian>

#include <gnutls/crypto.h>

namespace plenum::net {

namespace {

constexpr char kMagic[4] = {'\xFF', 'p', 'l', 'k'};
constexpr qsizetype kSigned = 12; // magic + counter
constexpr qsizetype kTagSize = MediaKeepalive::kSize - kSigned;

} // namespace

bool MediaKeepalive::looksLike(const QByteArray& datagram)
{
    return datagram.size() >= 4 && datagram.startsWith(QByteArray::fromRawData(kMagic, 4));
}

void MediaKeepalive::setKeys(const QByteArray& sendKey, const QByteArray& receiveKey)
{
    sendKey_ = sendKey;
    receiveKey_ = receiveKey;
}

QByteArray MediaKeepalive::tag(const QByteArray& key, const char* data, qsizetype size)
{
    unsigned char digest[32];
    if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, key.constData(), size_t(key.size()), data, size_t(size),
                         digest) != 0)
        return {};
    return QByteArray(reinterpret_cast<const char*>(digest), kTagSize);
}

QByteArray MediaKeepalive::next()
{
    QByteArray out(kMagic, 4);
    if (!hasKeys()) return out; // the plain form: never counts as proof
    out.resize(kSigned);
    qToBigEndian<quint64>(++sent_, out.data() + 4);
    const QByteArray t = tag(sendKey_, out.constData(), kSigned);
    if (t.size() != kTagSize) return QByteArray(kMagic, 4);
    return out + t;
}

bool MediaKeepalive::accept(const QByteArray& datagram)
{
    if (receiveKey_.isEmpty() || datagram.size() != kSize || !looksLike(datagram)) return false;
    const QByteArray expected = tag(receiveKey_, datagram.constData(), kSigned);
    if (expected.size() != kTagSize ||
        gnutls_memcmp(expected.constData(), datagram.constData() + kSigned, size_t(kTagSize)) != 0)
        return false;
    const quint64 counter = qFromBigEndian<quint64>(datagram.constData() + 4);
    if (counter <= received_) return false;
    received_ = counter;
    return true;
}

} // namespace plenum::net

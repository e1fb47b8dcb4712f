#pragma once
// The media stream's keepalive datagram, authenticated (docs/links.md "Liveness under loss").
// A keepalive proves the peer's process runs and holds the link's TLS keys, so it may stand in
// for control traffic while PseudoTCP retransmits (its minimum RTO is 1 s). Layout, 28 bytes:
// 0xFF 'p' 'l' 'k' | counter (u64, big-endian) | HMAC-SHA256(key, first 12 bytes)[0..16).
// 0xFF is neither RTP v2 (0x80-0xBF), STUN (0x00-0x03), DTLS nor a TURN channel. One key per
// direction comes from the TLS exporter; the counter only grows, so a replay proves nothing.

#include <QByteArray>
#include <QtGlobal>

#include <optional>

namespace plenum::net {

class MediaKeepalive {
public:
    static constexpr qsizetype kKeySize = 32;
    static constexpr qsizetype kSize = 28;

    // True when the datagram is shaped as a keepalive (checked or not): never media.
    static bool looksLike(const QByteArray& datagram);

    // Keys for what we send and what we receive; empty keys: nothing is authenticated.
    void setKeys(const QByteArray& sendKey, const QByteArray& receiveKey);
    bool hasKeys() const { return !sendKey_.isEmpty(); }
    // The next keepalive to send (its counter grows each call).
    QByteArray next();
    // True when the datagram is an authentic keepalive newer than any accepted before.
    bool accept(const QByteArray& datagram);

private:
    static QByteArray tag(const QByteArray& key, const char* data, qsizetype size);

    QByteArray sendKey_;
    QByteArray receiveKey_;
    quint64 sent_ = 0;
    quint64 received_ = 0;
};

} // namespace plenum::net

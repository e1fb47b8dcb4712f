#pragma once
// Control frames on the TLS byte stream: u32 big-endian length (of kind + payload), one kind
// byte, payload. Pure: no I/O, so unit tests and the fuzzer drive it with plain bytes.
// The length is checked before anything is buffered, so a peer cannot make us hold more
// than one maximum-size frame.

#include "protocol/result.h"

#include <QByteArray>
#include <QList>

namespace plenum::net {

struct Frame {
    enum class Kind : quint8 {
        Data = 0,        // an opaque control message for the layer above
        Ping = 1,        // u32 interval (ms) the sender pings at + opaque owner header
        Close = 2,       // clean close; payload: reason (UTF-8)
        MediaSignal = 3, // SignalMessage for the media stream, over the control link
        MediaStop = 4,   // the sender closed its media stream
    };
    Kind kind = Kind::Data;
    QByteArray payload;
};

class Framing {
public:
    static constexpr qsizetype kHeaderSize = 5;
    static constexpr qsizetype kDefaultMaxPayload = 1024 * 1024;

    explicit Framing(qsizetype maxPayload = kDefaultMaxPayload) : maxPayload_(maxPayload) {}

    static QByteArray encode(Frame::Kind kind, const QByteArray& payload);
    // Appends stream bytes and returns every frame now complete, or the reason the stream is
    // broken (the link must then close: resynchronising a byte stream is guesswork).
    Result<QList<Frame>> feed(const QByteArray& bytes);
    qsizetype maxPayload() const { return maxPayload_; }
    qsizetype buffered() const { return buffer_.size() - pos_; }

private:
    qsizetype maxPayload_;
    QByteArray buffer_;
    qsizetype pos_ = 0;
    bool broken_ = false;
};

} // namespace plenum::net

#pragma once
// The input format of fuzz_chat: a run of frames, each [peer byte][u16 big-endian length]
// [one encoded message], as if peers 2..8 had sent them to device 1 in that order.

#include <QByteArray>
#include <QList>

#include <cstdint>

namespace plenum::testing {

struct ChatFrame {
    std::uint8_t peer = 0; // 0..6 -> DeviceId::fromNumber(2 + peer)
    QByteArray bytes;
};

inline QByteArray joinFrames(const QList<ChatFrame>& frames)
{
    QByteArray out;
    for (const auto& f : frames) {
        out.append(char(f.peer));
        out.append(char((f.bytes.size() >> 8) & 0xff));
        out.append(char(f.bytes.size() & 0xff));
        out.append(f.bytes);
    }
    return out;
}

inline QList<ChatFrame> splitFrames(const QByteArray& in)
{
    QList<ChatFrame> out;
    qsizetype at = 0;
    while (at + 3 <= in.size()) {
        const std::uint8_t peer = std::uint8_t(in[at]) % 7;
        const qsizetype len = (qsizetype(std::uint8_t(in[at + 1])) << 8) | std::uint8_t(in[at + 2]);
        at += 3;
        out.append({peer, in.mid(at, len)});
        at += len;
    }
    return out;
}

} // namespace plenum::testing

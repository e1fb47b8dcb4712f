// SRTP with AEAD_AES_128_GCM (RFC 7714): round trip, replay and tamper rejection, wrong key.
#include "media/srtpsession.h"
#include "media/rtppacket.h"

#include <gtest/gtest.h>

using namespace plenum::media;

namespace {
QByteArray key(char fill)
{
    return QByteArray(SrtpSession::kKeySaltLength, fill);
}
QByteArray rtp(quint16 seq)
{
    RtpPacket p;
    p.sequence = seq;
    p.timestamp = seq * 960u;
    p.ssrc = 7;
    p.payload = QByteArray(80, char(seq));
    return p.encode().value();
}
struct Pair {
    SrtpSession a = SrtpSession::create(key('a'), key('b')).value();
    SrtpSession b = SrtpSession::create(key('b'), key('a')).value();
};
} // namespace

TEST(SrtpSession, ProtectedPacketsRoundTripAndAreEncrypted)
{
    Pair s;
    for (quint16 seq = 65530; seq != 10; ++seq) { // across the sequence wrap (ROC, RFC 3711 §3.3.1)
        const QByteArray plain = rtp(seq);
        auto wire = s.a.protect(plain);
        ASSERT_TRUE(wire.ok()) << wire.error().toStdString();
        EXPECT_EQ(wire->size(), plain.size() + 16); // GCM tag
        EXPECT_EQ(wire->left(RtpPacket::kHeaderSize), plain.left(RtpPacket::kHeaderSize));
        EXPECT_NE(wire->mid(RtpPacket::kHeaderSize, 80), plain.mid(RtpPacket::kHeaderSize));
        auto back = s.b.unprotect(wire.value());
        ASSERT_TRUE(back.ok()) << back.error().toStdString();
        EXPECT_EQ(back.value(), plain);
    }
    EXPECT_EQ(s.b.counters().unprotectedPackets, 16u);
}

TEST(SrtpSession, ReplayedPacketIsDroppedAndCounted)
{
    Pair s;
    const QByteArray wire = s.a.protect(rtp(100)).value();
    ASSERT_TRUE(s.b.unprotect(wire).ok());
    EXPECT_FALSE(s.b.unprotect(wire).ok());
    EXPECT_EQ(s.b.counters().replayed, 1u);
    // Far older than the replay window: also refused.
    Pair t;
    const QByteArray old = t.a.protect(rtp(1)).value();
    QByteArray last;
    for (quint16 seq = 2; seq < 2000; ++seq)
        last = t.a.protect(rtp(seq)).value();
    ASSERT_TRUE(t.b.unprotect(last).ok());
    EXPECT_FALSE(t.b.unprotect(old).ok());
    EXPECT_EQ(t.b.counters().replayed, 1u);
}

TEST(SrtpSession, TamperedPacketIsDroppedAndCounted)
{
    Pair s;
    for (qsizetype at : {qsizetype(1), qsizetype(5), RtpPacket::kHeaderSize + 3,
                         RtpPacket::kHeaderSize + 80 + 4}) {
        QByteArray wire = s.a.protect(rtp(quint16(200 + at))).value();
        wire[at] = char(wire[at] ^ 0x01);
        EXPECT_FALSE(s.b.unprotect(wire).ok()) << "byte " << at;
    }
    EXPECT_EQ(s.b.counters().tampered, 4u);
    EXPECT_EQ(s.b.counters().unprotectedPackets, 0u);
}

TEST(SrtpSession, WrongKeyAndBadSizesAreRefused)
{
    auto mallory = SrtpSession::create(key('m'), key('m')).value();
    Pair s;
    EXPECT_FALSE(s.b.unprotect(mallory.protect(rtp(1)).value()).ok());
    EXPECT_EQ(s.b.counters().tampered, 1u);
    EXPECT_FALSE(s.b.unprotect(QByteArray(10, 'x')).ok());
    EXPECT_EQ(s.b.counters().malformed, 1u);
    EXPECT_FALSE(SrtpSession::create(QByteArray(30, 'a'), key('b')).ok()); // CM-128 length
}

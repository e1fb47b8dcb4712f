// RTP header (RFC 3550 §5.1) and Opus payload (RFC 7587): round trip, wrap-around, and strict
// rejection of malformed packets.
#include "media/rtppacket.h"
#include "media/rtppacketizer.h"

#include <gtest/gtest.h>

using namespace plenum::media;

namespace {
QByteArray bytes(std::initializer_list<int> list)
{
    QByteArray out;
    for (int b : list)
        out.append(char(b));
    return out;
}
} // namespace

TEST(RtpPacket, RoundTripKeepsEveryField)
{
    RtpPacket p;
    p.marker = true;
    p.sequence = 0xfffe;
    p.timestamp = 0xdeadbeef;
    p.ssrc = 0x01020304;
    p.payload = QByteArray("opus-bytes");
    auto wire = p.encode();
    ASSERT_TRUE(wire.ok());
    EXPECT_EQ(wire->size(), RtpPacket::kHeaderSize + 10);
    EXPECT_EQ(quint8(wire->at(0)), 0x80);
    EXPECT_EQ(quint8(wire->at(1)), 0x80 | 111);
    auto back = RtpPacket::decode(wire.value());
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_TRUE(back->marker);
    EXPECT_EQ(back->sequence, 0xfffe);
    EXPECT_EQ(back->timestamp, 0xdeadbeefu);
    EXPECT_EQ(back->ssrc, 0x01020304u);
    EXPECT_EQ(back->payload, QByteArray("opus-bytes"));
}

TEST(RtpPacket, CarriesTheAudioLevelInAOneByteHeaderExtension)
{
    RtpPacket p;
    p.sequence = 7;
    p.audioLevel = 37; // -37 dBov
    p.payload = QByteArray("opus");
    auto wire = p.encode();
    ASSERT_TRUE(wire.ok());
    // RFC 8285: X set, profile 0xBEDE, one word: id 1, length 1, the level, two padding bytes.
    EXPECT_EQ(wire->size(), RtpPacket::kHeaderSize + 8 + 4);
    EXPECT_EQ(quint8(wire->at(0)), 0x90);
    EXPECT_EQ(wire->mid(12, 8), bytes({0xbe, 0xde, 0, 1, 0x10, 37, 0, 0}));
    auto back = RtpPacket::decode(wire.value());
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back->audioLevel, std::optional<quint8>(37));
    EXPECT_EQ(back->payload, QByteArray("opus"));

    // Another element before it, padding, and the V bit (ignored) are read past.
    QByteArray d = bytes({0x90, 111, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3});
    d += bytes({0xbe, 0xde, 0, 2, 0x21, 5, 6, 0, 0x10, 0x80 | 20, 0, 0});
    d += "xy";
    auto other = RtpPacket::decode(d);
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->audioLevel, std::optional<quint8>(20));
    EXPECT_EQ(other->payload, QByteArray("xy"));

    // An element that runs past the list ends it (no level), the packet still plays.
    QByteArray bad = bytes({0x90, 111, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3});
    bad += bytes({0xbe, 0xde, 0, 1, 0x1f, 1, 2, 3});
    bad += "z";
    auto cut = RtpPacket::decode(bad);
    ASSERT_TRUE(cut.ok());
    EXPECT_FALSE(cut->audioLevel);
    EXPECT_EQ(cut->payload, QByteArray("z"));
    // Without the extension there is no level.
    p.audioLevel.reset();
    EXPECT_FALSE(RtpPacket::decode(p.encode().value())->audioLevel);
}

TEST(RtpPacket, SkipsCsrcExtensionAndPadding)
{
    // V=2 P=1 X=1 CC=1, PT 111, then CSRC, extension (1 word), payload "ab", 2 padding bytes.
    QByteArray d = bytes({0xb1, 111, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3});
    d += bytes({9, 9, 9, 9});                   // CSRC
    d += bytes({0xbe, 0xde, 0, 1, 1, 2, 3, 4}); // extension header + 1 word
    d += "ab";
    d += bytes({0, 2}); // padding, count 2
    auto p = RtpPacket::decode(d);
    ASSERT_TRUE(p.ok()) << p.error().toStdString();
    EXPECT_EQ(p->payload, QByteArray("ab"));
    EXPECT_EQ(p->sequence, 1);
}

TEST(RtpPacket, RejectsMalformedPackets)
{
    const QByteArray header = bytes({0x80, 111, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3});
    EXPECT_FALSE(RtpPacket::decode(header.left(11)).ok());                        // short
    EXPECT_FALSE(RtpPacket::decode(QByteArray(RtpPacket::kMaxSize + 1, 0)).ok()); // long
    QByteArray v1 = header;
    v1[0] = char(0x40);
    EXPECT_FALSE(RtpPacket::decode(v1).ok()); // version 1
    QByteArray csrc = header;
    csrc[0] = char(0x8f); // 15 CSRCs, none present
    EXPECT_FALSE(RtpPacket::decode(csrc).ok());
    QByteArray ext = header;
    ext[0] = char(0x90);
    ext += bytes({0xbe, 0xde, 0, 9}); // 9 words announced, none present
    EXPECT_FALSE(RtpPacket::decode(ext).ok());
    QByteArray pad = header + "x";
    pad[0] = char(0xa0);
    pad[pad.size() - 1] = char(5); // more padding than payload
    EXPECT_FALSE(RtpPacket::decode(pad).ok());
    QByteArray zeroPad = header + bytes({0});
    zeroPad[0] = char(0xa0);
    EXPECT_FALSE(RtpPacket::decode(zeroPad).ok());
    QByteArray rtcp = header;
    rtcp[1] = char(72); // RFC 5761: would be an RTCP SR on a muxed stream
    EXPECT_FALSE(RtpPacket::decode(rtcp).ok());
    QByteArray big = header + QByteArray(RtpPacket::kMaxOpusPayload + 1, 'x');
    EXPECT_FALSE(RtpPacket::decode(big).ok());
    RtpPacket tooBig;
    tooBig.payload = QByteArray(RtpPacket::kMaxOpusPayload + 1, 'x');
    EXPECT_FALSE(tooBig.encode().ok());
}

TEST(RtpPacket, SequenceAndTimestampComparisonsWrap)
{
    EXPECT_TRUE(sequenceNewer(0, 0xffff));
    EXPECT_TRUE(sequenceNewer(5, 0xfff0));
    EXPECT_FALSE(sequenceNewer(0xffff, 0));
    EXPECT_FALSE(sequenceNewer(7, 7));
    EXPECT_TRUE(timestampNewer(100, 0xffffff00u));
    EXPECT_FALSE(timestampNewer(0xffffff00u, 100));
}

TEST(RtpPacketizer, CountsThroughWrapAndMarksTalkspurts)
{
    RtpPacketizer p(42, 0xffff, 0xfffffe00u);
    auto a = p.next("a", 960);
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->marker); // first packet of the stream
    EXPECT_EQ(a->sequence, 0xffff);
    EXPECT_EQ(a->timestamp, 0xfffffe00u);
    auto b = p.next("b", 960);
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->marker);
    EXPECT_EQ(b->sequence, 0);                  // wrapped
    EXPECT_EQ(b->timestamp, 0xfffffe00u + 960); // wrapped modulo 2^32
    EXPECT_FALSE(p.next({}, 960));              // DTX: nothing sent, clock runs on
    auto c = p.next("c", 960);
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->marker);
    EXPECT_EQ(c->sequence, 1); // no gap for the silent frame
    EXPECT_EQ(c->timestamp, quint32(0xfffffe00u + 3 * 960));
    EXPECT_EQ(c->ssrc, 42u);
}

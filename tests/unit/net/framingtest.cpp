// Framing: length-prefixed frames split and coalesced arbitrarily, and every limit.
#include "net/framing.h"

#include <gtest/gtest.h>

using namespace plenum::net;

TEST(Framing, RoundTripsFramesOfEveryKind)
{
    Framing f;
    QByteArray stream = Framing::encode(Frame::Kind::Data, "one") +
                        Framing::encode(Frame::Kind::Ping, QByteArray(4, '\0')) +
                        Framing::encode(Frame::Kind::Close, "bye") +
                        Framing::encode(Frame::Kind::Data, QByteArray());
    auto frames = f.feed(stream);
    ASSERT_TRUE(frames.ok());
    ASSERT_EQ(frames->size(), 4);
    EXPECT_EQ(frames.value()[0].kind, Frame::Kind::Data);
    EXPECT_EQ(frames.value()[0].payload, QByteArray("one"));
    EXPECT_EQ(frames.value()[1].kind, Frame::Kind::Ping);
    EXPECT_EQ(frames.value()[2].payload, QByteArray("bye"));
    EXPECT_TRUE(frames.value()[3].payload.isEmpty());
    EXPECT_EQ(f.buffered(), 0);
}

TEST(Framing, ReassemblesFramesSplitAtEveryByte)
{
    QByteArray stream;
    for (int i = 0; i < 20; ++i)
        stream += Framing::encode(Frame::Kind::Data, QByteArray(i * 7, char('a' + i)));
    Framing f;
    QList<Frame> all;
    for (char c : stream) {
        auto frames = f.feed(QByteArray(1, c));
        ASSERT_TRUE(frames.ok());
        all += frames.value();
    }
    ASSERT_EQ(all.size(), 20);
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(all[i].payload, QByteArray(i * 7, char('a' + i)));
}

TEST(Framing, HeaderSplitAcrossFeedsWaitsForTheRest)
{
    Framing f;
    const QByteArray frame = Framing::encode(Frame::Kind::Data, "hello");
    auto first = f.feed(frame.left(3));
    ASSERT_TRUE(first.ok());
    EXPECT_TRUE(first->isEmpty());
    auto second = f.feed(frame.mid(3) + frame.left(6));
    ASSERT_TRUE(second.ok());
    ASSERT_EQ(second->size(), 1);
    auto third = f.feed(frame.mid(6));
    ASSERT_TRUE(third.ok());
    ASSERT_EQ(third->size(), 1);
    EXPECT_EQ(third.value()[0].payload, QByteArray("hello"));
}

TEST(Framing, OversizedFrameIsRejectedFromItsHeaderAlone)
{
    Framing f(100);
    EXPECT_TRUE(f.feed(Framing::encode(Frame::Kind::Data, QByteArray(100, 'x'))).ok());
    // Only the 4-byte header of a 101-byte frame: refused before any payload arrives.
    auto frames = f.feed(Framing::encode(Frame::Kind::Data, QByteArray(101, 'x')).left(4));
    ASSERT_FALSE(frames.ok());
    EXPECT_TRUE(frames.error().contains(QStringLiteral("limit is 100")))
        << frames.error().toStdString();
    // A broken stream stays broken: resynchronising would be guesswork.
    EXPECT_FALSE(f.feed(Framing::encode(Frame::Kind::Data, "ok")).ok());
}

TEST(Framing, HugeLengthDoesNotAllocate)
{
    Framing f;
    auto frames = f.feed(QByteArray("\xff\xff\xff\xff", 4));
    ASSERT_FALSE(frames.ok());
    EXPECT_LE(f.buffered(), 4);
}

TEST(Framing, EmptyFrameAndUnknownKindAreErrors)
{
    Framing a;
    EXPECT_FALSE(a.feed(QByteArray(4, '\0')).ok());
    Framing b;
    auto frames = b.feed(QByteArray("\x00\x00\x00\x01\x09", 5));
    ASSERT_FALSE(frames.ok());
    EXPECT_TRUE(frames.error().contains(QStringLiteral("unknown kind")));
}

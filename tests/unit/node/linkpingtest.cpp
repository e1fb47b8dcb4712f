// The session header on link pings (node/linkping.h): PINGs round-trip, what does not fit
// is handed back to be sent as messages, and anything but well-formed PINGs is refused.
#include "node/linkping.h"

#include "net/controllink.h"
#include "protocol/codec.h"

#include <QtEndian>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::node;

namespace {

protocol::Message ping(int n)
{
    return {
        protocol::Header{SessionId::fromNumber(n), std::uint64_t(n), 7, DeviceId::fromNumber(n)},
        protocol::Ping{}};
}

QByteArray item(const QByteArray& bytes)
{
    char length[2];
    qToBigEndian<quint16>(quint16(bytes.size()), length);
    return QByteArray(length, 2) + bytes;
}

} // namespace

TEST(LinkPing, PingsRoundTrip)
{
    QList<protocol::Message> rest;
    const QByteArray header = linkping::pack({ping(1), ping(2)}, 1024, &rest);
    EXPECT_TRUE(rest.isEmpty());
    auto back = linkping::unpack(header);
    ASSERT_TRUE(back) << back.error().toStdString();
    ASSERT_EQ(back->size(), 2);
    EXPECT_EQ(back->at(0).header.sid, SessionId::fromNumber(1));
    EXPECT_EQ(back->at(1).header.epoch, 2u);
    EXPECT_EQ(back->at(1).header.version, 7u);
    EXPECT_EQ(back->at(1).header.sm, DeviceId::fromNumber(2));
    auto none = linkping::unpack({});
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->isEmpty());
}

TEST(LinkPing, WhatDoesNotFitIsHandedBack)
{
    const qsizetype one = 2 + protocol::encode(ping(1)).size();
    QList<protocol::Message> rest;
    const QByteArray header = linkping::pack({ping(1), ping(2), ping(3)}, 2 * one, &rest);
    EXPECT_LE(header.size(), 2 * one);
    ASSERT_EQ(rest.size(), 1);
    EXPECT_EQ(rest.front().header.sid, SessionId::fromNumber(3));
    EXPECT_EQ(linkping::unpack(header)->size(), 2);
}

TEST(LinkPing, RefusesAnythingButPings)
{
    const QByteArray good = linkping::pack({ping(1)}, 1024, nullptr);
    EXPECT_FALSE(linkping::unpack(good.left(good.size() - 1))); // cut short
    EXPECT_FALSE(linkping::unpack(good + QByteArray(1, '\0'))); // a dangling length byte
    EXPECT_FALSE(linkping::unpack(item(QByteArray("not cbor at all"))));
    EXPECT_FALSE(linkping::unpack(QByteArray(2, '\0'))); // an empty item
    protocol::Message hello{protocol::Header{SessionId::fromNumber(1), 1, 1, {}},
                            protocol::Hello{}};
    auto refused = linkping::unpack(item(protocol::encode(hello)));
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().indexOf("not a PING"), -1);
    QByteArray many;
    for (int i = 0; i <= linkping::kMaxPings; ++i)
        many += item(protocol::encode(ping(1)));
    EXPECT_FALSE(linkping::unpack(many));
}

// The decoder's own size bound: a header over kMaxHeaderBytes is refused unread, even when
// every item in it is a well-formed PING and there are fewer than kMaxPings of them; pack
// never writes one, whatever limit it is given; and the link's cap fits under it.
TEST(LinkPing, HeaderSizeIsBoundedOnBothEnds)
{
    QList<protocol::Message> pings;
    QByteArray big;
    while (big.size() <= linkping::kMaxHeaderBytes) {
        pings.append(ping(int(pings.size()) + 1));
        big += item(protocol::encode(pings.back()));
    }
    ASSERT_LE(pings.size(), linkping::kMaxPings) << "the size bound must be the one that bites";
    auto refused = linkping::unpack(big);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().indexOf("larger than"), -1) << refused.error().toStdString();

    QList<protocol::Message> rest;
    const QByteArray packed = linkping::pack(pings, 1 << 20, &rest);
    EXPECT_LE(packed.size(), linkping::kMaxHeaderBytes);
    EXPECT_FALSE(rest.isEmpty()) << "what does not fit the bound is handed back";
    auto back = linkping::unpack(packed);
    ASSERT_TRUE(back) << back.error().toStdString();
    EXPECT_EQ(back->size() + rest.size(), pings.size());

    EXPECT_LE(net::ControlLinkConfig{}.maxPingHeader, linkping::kMaxHeaderBytes)
        << "the link would carry headers its peer's decoder refuses";
}

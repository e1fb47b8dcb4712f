#include "net/mediakeepalive.h"

#include <gtest/gtest.h>

using plenum::net::MediaKeepalive;

namespace {

struct Pair {
    MediaKeepalive a;
    MediaKeepalive b;
    Pair()
    {
        const QByteArray k1(MediaKeepalive::kKeySize, 'x');
        const QByteArray k2(MediaKeepalive::kKeySize, 'y');
        a.setKeys(k1, k2);
        b.setKeys(k2, k1);
    }
};

} // namespace

TEST(MediaKeepalive, AuthenticFreshKeepalivesAreAccepted)
{
    Pair p;
    const QByteArray first = p.a.next();
    const QByteArray second = p.a.next();
    EXPECT_EQ(first.size(), MediaKeepalive::kSize);
    EXPECT_TRUE(MediaKeepalive::looksLike(first));
    EXPECT_TRUE(p.b.accept(first));
    EXPECT_TRUE(p.b.accept(second));
    EXPECT_TRUE(p.a.accept(p.b.next())); // the other direction has its own key
}

TEST(MediaKeepalive, ReplaysForgeriesAndTheOwnDirectionAreRefused)
{
    Pair p;
    const QByteArray first = p.a.next();
    const QByteArray second = p.a.next();
    EXPECT_TRUE(p.b.accept(second));
    EXPECT_FALSE(p.b.accept(second)); // replay
    EXPECT_FALSE(p.b.accept(first));  // older than one accepted
    QByteArray tampered = p.a.next();
    tampered[5] = char(tampered[5] ^ 1); // counter changed, tag kept
    EXPECT_FALSE(p.b.accept(tampered));
    EXPECT_FALSE(p.a.accept(p.a.next()));                   // reflected back: wrong direction's key
    EXPECT_FALSE(p.b.accept(QByteArrayLiteral("\xFFplk"))); // the plain form proves nothing
    EXPECT_FALSE(p.b.accept(p.a.next().left(20)));          // truncated
    EXPECT_FALSE(MediaKeepalive::looksLike(QByteArrayLiteral("\x80\x60"))); // RTP
    MediaKeepalive noKeys;
    EXPECT_EQ(noKeys.next(), QByteArrayLiteral("\xFFplk"));
    EXPECT_FALSE(noKeys.accept(p.a.next()));
}

// One timer beats for every owner of an interval; owners come and go, also from inside a beat.
#include "net/sharedticker.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include "testeventloop.h"

#include <gtest/gtest.h>

using plenum::net::SharedTicker;

namespace {

using plenum::test::ensureApp;

// Generous: a busy machine delays timers.
template <typename F> bool runUntil(F done)
{
    return plenum::test::runUntil(done, 5000);
}

} // namespace

TEST(SharedTicker, OneTickerPerIntervalBeatsEveryOwner)
{
    ensureApp();
    SharedTicker& t = SharedTicker::forInterval(7);
    EXPECT_EQ(&t, &SharedTicker::forInterval(7));
    EXPECT_NE(&t, &SharedTicker::forInterval(8));
    int a = 0, b = 0;
    const int ownerA = 0, ownerB = 0;
    t.add(&ownerA, [&] { ++a; });
    t.add(&ownerB, [&] { ++b; });
    t.add(&ownerA, [&] { a += 100; }); // replaces A's callback, no second entry
    EXPECT_EQ(t.size(), 2);
    ASSERT_TRUE(runUntil([&] { return b >= 3; }));
    // Both ran on the same beats: A (replaced) gained 100 per beat B counted.
    EXPECT_EQ(a, 100 * b);
    t.remove(&ownerA);
    t.remove(&ownerB);
    EXPECT_EQ(t.size(), 0);
    const int before = b;
    QEventLoop idle;
    QTimer::singleShot(50, &idle, &QEventLoop::quit);
    idle.exec();
    EXPECT_EQ(b, before); // removed owners are not called again
}

TEST(SharedTicker, OwnersMayLeaveInsideABeat)
{
    ensureApp();
    SharedTicker& t = SharedTicker::forInterval(5);
    int x = 0, y = 0, z = 0;
    const int ownerX = 0, ownerY = 0, ownerZ = 0;
    // X removes itself and Y (later in the list) on its first beat: Y never runs, Z does.
    t.add(&ownerX, [&] {
        ++x;
        t.remove(&ownerX);
        t.remove(&ownerY);
    });
    t.add(&ownerY, [&] { ++y; });
    t.add(&ownerZ, [&] { ++z; });
    ASSERT_TRUE(runUntil([&] { return z >= 3; }));
    EXPECT_EQ(x, 1);
    EXPECT_EQ(y, 0);
    EXPECT_FALSE(t.contains(&ownerX));
    EXPECT_TRUE(t.contains(&ownerZ));
    t.remove(&ownerZ);
    EXPECT_EQ(t.size(), 0);
}

// The in-process signaling loop and the relay adapter deliver asynchronously and in order.
#include "net/loopsignaling.h"
#include "net/relaysignaling.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include "testeventloop.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::net;

namespace {

using plenum::test::ensureApp;

void drainEvents()
{
    QEventLoop loop;
    QTimer::singleShot(0, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

TEST(LoopSignaling, DeliversInOrderOnTheNextLoopTurn)
{
    ensureApp();
    LoopSignaling a(DeviceId::fromNumber(1)), b(DeviceId::fromNumber(2));
    LoopSignaling::connectPair(&a, &b);
    QList<QByteArray> got;
    DeviceId from;
    QObject::connect(&b, &Signaling::received, [&](DeviceId f, const QByteArray& m) {
        from = f;
        got.append(m);
    });
    a.send(b.self(), "one");
    a.send(b.self(), "two");
    EXPECT_TRUE(got.isEmpty()); // never synchronous
    drainEvents();
    EXPECT_EQ(got, (QList<QByteArray>{"one", "two"}));
    EXPECT_EQ(from, DeviceId::fromNumber(1));
}

TEST(LoopSignaling, UnknownDeviceIsDropped)
{
    ensureApp();
    LoopSignaling a(DeviceId::fromNumber(1));
    a.send(DeviceId::fromNumber(9), "lost");
    EXPECT_EQ(a.droppedCount(), 1);
    EXPECT_EQ(a.sentCount(), 0);
}

TEST(RelaySignaling, SendsThroughTheOwnersFunctionAndDeliversAsync)
{
    ensureApp();
    QList<QPair<DeviceId, QByteArray>> out;
    RelaySignaling relay([&](DeviceId to, QByteArray bytes) { out.append({to, bytes}); });
    relay.send(DeviceId::fromNumber(5), "offer");
    ASSERT_EQ(out.size(), 1);
    EXPECT_EQ(out[0].first, DeviceId::fromNumber(5));
    QByteArray got;
    QObject::connect(&relay, &Signaling::received, [&](DeviceId, const QByteArray& m) { got = m; });
    relay.deliver(DeviceId::fromNumber(5), "answer");
    EXPECT_TRUE(got.isEmpty());
    drainEvents();
    EXPECT_EQ(got, QByteArray("answer"));
}

// Presence paces re-puts of its record when the live-session list changes in bursts (issue 14:
// a link-drop cascade made every member re-put on each removal and re-admission), without
// losing the newest list, while what the user chooses still goes out at once. Counted on a
// DhtNode that records puts instead of sending them.
#include "identity/presence.h"
#include "testaccounts.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include "testeventloop.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

namespace {

class CountingDht : public DhtNode {
public:
    void put(const QByteArray&, const QByteArray& data, quint64, bool, bool,
             DoneCallback done) override
    {
        puts.append(data);
        if (done) done(true);
    }
    QList<QByteArray> puts;
};

using plenum::test::ensureApp;
using plenum::test::runUntil;

// Long enough that a descheduled test thread does not end it in the middle of a burst.
constexpr int kInterval = 3000;

struct Fixture {
    bool app = (ensureApp(), true); // first: the timers below need the event dispatcher
    Profile alice = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("pc"));
    CountingDht dht;
    Presence presence{&dht, &alice.device};
    SessionId sid = SessionId::fromNumber(7);

    Fixture()
    {
        presence.setMinPutInterval(kInterval);
        presence.publish(PresenceState::Online, DeviceClass::Desktop, QStringLiteral("Alice"),
                         {alice.device.id()});
    }
    // A cascade: every removal or re-admission retitles the session.
    void cascade(int changes)
    {
        for (int i = 0; i < changes; ++i)
            presence.setSessions({{sid, QStringLiteral("title %1").arg(i)}});
    }
    PresenceRecord record(qsizetype i) const
    {
        auto r = PresenceRecord::decode(dht.puts.at(i), alice.account.id());
        EXPECT_TRUE(r.ok()) << r.error().toStdString();
        return r.ok() ? r.value() : PresenceRecord{};
    }
};

} // namespace

TEST(PresencePacing, ACascadeOfSessionChangesIsOnePutWhenTheIntervalEndsWithTheNewestList)
{
    Fixture f;
    ASSERT_EQ(f.dht.puts.size(), 1); // publish
    f.cascade(20);
    EXPECT_EQ(f.dht.puts.size(), 1) << "changes inside the interval must be owed, not put";
    ASSERT_TRUE(runUntil([&] { return f.dht.puts.size() >= 2; }, 6 * kInterval))
        << "the owed put never went out";
    const PresenceRecord last = f.record(1);
    ASSERT_EQ(last.sessions.size(), 1);
    EXPECT_EQ(last.sessions.front().title, QStringLiteral("title 19"));
    // Nothing more was owed: no further put.
    (void)runUntil([] { return false; }, kInterval + 500);
    EXPECT_EQ(f.dht.puts.size(), 2);
}

TEST(PresencePacing, AChangeAfterAQuietIntervalIsPutAtOnce)
{
    Fixture f;
    (void)runUntil([] { return false; }, kInterval + 200); // quiet since the publish
    f.cascade(1);
    EXPECT_EQ(f.dht.puts.size(), 2) << "a lone change waited for a timer";
}

TEST(PresencePacing, WhatTheUserChoosesGoesOutAtOnceWithTheOwedList)
{
    Fixture f;
    f.cascade(5);
    ASSERT_EQ(f.dht.puts.size(), 1);
    f.presence.publish(PresenceState::Busy, DeviceClass::Desktop, QStringLiteral("Alice"),
                       {f.alice.device.id()});
    ASSERT_EQ(f.dht.puts.size(), 2);
    const PresenceRecord busy = f.record(1);
    EXPECT_EQ(busy.state, PresenceState::Busy);
    ASSERT_EQ(busy.sessions.size(), 1);
    EXPECT_EQ(busy.sessions.front().title, QStringLiteral("title 4"));
    // That put carried what was owed: no trailing put after it.
    (void)runUntil([] { return false; }, kInterval + 500);
    EXPECT_EQ(f.dht.puts.size(), 2);
}

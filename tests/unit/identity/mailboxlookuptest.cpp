// DeviceMailbox finds a device's certificate on the DHT before it seals a request to it. A
// device that just came online may not have stored it yet: the look-up is tried again (50,
// 100, 200, 400, 800 ms) and a device that never appears is reported in words. On a DhtNode
// that keeps values in memory and hides them from the first gets.
#include "identity/devicemailbox.h"
#include "testaccounts.h"

#include <QElapsedTimer>
#include <QHash>

#include "testeventloop.h"

#include <gtest/gtest.h>

#include <optional>

using namespace plenum;
using namespace plenum::identity;
using plenum::test::ensureApp;
using plenum::test::runUntil;

namespace {

class HidingDht : public DhtNode {
public:
    void put(const QByteArray& key, const QByteArray& data, quint64, bool, bool,
             DoneCallback done) override
    {
        values[key].append(data);
        if (done) done(true);
    }
    // The first `hiddenGets` gets of a key find nothing; answers come from the event loop.
    void get(const QByteArray& key, ValuesCallback onValues, DoneCallback done) override
    {
        const int n = ++gets[key];
        QList<DhtValue> found;
        if (n > hiddenGets)
            for (const QByteArray& v : values.value(key))
                found.append(DhtValue{1, v, {}, false});
        QMetaObject::invokeMethod(
            this,
            [found, onValues, done] {
                if (!found.isEmpty()) onValues(found);
                if (done) done(true);
            },
            Qt::QueuedConnection);
    }
    QHash<QByteArray, QList<QByteArray>> values;
    QHash<QByteArray, int> gets;
    int hiddenGets = 0;
};

struct Fixture {
    bool app = (ensureApp(), true);
    Profile alice = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("pc"));
    Profile bob = testsupport::testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc"));
    HidingDht dht;
    DeviceMailbox* fromAlice = DeviceMailbox::create(&dht, alice.device, &dht).value();
    DeviceMailbox* toBob = DeviceMailbox::create(&dht, bob.device, &dht).value();
    DeviceId bobId = bob.device.id();

    std::optional<Status> send()
    {
        std::optional<Status> result;
        fromAlice->send(bobId, RequestKind::HandoffNotice, QByteArray("hello"),
                        [&](Status s) { result = std::move(s); });
        runUntil([&] { return result.has_value(); }, 20000);
        return result;
    }
};

} // namespace

TEST(MailboxLookUp, ACertificateStoredLateIsFoundByALaterAttempt)
{
    Fixture f;
    f.toBob->start(); // stores Bob's certificates
    f.dht.hiddenGets = 2;
    auto sent = f.send();
    ASSERT_TRUE(sent.has_value());
    EXPECT_TRUE(*sent) << sent->error().toStdString();
    EXPECT_EQ(f.dht.gets.value(DeviceMailbox::certificateKey(f.bobId)), 3);
    EXPECT_EQ(f.dht.values.value(DeviceMailbox::inboxKey(f.bobId)).size(), 1)
        << "the request was not stored in Bob's inbox";
}

TEST(MailboxLookUp, ADeviceThatNeverAppearsIsReportedAfterEveryAttempt)
{
    Fixture f; // Bob never stores his certificates
    QElapsedTimer t;
    t.start();
    auto sent = f.send();
    ASSERT_TRUE(sent.has_value());
    ASSERT_FALSE(*sent);
    EXPECT_TRUE(sent->error().contains(QStringLiteral("cannot be found on the DHT")))
        << sent->error().toStdString();
    EXPECT_EQ(f.dht.gets.value(DeviceMailbox::certificateKey(f.bobId)),
              DeviceMailbox::kLookUpAttempts);
    EXPECT_GE(t.elapsed(), 50 + 100 + 200 + 400 + 800);
    EXPECT_TRUE(f.dht.values.value(DeviceMailbox::inboxKey(f.bobId)).isEmpty());
}

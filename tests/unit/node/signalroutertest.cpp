// SignalRouter's fallback to the DHT (issue 15, the way back): signaling relayed through the
// SM must reach the device even when the device's own signaling crosses ours in flight. Bob
// answers Alice's offer through the relay; Alice's trickled candidates reach Bob meanwhile;
// the relay then says it cannot deliver (or drops it silently). Bob's answer must go again
// through the DHT: it used to count as delivered because Bob had heard from Alice, so Alice's
// link attempt never came up nor failed ("could not reach bob"). The DHT is a node that
// records puts, which Alice's mailbox opens.
#include "node/signalrouter.h"
#include "identity/devicemailbox.h"
#include "identity/dhtsignaling.h"
#include "net/signalmessage.h"
#include "testaccounts.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include "testeventloop.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;
using namespace plenum::node;
using net::SignalMessage;

namespace {

class RecordingDht : public DhtNode {
public:
    void put(const QByteArray& key, const QByteArray& data, quint64, bool, bool,
             DoneCallback done) override
    {
        puts.append({key, data});
        if (done) done(true);
    }
    QList<std::pair<QByteArray, QByteArray>> puts;
};

using plenum::test::ensureApp;
using plenum::test::runUntil;

QByteArray signal(SignalMessage::Type type, quint64 attempt)
{
    SignalMessage m;
    m.type = type;
    m.attempt = attempt;
    if (type == SignalMessage::Type::Offer || type == SignalMessage::Type::Answer) {
        m.ufrag = "ufrag";
        m.password = "0123456789abcdefghijklmn";
    } else if (type == SignalMessage::Type::Candidate) {
        m.candidate = "a=candidate:1 1 UDP 2013266431 127.0.0.1 40000 typ host";
    }
    return m.encode();
}

struct Fixture {
    bool app = (ensureApp(), true);
    Account aliceAccount = testsupport::testAccount(0, QStringLiteral("Alice"));
    Account bobAccount = testsupport::testAccount(1, QStringLiteral("Bob"));
    DeviceIdentity alice = DeviceIdentity::create(QStringLiteral("pc"), aliceAccount).value();
    DeviceIdentity bob = DeviceIdentity::create(QStringLiteral("pc"), bobAccount).value();
    DeviceId carol = DeviceId::fromNumber(3); // the SM: the relay
    SessionId sid = SessionId::fromNumber(7);
    RecordingDht aliceDht, bobDht;
    DeviceMailbox* aliceBox = DeviceMailbox::create(&aliceDht, alice, nullptr).value();
    DeviceMailbox* bobBox = DeviceMailbox::create(&bobDht, bob, nullptr).value();
    QList<protocol::Message> toRelay;
    std::unique_ptr<SignalRouter> router; // Bob's
    QList<SignalMessage> opened;
    qsizetype openedPuts = 0;

    Fixture()
    {
        aliceBox->addKnownDevice(bob.deviceCertificate());
        bobBox->addKnownDevice(alice.deviceCertificate());
        SignalRouter::Hooks hooks;
        hooks.relayFor = [this](const DeviceId&) { return SignalRouter::Relay{carol, sid}; };
        hooks.linkUp = [this](const DeviceId& d) { return d == carol; };
        hooks.sendOnLink = [this](const DeviceId&, const protocol::Message& m) {
            toRelay.append(m);
        };
        hooks.header = [](const SessionId& s) { return protocol::Header{s, 1, 1, {}}; };
        router = std::make_unique<SignalRouter>(bobBox, hooks);
    }
    ~Fixture()
    {
        router.reset();
        delete aliceBox;
        delete bobBox;
    }

    // Alice's signaling reaching Bob through the relay (her trickled candidates).
    void aliceSends(const QByteArray& bytes)
    {
        auto sealed = aliceBox->sealFor(bob.id(), RequestKind::Signal, bytes);
        ASSERT_TRUE(sealed) << sealed.error().toStdString();
        router->onRelaySignal(carol, sid, protocol::RelaySignal{alice.id(), sealed.value(), true});
    }

    // What Bob's DHT node stored in Alice's inbox, opened by Alice (each put once: her
    // mailbox's replay memory refuses a second opening).
    QList<SignalMessage> dhtToAlice()
    {
        for (; openedPuts < bobDht.puts.size(); ++openedPuts) {
            const auto& [key, data] = bobDht.puts.at(openedPuts);
            if (key != DeviceMailbox::inboxKey(alice.id())) continue;
            auto env = aliceBox->openRelayed(data);
            if (!env) continue;
            for (const QByteArray& b : DhtSignaling::unpack(env->body))
                if (auto m = SignalMessage::decode(b)) opened.append(m.value());
        }
        return opened;
    }
    bool dhtCarriesAnswer(quint64 attempt)
    {
        const auto sent = dhtToAlice();
        return std::any_of(sent.cbegin(), sent.cend(), [&](const SignalMessage& m) {
            return m.type == SignalMessage::Type::Answer && m.attempt == attempt;
        });
    }
};

} // namespace

TEST(SignalRouter, AnAnswerTheRelayCouldNotDeliverGoesThroughTheDhtThoughThePeerWasHeardFrom)
{
    Fixture f;
    f.router->send(f.alice.id(), signal(SignalMessage::Type::Answer, 42));
    f.router->send(f.alice.id(), signal(SignalMessage::Type::Candidate, 42));
    ASSERT_TRUE(runUntil([&] { return !f.toRelay.isEmpty(); }, 2000)) << "nothing relayed";
    // Alice's candidates of the same attempt cross Bob's answer: they prove nothing about it.
    f.aliceSends(signal(SignalMessage::Type::Candidate, 42));
    f.router->onRelayFailed(f.carol, protocol::RelayFailed{f.alice.id(), "no link to that device"});
    ASSERT_TRUE(runUntil([&] { return f.dhtCarriesAnswer(42); }, 2000))
        << "the answer was lost: " << f.dhtToAlice().size() << " signals on the DHT";
    EXPECT_EQ(f.router->stats().fallbacks, 1);
}

// The relay forwarded Bob's answer onto a link Alice was closing: lost, and no RELAY_FAILED.
// Alice's candidates, heard meanwhile, must not stop the deadline: only a link (or, for an
// offer, its answer) proves delivery.
TEST(SignalRouter, AnAnswerTheRelayDroppedSilentlyGoesThroughTheDhtAfterTheDeadline)
{
    Fixture f;
    f.router->send(f.alice.id(), signal(SignalMessage::Type::Answer, 42));
    ASSERT_TRUE(runUntil([&] { return !f.toRelay.isEmpty(); }, 2000)) << "nothing relayed";
    f.aliceSends(signal(SignalMessage::Type::Candidate, 42));
    ASSERT_TRUE(runUntil([&] { return f.dhtCarriesAnswer(42); }, SignalRouter::kFallbackMs + 3000));
}

// The answer to our offer proves the relay works: no fallback while the link comes up slowly
// (each one re-sends a device's signaling through the DHT).
TEST(SignalRouter, TheAnswerToOurOfferKeepsTheRelay)
{
    Fixture f;
    f.router->send(f.alice.id(), signal(SignalMessage::Type::Offer, 7));
    ASSERT_TRUE(runUntil([&] { return !f.toRelay.isEmpty(); }, 2000)) << "nothing relayed";
    f.aliceSends(signal(SignalMessage::Type::Answer, 7));
    runUntil([] { return false; }, SignalRouter::kFallbackMs + 300);
    EXPECT_EQ(f.router->stats().fallbacks, 0);
    EXPECT_TRUE(f.dhtToAlice().isEmpty());
}

TEST(SignalRouter, ALinkUpProvesDeliverySoNothingIsSentAgain)
{
    Fixture f;
    f.router->send(f.alice.id(), signal(SignalMessage::Type::Answer, 42));
    ASSERT_TRUE(runUntil([&] { return !f.toRelay.isEmpty(); }, 2000)) << "nothing relayed";
    f.router->onLinkUp(f.alice.id());
    runUntil([] { return false; }, SignalRouter::kFallbackMs + 300);
    EXPECT_TRUE(f.dhtToAlice().isEmpty());
    EXPECT_EQ(f.router->stats().fallbacks, 0);
}

TEST(SignalRouter, AFallbackSendsOnlyTheLatestAttemptAgain)
{
    Fixture f;
    // An older attempt of Bob's, given up, then a new one: only the new one may reach Alice
    // late (an old offer arriving after the new one would replace Alice's live answer).
    f.router->send(f.alice.id(), signal(SignalMessage::Type::Offer, 1));
    f.router->send(f.alice.id(), signal(SignalMessage::Type::Offer, 2));
    f.router->send(f.alice.id(), signal(SignalMessage::Type::Candidate, 2));
    ASSERT_TRUE(runUntil([&] { return !f.toRelay.isEmpty(); }, 2000)) << "nothing relayed";
    f.router->onRelayFailed(f.carol, protocol::RelayFailed{f.alice.id(), "no link to that device"});
    ASSERT_TRUE(runUntil([&] { return f.dhtToAlice().size() >= 2; }, 2000));
    for (const SignalMessage& m : f.dhtToAlice())
        EXPECT_EQ(m.attempt, 2u);
}

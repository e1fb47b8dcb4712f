// LinkManager over LoopSignaling and RelaySignaling: links identified by DeviceId, glare
// resolved toward the lower DeviceId, signaling relayed through an existing control link.
#include "linkpair.h"

#include "net/linkmanager.h"
#include "net/loopsignaling.h"
#include "net/relaysignaling.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::net;
using namespace plenum::net::test;

namespace {

struct Device {
    explicit Device(const TestIdentity& id)
        : signaling(id.device),
          manager(id.credentials, chainVerifier(), &signaling, loopbackConfig())
    {
        QObject::connect(&manager, &LinkManager::linkUp, [this](DeviceId p) { up.append(p); });
        QObject::connect(&manager, &LinkManager::linkDown,
                         [this](DeviceId p, const QString&) { down.append(p); });
        QObject::connect(&manager, &LinkManager::message,
                         [this](DeviceId, const QByteArray& m) { messages.append(m); });
    }
    LoopSignaling signaling;
    LinkManager manager;
    QList<DeviceId> up;
    QList<DeviceId> down;
    QList<QByteArray> messages;
};

} // namespace

TEST(LinkManager, ConnectToBringsUpOneLinkPerDevice)
{
    ensureApp();
    Device a(LinkPair::identityA()), b(LinkPair::identityB());
    LoopSignaling::connectPair(&a.signaling, &b.signaling);
    ControlLink* link = a.manager.connectTo(b.signaling.self());
    EXPECT_EQ(a.manager.connectTo(b.signaling.self()), link); // same link, not a second one
    ASSERT_TRUE(waitFor([&] { return a.up.size() == 1 && b.up.size() == 1; }, 5000));
    EXPECT_EQ(b.manager.peers(), QList<DeviceId>{a.signaling.self()});
    ASSERT_TRUE(a.manager.link(b.signaling.self())->send("hi").ok());
    ASSERT_TRUE(waitFor([&] { return b.messages.contains("hi"); }, 2000));
}

TEST(LinkManager, GlareKeepsTheLowerDeviceIdsAttempt)
{
    ensureApp();
    Device a(LinkPair::identityA()), b(LinkPair::identityB());
    LoopSignaling::connectPair(&a.signaling, &b.signaling);
    // Both dial at once: one offer crosses the other.
    ControlLink* fromA = a.manager.connectTo(b.signaling.self());
    ControlLink* fromB = b.manager.connectTo(a.signaling.self());
    const quint64 lowerAttempt =
        a.signaling.self() < b.signaling.self() ? fromA->attempt() : fromB->attempt();
    ASSERT_TRUE(waitFor([&] { return !a.up.isEmpty() && !b.up.isEmpty(); }, 5000));
    ControlLink* la = a.manager.link(b.signaling.self());
    ControlLink* lb = b.manager.link(a.signaling.self());
    ASSERT_TRUE(la && lb);
    EXPECT_EQ(la->attempt(), lowerAttempt);
    EXPECT_EQ(lb->attempt(), lowerAttempt);
    EXPECT_EQ(a.up.size(), 1);
    EXPECT_EQ(b.up.size(), 1);
    EXPECT_TRUE(a.down.isEmpty() && b.down.isEmpty());
}

TEST(LinkManager, SevenLinksAtOnceAllComeUp)
{
    ensureApp();
    QList<TestIdentity> ids;
    for (int i = 0; i < 8; ++i)
        ids.append(makeTestIdentity(QStringLiteral("D%1").arg(i)));
    std::vector<std::unique_ptr<Device>> devices;
    for (const auto& id : ids)
        devices.push_back(std::make_unique<Device>(id));
    for (std::size_t i = 1; i < devices.size(); ++i)
        LoopSignaling::connectPair(&devices[0]->signaling, &devices[i]->signaling);
    QElapsedTimer clock;
    clock.start();
    for (std::size_t i = 1; i < devices.size(); ++i)
        devices[0]->manager.connectTo(ids[int(i)].device);
    ASSERT_TRUE(waitFor([&] { return devices[0]->up.size() == 7; }, 10000));
    std::printf("{\"seven_links_all_up_ms\": %lld}\n", qlonglong(clock.elapsed()));
}

TEST(LinkManager, SignalingRelayedThroughAnExistingControlLink)
{
    // A and B already share a link (as a joiner shares one with the SM); a second pair of
    // managers signals through it with RelaySignaling.
    LinkPair carrier;
    carrier.start();
    ASSERT_TRUE(carrier.waitUp());
    const DeviceId idA = LinkPair::identityA().device;
    const DeviceId idB = LinkPair::identityB().device;
    RelaySignaling relayA([&](DeviceId, QByteArray bytes) { (void)carrier.a->send(bytes); });
    RelaySignaling relayB([&](DeviceId, QByteArray bytes) { (void)carrier.b->send(bytes); });
    QObject::connect(carrier.b.get(), &ControlLink::message,
                     [&](const QByteArray& m) { relayB.deliver(idA, m); });
    QObject::connect(carrier.a.get(), &ControlLink::message,
                     [&](const QByteArray& m) { relayA.deliver(idB, m); });
    LinkManager ma(LinkPair::identityA().credentials, chainVerifier(), &relayA, loopbackConfig());
    LinkManager mb(LinkPair::identityB().credentials, chainVerifier(), &relayB, loopbackConfig());
    int upA = 0, upB = 0;
    QObject::connect(&ma, &LinkManager::linkUp, [&] { ++upA; });
    QObject::connect(&mb, &LinkManager::linkUp, [&] { ++upB; });
    ma.connectTo(idB);
    ASSERT_TRUE(waitFor([&] { return upA == 1 && upB == 1; }, 5000));
}

TEST(LinkManager, AcceptFilterRefusesUnwantedDevices)
{
    ensureApp();
    Device a(LinkPair::identityA()), b(LinkPair::identityB());
    LoopSignaling::connectPair(&a.signaling, &b.signaling);
    b.manager.setAcceptFilter([](const DeviceId&) { return false; });
    a.manager.config().connectTimeoutMs = 500; // B stays silent: A gives up after this
    ControlLink* link = a.manager.connectTo(b.signaling.self());
    ASSERT_TRUE(waitFor([&] { return !a.down.isEmpty(); }, 3000));
    EXPECT_TRUE(b.manager.peers().isEmpty());
    Q_UNUSED(link);
}

// Attack: any device that knows our DeviceId sent offer after offer; each built a link (an ICE
// agent and a TLS attempt) with no limit. Now a stranger gets a few attempts per sender and
// strangers together a few per second; trusted devices still link at once.
TEST(LinkManagerAttack, StrangerFloodingLinkOffersIsRateLimitedPerSender)
{
    ensureApp();
    Device victim(LinkPair::identityA()), friendly(LinkPair::identityB());
    const DeviceId friendId = friendly.signaling.self();
    victim.manager.setAcceptPolicy([friendId](const DeviceId& d) {
        return d == friendId ? LinkAdmission::Trusted : LinkAdmission::Stranger;
    });
    int created = 0;
    QObject::connect(&victim.manager, &LinkManager::linkCreated, [&] { ++created; });
    QStringList reasons;
    QObject::connect(&victim.manager, &LinkManager::offerRefused,
                     [&](DeviceId, const QString& why) { reasons.append(why); });
    // Mallory needs no identity to send offers: signaling carries a claimed sender id.
    LoopSignaling mallory(DeviceId::fromNumber(666));
    LoopSignaling::connectPair(&mallory, &victim.signaling);
    for (quint64 attempt = 1; attempt <= 50; ++attempt) {
        SignalMessage offer;
        offer.attempt = attempt;
        offer.ufrag = "abcd";
        offer.password = "0123456789abcdefghijklmn";
        mallory.send(victim.signaling.self(), offer.encode());
    }
    ASSERT_TRUE(waitFor([&] { return created + victim.manager.refusedOffers() >= 50; }, 5000));
    EXPECT_LE(created, LinkAttemptLimits{}.stranger.burst);
    EXPECT_GE(victim.manager.refusedOffers(), 50 - LinkAttemptLimits{}.stranger.burst);
    ASSERT_FALSE(reasons.isEmpty());
    EXPECT_TRUE(reasons.back().contains("too many")) << reasons.back().toStdString();
    // The rightful contact is not held up by the flood.
    LoopSignaling::connectPair(&friendly.signaling, &victim.signaling);
    friendly.manager.connectTo(victim.signaling.self());
    ASSERT_TRUE(waitFor([&] { return friendly.up.size() == 1 && victim.up.size() == 1; }, 5000));
}

TEST(LinkManagerAttack, RefusedDevicesGetNoLinkAtAll)
{
    ensureApp();
    Device victim(LinkPair::identityA()), blocked(LinkPair::identityB());
    victim.manager.setAcceptPolicy([](const DeviceId&) { return LinkAdmission::Refused; });
    LoopSignaling::connectPair(&victim.signaling, &blocked.signaling);
    blocked.manager.config().connectTimeoutMs = 500;
    blocked.manager.connectTo(victim.signaling.self());
    ASSERT_TRUE(waitFor([&] { return !blocked.down.isEmpty(); }, 3000));
    EXPECT_TRUE(victim.manager.peers().isEmpty());
    EXPECT_EQ(victim.manager.refusedOffers(), 1);
}

TEST(LinkManager, NewOfferFromALinkedPeerReplacesTheLinkOnlyOnceUp)
{
    ensureApp();
    Device a(LinkPair::identityA()), b(LinkPair::identityB());
    LoopSignaling::connectPair(&a.signaling, &b.signaling);
    a.manager.connectTo(b.signaling.self());
    ASSERT_TRUE(waitFor([&] { return a.up.size() == 1 && b.up.size() == 1; }, 5000));
    ControlLink* old = a.manager.link(b.signaling.self());
    bool oldDown = false;
    QObject::connect(old, &ControlLink::linkDown, [&] { oldDown = true; });

    // B restarts: a fresh manager with the same identity dials A again.
    Device b2(LinkPair::identityB());
    LoopSignaling::connectPair(&a.signaling, &b2.signaling);
    b2.manager.connectTo(a.signaling.self());
    ASSERT_TRUE(waitFor([&] { return a.up.size() == 2 && b2.up.size() == 1; }, 5000));
    EXPECT_NE(a.manager.link(b.signaling.self()), old);
    EXPECT_TRUE(oldDown);          // the old link was closed...
    EXPECT_TRUE(a.down.isEmpty()); // ...but A's owner never saw the peer go away
    ASSERT_TRUE(a.manager.link(b.signaling.self())->send("on the new link").ok());
    ASSERT_TRUE(waitFor([&] { return b2.messages.contains("on the new link"); }, 2000));
}

// Issue 12 item 5: a peer that gave up an attempt (it restarted, or closed it) dials again.
// The lower DeviceId, still answering the abandoned offer, took the new one for glare and
// dropped it, so the peer could not link until that answer timed out (10 s); the restarted
// member's JOIN failed with "could not reach <member>". The new offer replaces the old answer.
TEST(LinkManager, ANewOfferReplacesOurAnswerToAnAbandonedOne)
{
    ensureApp();
    const bool aLower = LinkPair::identityA().device < LinkPair::identityB().device;
    Device low(aLower ? LinkPair::identityA() : LinkPair::identityB());
    Device high(aLower ? LinkPair::identityB() : LinkPair::identityA());
    // The high device's first attempt: an offer whose sender is gone before any answer.
    LoopSignaling gone(high.signaling.self());
    LoopSignaling::connectPair(&gone, &low.signaling);
    SignalMessage offer;
    offer.attempt = 1;
    offer.ufrag = "abcd";
    offer.password = "0123456789abcdefghijklmn";
    gone.send(low.signaling.self(), offer.encode());
    ASSERT_TRUE(waitFor([&] { return low.manager.link(high.signaling.self()) != nullptr; }, 2000));
    ASSERT_NE(low.manager.link(high.signaling.self())->state(), ControlLink::State::Up);

    // It comes back and dials again: linked at once, not after the old answer's timeout.
    LoopSignaling::connectPair(&high.signaling, &low.signaling);
    QElapsedTimer clock;
    clock.start();
    high.manager.connectTo(low.signaling.self());
    ASSERT_TRUE(waitFor([&] { return !high.up.isEmpty() && !low.up.isEmpty(); }, 5000))
        << "not linked within 5 s (the abandoned answer times out after "
        << low.manager.config().connectTimeoutMs << " ms)";
    EXPECT_LT(clock.elapsed(), low.manager.config().connectTimeoutMs);
}

// Issue 15, the way back: a member dialled the device that had just left, then closed that
// attempt before it came up (the swap committed: no session needed it). Closing a connecting
// link told the device nothing, so its answer sat "connecting" until the connect timeout, and
// when the device came back its own dial returned that dead link: its JOIN could not reach the
// member. The peer's Cancel takes the answer down at once and the next dial is a fresh one.
TEST(LinkManager, AnAttemptThePeerGaveUpGoesDownSoOurDialIsAFreshOne)
{
    ensureApp();
    Device a(LinkPair::identityA()), b(LinkPair::identityB());
    a.manager.config().connectTimeoutMs = 8000;
    b.manager.config().connectTimeoutMs = 8000;
    // B's attempt whose ICE cannot complete (no candidates ever come): A answers it.
    LoopSignaling gone(b.signaling.self());
    LoopSignaling::connectPair(&gone, &a.signaling);
    SignalMessage offer;
    offer.attempt = 1;
    offer.ufrag = "abcd";
    offer.password = "0123456789abcdefghijklmn";
    gone.send(a.signaling.self(), offer.encode());
    ASSERT_TRUE(waitFor([&] { return a.manager.link(b.signaling.self()) != nullptr; }, 2000));
    ControlLink* answer = a.manager.link(b.signaling.self());
    ASSERT_TRUE(answer->answering());
    bool answerDown = false;
    QObject::connect(answer, &ControlLink::linkDown, [&] { answerDown = true; });

    // B gives that attempt up (the manager's close of a connecting link sends this).
    SignalMessage cancel;
    cancel.type = SignalMessage::Type::Cancel;
    cancel.attempt = 1;
    gone.send(a.signaling.self(), cancel.encode());
    ASSERT_TRUE(waitFor([&] { return answerDown; }, 2000)) << "the abandoned answer stayed";

    // A dials B: a new attempt, linked well before the connect timeout.
    LoopSignaling::connectPair(&a.signaling, &b.signaling);
    QElapsedTimer clock;
    clock.start();
    ControlLink* dial = a.manager.connectTo(b.signaling.self());
    EXPECT_FALSE(dial->answering());
    ASSERT_TRUE(waitFor([&] { return !a.up.isEmpty() && !b.up.isEmpty(); }, 5000));
    EXPECT_LT(clock.elapsed(), a.manager.config().connectTimeoutMs);
}

// The manager's own close of a connecting attempt is what sends the Cancel.
TEST(LinkManager, ClosingAConnectingAttemptCancelsItAtThePeer)
{
    ensureApp();
    Device a(LinkPair::identityA());
    const DeviceId b = LinkPair::identityB().device;
    LoopSignaling spy(b); // B's end of the signaling: it records, never answers
    LoopSignaling::connectPair(&a.signaling, &spy);
    QList<SignalMessage> heard;
    QObject::connect(&spy, &Signaling::received, [&](DeviceId, const QByteArray& bytes) {
        if (auto m = SignalMessage::decode(bytes)) heard.append(m.value());
    });
    ControlLink* dial = a.manager.connectTo(b);
    const quint64 attempt = dial->attempt();
    ASSERT_TRUE(waitFor([&] { return !heard.isEmpty(); }, 2000));
    a.manager.disconnectFrom(b, QStringLiteral("no session needs this link"));
    EXPECT_EQ(dial->state(), ControlLink::State::Down);
    const auto cancelled = [&] {
        return std::any_of(heard.cbegin(), heard.cend(), [&](const SignalMessage& m) {
            return m.type == SignalMessage::Type::Cancel && m.attempt == attempt;
        });
    };
    EXPECT_TRUE(waitFor(cancelled, 2000)) << "the peer was not told";
}

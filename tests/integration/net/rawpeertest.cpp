// A misbehaving peer assembled from the public layers (IceLink + TlsChannel, no
// ControlLink) attacks a ControlLink after a good handshake. The victim must drop that
// link with a reason and keep its other links running.
#include "linkpair.h"

#include "net/icelink.h"
#include "net/tlschannel.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::net;
using namespace plenum::net::test;

namespace {

const TestIdentity& identityC()
{
    static const TestIdentity id = makeTestIdentity(QStringLiteral("C"));
    return id;
}

// Device C's side, speaking TLS correctly but framing whatever the test says.
class RawPeer {
public:
    explicit RawPeer(ControlLink* victim)
    {
        const DeviceId self = identityC().device;
        const DeviceId victimId = victim->self();
        const bool controlling = self < victimId;
        ice = std::make_unique<IceLink>(loopbackConfig().ice, IceLink::Mode::Reliable, controlling);
        tls = std::make_unique<TlsChannel>(
            ice.get(), controlling ? TlsChannel::Role::Client : TlsChannel::Role::Server,
            identityC().credentials, chainVerifier(), victimId);
        QObject::connect(tls.get(), &TlsChannel::established, [this] { established = true; });
        QObject::connect(tls.get(), &TlsChannel::failed, [this](const QString& r) {
            failed = true;
            reason = r;
        });
        QObject::connect(ice.get(), &IceLink::localCandidate, [victim](const QByteArray& line) {
            victim->handleSignal({SignalMessage::Type::Candidate, 7, {}, {}, line});
        });
        QObject::connect(ice.get(), &IceLink::localCandidatesDone, [victim] {
            victim->handleSignal({SignalMessage::Type::CandidatesDone, 7, {}, {}, {}});
        });
        victim->setSignalSender([this](const QByteArray& bytes) {
            auto m = SignalMessage::decode(bytes);
            if (!m) return;
            if (m->type == SignalMessage::Type::Answer)
                (void)ice->setRemoteCredentials(m->ufrag, m->password);
            else if (m->type == SignalMessage::Type::Candidate)
                (void)ice->addRemoteCandidate(m->candidate);
            else if (m->type == SignalMessage::Type::CandidatesDone)
                ice->remoteCandidatesDone();
        });
        EXPECT_TRUE(ice->start().ok());
        EXPECT_TRUE(
            victim
                ->acceptOffer(
                    {SignalMessage::Type::Offer, 7, ice->localUfrag(), ice->localPassword(), {}})
                .ok());
        EXPECT_TRUE(ice->gather().ok());
    }
    ~RawPeer()
    {
        tls.reset(); // refers to ice
    }

    std::unique_ptr<IceLink> ice;
    std::unique_ptr<TlsChannel> tls;
    bool established = false;
    bool failed = false;
    QString reason;
};

// A's link to C, plus a healthy A-B pair that must survive the attack.
struct Attack {
    LinkPair healthy;
    std::unique_ptr<ControlLink> victim;
    LinkEvents ev;
    std::unique_ptr<RawPeer> raw;

    void setUp()
    {
        healthy.start();
        ASSERT_TRUE(healthy.waitUp());
        victim = std::make_unique<ControlLink>(LinkPair::identityA().credentials, chainVerifier(),
                                               identityC().device, loopbackConfig());
        ev.watch(victim.get());
        raw = std::make_unique<RawPeer>(victim.get());
        ASSERT_TRUE(waitFor([&] { return raw->established; }, 5000));
        // A valid first frame brings the victim's link up.
        raw->tls->write(Framing::encode(Frame::Kind::Data, "hello"));
        ASSERT_TRUE(waitFor([&] { return ev.up; }, 5000));
        ASSERT_EQ(ev.messages.value(0), QByteArray("hello"));
    }

    void expectHealthyLinkStillWorks()
    {
        ASSERT_TRUE(healthy.a->send("still here").ok());
        ASSERT_TRUE(waitFor([&] { return healthy.eb.messages.contains("still here"); }, 3000));
        EXPECT_FALSE(healthy.ea.down || healthy.eb.down);
    }
};

} // namespace

TEST(GarbagePeer, OversizedFrameHeaderClosesOnlyThatLink)
{
    Attack attack;
    attack.setUp();
    if (HasFatalFailure()) return;
    attack.raw->tls->write(QByteArray("\xff\xff\xff\xf0garbage garbage garbage", 27));
    ASSERT_TRUE(waitFor([&] { return attack.ev.down; }, 3000));
    EXPECT_TRUE(attack.ev.reason.contains(QStringLiteral("limit")))
        << attack.ev.reason.toStdString();
    attack.expectHealthyLinkStillWorks();
}

TEST(GarbagePeer, UnknownFrameKindClosesOnlyThatLink)
{
    Attack attack;
    attack.setUp();
    if (HasFatalFailure()) return;
    attack.raw->tls->write(QByteArray("\x00\x00\x00\x02\x7f\x00", 6));
    ASSERT_TRUE(waitFor([&] { return attack.ev.down; }, 3000));
    EXPECT_TRUE(attack.ev.reason.contains(QStringLiteral("unknown kind")))
        << attack.ev.reason.toStdString();
    attack.expectHealthyLinkStillWorks();
}

TEST(GarbagePeer, NonTlsBytesOnTheStreamCloseOnlyThatLink)
{
    Attack attack;
    attack.setUp();
    if (HasFatalFailure()) return;
    const QByteArray junk(600, '\x42');
    ASSERT_GT(attack.raw->ice->send(junk.constData(), junk.size()), 0);
    ASSERT_TRUE(waitFor([&] { return attack.ev.down; }, 3000));
    EXPECT_TRUE(attack.ev.reason.contains(QStringLiteral("TLS"))) << attack.ev.reason.toStdString();
    attack.expectHealthyLinkStillWorks();
}

TEST(GarbagePeer, MalformedPingClosesTheLink)
{
    Attack attack;
    attack.setUp();
    if (HasFatalFailure()) return;
    attack.raw->tls->write(Framing::encode(Frame::Kind::Ping, "ab"));
    ASSERT_TRUE(waitFor([&] { return attack.ev.down; }, 3000));
    EXPECT_TRUE(attack.ev.reason.contains(QStringLiteral("ping")))
        << attack.ev.reason.toStdString();
    attack.expectHealthyLinkStillWorks();
}

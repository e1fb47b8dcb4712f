// The relay end of relayed signaling (issue 11): it forwards only between two devices the named
// session knows, only over a link that is up, within its rate limits, and says why it refused.
#include "node/signalrelay.h"

#include <QSet>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::node;

namespace {

struct Fixture {
    SessionId sid = SessionId::fromNumber(1);
    DeviceId joiner = DeviceId::fromNumber(2), member = DeviceId::fromNumber(3),
             outsider = DeviceId::fromNumber(4);
    QSet<DeviceId> up{joiner, member, outsider};
    std::vector<std::pair<DeviceId, protocol::Message>> sent;
    QHash<DeviceId, QList<QByteArray>> chains;
    SignalRelay relay{SignalRelay::Hooks{
        [this](const SessionId& s, const DeviceId& d) {
            return s == sid && (d == joiner || d == member);
        },
        [this](const DeviceId& d) { return up.contains(d); },
        [this](const DeviceId& to, const protocol::Message& m) { sent.emplace_back(to, m); },
        [](const SessionId& s) {
            return protocol::Header{s, 1, 1, {}};
        },
        [this](const DeviceId& d) { return chains.value(d); }}};

    protocol::Header header() const { return {sid, 1, 1, {}}; }
    QString lastFailure() const
    {
        const auto* f = std::get_if<protocol::RelayFailed>(&sent.back().second.body);
        return f ? f->reason : QString();
    }
};

} // namespace

TEST(SignalRelay, ForwardsBetweenDevicesTheSessionKnows)
{
    Fixture f;
    f.relay.onSignal(f.joiner, f.header(), {f.member, "sealed"});
    ASSERT_EQ(f.sent.size(), 1u);
    EXPECT_EQ(f.sent[0].first, f.member);
    const auto& m = std::get<protocol::RelaySignal>(f.sent[0].second.body);
    EXPECT_EQ(m.peer, f.joiner); // the recipient learns who sent it
    EXPECT_TRUE(m.delivered);
    EXPECT_EQ(m.sealed, "sealed");
    EXPECT_EQ(f.relay.forwarded(), 1);
}

TEST(SignalRelay, IsNotAnOpenRelay)
{
    Fixture f;
    f.relay.onSignal(f.outsider, f.header(), {f.member, "x"});
    EXPECT_EQ(f.sent.back().first, f.outsider);
    EXPECT_EQ(f.lastFailure(), "the session does not know both devices");
    f.relay.onSignal(f.joiner, f.header(), {f.outsider, "x"});
    EXPECT_EQ(f.lastFailure(), "the session does not know both devices");
    f.relay.onSignal(f.joiner, {SessionId::fromNumber(9), 1, 1, {}}, {f.member, "x"});
    EXPECT_EQ(f.lastFailure(), "the session does not know both devices");
    f.up.remove(f.member);
    f.relay.onSignal(f.joiner, f.header(), {f.member, "x"});
    EXPECT_EQ(f.lastFailure(), "no link to that device");
    f.relay.setEnabled(false);
    f.up.insert(f.member);
    f.relay.onSignal(f.joiner, f.header(), {f.member, "x"});
    EXPECT_EQ(f.lastFailure(), "this device does not relay");
    EXPECT_EQ(f.relay.forwarded(), 0);
    EXPECT_EQ(f.relay.refused(), 5);
}

TEST(SignalRelay, RateLimitsEachSender)
{
    Fixture f;
    int forwarded = 0;
    for (int i = 0; i < SignalRelay::kPerSender.burst + 50; ++i) {
        f.relay.onSignal(f.joiner, f.header(), {f.member, "x"});
        forwarded = f.relay.forwarded();
    }
    // A burst, then (in a fast loop) at most a few refills.
    EXPECT_GE(forwarded, SignalRelay::kPerSender.burst);
    EXPECT_LT(forwarded, SignalRelay::kPerSender.burst + 50);
    EXPECT_EQ(f.lastFailure(), "too many relay requests");
}

TEST(SignalRelay, HandsOutOnlyKnownCertificates)
{
    Fixture f;
    f.relay.onKeyRequest(f.joiner, f.header(), {f.member});
    EXPECT_EQ(f.lastFailure(), "the device's certificates are not known here");
    f.chains.insert(f.member, {"link-der", "device-der", "account-der"});
    f.relay.onKeyRequest(f.joiner, f.header(), {f.member});
    const auto* key = std::get_if<protocol::RelayKey>(&f.sent.back().second.body);
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->device, f.member);
    EXPECT_EQ(key->deviceCert, "device-der");
    EXPECT_EQ(key->accountCert, "account-der");
    f.relay.onKeyRequest(f.outsider, f.header(), {f.member});
    EXPECT_EQ(f.lastFailure(), "the session does not know both devices");
}

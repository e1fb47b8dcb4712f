// The hand-off snapshot (DESIGN §8 step 2): A2 takes it only from a device of its own account,
// signed, for its own seat, with every chat message still signed by its author; and it is
// bounded in size.
#include "handoff/snapshot.h"

#include "chat/chatsignature.h"
#include "protocol/codec.h"
#include "protocol/limits.h"
#include "testchain.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::handoff;
using protocol::ChatMessage;
using protocol::HandoffSnapshot;
using TestChain = crypto::test::TestChain;

namespace {

const SessionId kSid = SessionId::fromNumber(15);

// Another device of `first`'s account (the phone beside the desktop).
struct SecondDevice {
    crypto::PrivateKey deviceKey, linkKey;
    crypto::VerifiedChain chain;
    explicit SecondDevice(const TestChain& first)
    {
        using namespace crypto;
        deviceKey = PrivateKey::generate(KeyKind::Ed25519).value();
        linkKey = PrivateKey::generate(KeyKind::Ed25519).value();
        const Certificate device =
            issueCertificate(deviceKey, QStringLiteral("phone"), CertRole::Device, &first.account,
                             first.accountKey)
                .value();
        const Certificate link =
            issueCertificate(linkKey, QStringLiteral("link"), CertRole::Link, &device, deviceKey)
                .value();
        chain = verifyChain({link, device, first.account}).value();
    }
    DeviceId id() const { return chain.device; }
};

ChatMessage said(const TestChain& by, std::uint64_t seq, const QString& text)
{
    ChatMessage m;
    m.sender = by.id();
    m.seq = seq;
    m.lamport = seq + 100;
    m.author = by.accountId();
    m.text = text;
    chat::signChat(m, kSid, by.linkKey);
    return m;
}

class Snapshot : public ::testing::Test {
protected:
    TestChain a1{QStringLiteral("alice")}, bob{QStringLiteral("bob")},
        carol{QStringLiteral("carol")}, mallory{QStringLiteral("mallory")};
    SecondDevice a2{a1};
    crypto::LinkKeyRing ring; // what A2 knows: its own account's desktop, bob, mallory

    void SetUp() override
    {
        ring.learn(a1.chain);
        ring.learn(bob.chain);
        ring.learn(mallory.chain);
    }
    SnapshotInput input(const TestChain& from)
    {
        SnapshotInput in;
        in.sid = kSid;
        in.seat = {a2.id(), from.id(), from.accountId(), 60000, false};
        in.roster.at = {2, 9};
        in.roster.sm = bob.id();
        in.roster.members = {{from.id(), from.accountId(), QStringLiteral("Alice")},
                             {bob.id(), bob.accountId(), QStringLiteral("Bob")}};
        in.epoch = 2;
        in.history = {said(bob, 1, QStringLiteral("hi")), said(from, 1, QStringLiteral("hey")),
                      said(bob, 2, QStringLiteral("moving to your phone?"))};
        in.lastSeqs = {{bob.id(), 2}, {from.id(), 1}};
        in.call = {true, true, false, 4};
        in.priority = 3;
        return in;
    }
    HandoffSnapshot signedBy(const SnapshotInput& in, const crypto::PrivateKey& key)
    {
        return makeSnapshot(in, [&](const QByteArray& d) { return key.sign(d); });
    }
    SnapshotVerdict check(const HandoffSnapshot& s, const DeviceId& from)
    {
        return checkSnapshot(kSid, s, from, a2.id(), a1.accountId(), ring);
    }
};

} // namespace

TEST_F(Snapshot, FromOwnAccountItSurvivesTheWireAndIsAccepted)
{
    const HandoffSnapshot s = signedBy(input(a1), a1.linkKey);
    auto decoded = protocol::decode(encodeSnapshot(kSid, s));
    ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
    const auto& got = std::get<HandoffSnapshot>(decoded->body);
    EXPECT_EQ(got.history, s.history);
    EXPECT_EQ(got.lastSeqs, s.lastSeqs);
    EXPECT_EQ(got.call, s.call);
    EXPECT_EQ(got.members, s.members);
    const SnapshotVerdict v = check(got, a1.id());
    EXPECT_TRUE(v.ok) << v.reason.toStdString();
    EXPECT_TRUE(v.unverified.isEmpty());
}

TEST_F(Snapshot, FromAnotherAccountItIsRefused)
{
    // Mallory claims a seat of Alice's account for Alice's phone.
    SnapshotInput in = input(mallory);
    in.seat.account = a1.accountId();
    const SnapshotVerdict v = check(signedBy(in, mallory.linkKey), mallory.id());
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.reason.toStdString(), "the snapshot comes from a device of another account");
}

TEST_F(Snapshot, AlteredOrWronglySignedItIsRefused)
{
    HandoffSnapshot s = signedBy(input(a1), a1.linkKey);
    s.priority = 9; // changed on the way
    EXPECT_EQ(check(s, a1.id()).reason.toStdString(),
              "the snapshot's signature does not match its sender (forged or altered)");
    // Signed by someone else's key in A1's name.
    EXPECT_FALSE(check(signedBy(input(a1), mallory.linkKey), a1.id()).ok);
    // Relayed by another device than the one it replaces.
    EXPECT_EQ(check(signedBy(input(a1), a1.linkKey), bob.id()).reason.toStdString(),
              "the snapshot does not come from the device it replaces");
}

TEST_F(Snapshot, AForgedChatMessageInsideMakesItRefused)
{
    SnapshotInput in = input(a1);
    ChatMessage forged = in.history[2];
    forged.text = QStringLiteral("bob never said this");
    in.history[2] = forged; // bob's signature no longer matches
    const SnapshotVerdict v = check(signedBy(in, a1.linkKey), a1.id());
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.reason.toStdString(), "a chat message in the snapshot is not signed by its author");
}

TEST_F(Snapshot, MessagesOfAuthorsNotYetKnownWaitForTheirChains)
{
    SnapshotInput in = input(a1);
    in.history.append(said(carol, 1, QStringLiteral("hello from carol")));
    const SnapshotVerdict v = check(signedBy(in, a1.linkKey), a1.id());
    ASSERT_TRUE(v.ok) << v.reason.toStdString();
    ASSERT_EQ(v.unverified.size(), 1);
    EXPECT_EQ(v.unverified[0].sender, carol.id());
}

TEST_F(Snapshot, ItIsForItsSeatOnly)
{
    SnapshotInput in = input(a1);
    in.seat.device = carol.id();
    EXPECT_EQ(check(signedBy(in, a1.linkKey), a1.id()).reason.toStdString(),
              "the snapshot is for another device");
}

TEST_F(Snapshot, ItIsBoundedAndKeepsTheNewestHistory)
{
    SnapshotInput in = input(a1);
    in.history.clear();
    const QString text(4000, QLatin1Char('x'));
    for (std::uint64_t seq = 1; seq <= 300; ++seq)
        in.history.append(said(bob, seq, text));
    const HandoffSnapshot s = signedBy(in, a1.linkKey);
    const QByteArray bytes = encodeSnapshot(kSid, s);
    EXPECT_LE(static_cast<std::size_t>(bytes.size()), protocol::limits::kMaxMessageBytes);
    ASSERT_FALSE(s.history.isEmpty());
    EXPECT_LT(s.history.size(), 300);
    EXPECT_EQ(s.history.last().seq, 300u) << "the newest message must be kept";
    auto decoded = protocol::decode(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
    EXPECT_TRUE(check(std::get<HandoffSnapshot>(decoded->body), a1.id()).ok);

    // Short messages: the count bound applies.
    in.history.clear();
    for (std::uint64_t seq = 1; seq <= 300; ++seq)
        in.history.append(said(bob, seq, QStringLiteral("k")));
    const HandoffSnapshot counted = signedBy(in, a1.linkKey);
    EXPECT_EQ(static_cast<std::size_t>(counted.history.size()),
              protocol::limits::kMaxSnapshotMessages);
    EXPECT_EQ(counted.history.last().seq, 300u);
}

// Signed chat (DESIGN §6): a member cannot speak for another member, and every copy of a
// message is checked against its author, whoever relays it.

#include "chat/chatsignature.h"
#include "chat/visibility.h"
#include "protocol/codec.h"
#include "testchain.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::chat;
using protocol::ChatMessage;

namespace {

using TestDevice = crypto::test::TestChain;

const SessionId kSid = SessionId::fromNumber(77);

ChatMessage messageBy(const TestDevice& d, std::uint64_t seq, const QString& text)
{
    ChatMessage m;
    m.sender = d.id();
    m.seq = seq;
    m.lamport = seq + 10;
    m.author = d.accountId();
    m.text = text;
    signChat(m, kSid, d.linkKey);
    return m;
}

} // namespace

TEST(ChatSignature, SignedMessageVerifiesAndSurvivesTheWire)
{
    TestDevice alice("alice");
    crypto::LinkKeyRing ring;
    ASSERT_TRUE(ring.learn(alice.chain));
    const ChatMessage m = messageBy(alice, 1, QStringLiteral("hello 👋"));
    EXPECT_EQ(m.signature.size(), 64);
    auto decoded = protocol::decode(protocol::encode({{kSid, 1, 1, alice.id()}, m}));
    ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
    EXPECT_EQ(verifyChat(std::get<ChatMessage>(decoded->body), kSid, ring), ChatVerdict::Valid);
}

// Attack: Mallory, a member, relays a message in Alice's name (Alice's sender id and account)
// with her own text. Unsigned chat trusted whatever the relayed copy said.
TEST(ChatSignatureAttack, MemberCannotRelayAMessageInAnotherMembersName)
{
    TestDevice alice("alice"), mallory("mallory");
    crypto::LinkKeyRing ring;
    ring.learn(alice.chain);
    ring.learn(mallory.chain);
    ChatMessage forged;
    forged.sender = alice.id();
    forged.seq = 5;
    forged.lamport = 9;
    forged.author = alice.accountId();
    forged.text = QStringLiteral("send me your password");
    EXPECT_EQ(verifyChat(forged, kSid, ring), ChatVerdict::Unsigned);
    signChat(forged, kSid, mallory.linkKey); // signed, but not by Alice
    EXPECT_EQ(verifyChat(forged, kSid, ring), ChatVerdict::BadSignature);
    // Mallory signing as herself but naming Alice's account: her chain says otherwise.
    ChatMessage asAlice = messageBy(mallory, 1, QStringLiteral("I am Alice"));
    asAlice.author = alice.accountId();
    signChat(asAlice, kSid, mallory.linkKey);
    EXPECT_EQ(verifyChat(asAlice, kSid, ring), ChatVerdict::WrongAccount);
}

// Attack: a relay alters a real message (text, Lamport stamp, recipients, or replays it into
// another session). Every field the author set is covered by the signature.
TEST(ChatSignatureAttack, RelayedCopyThatWasAlteredIsRefused)
{
    TestDevice alice("alice"), bob("bob");
    crypto::LinkKeyRing ring;
    ring.learn(alice.chain);
    const ChatMessage real = messageBy(alice, 3, QStringLiteral("meet at 5"));
    ASSERT_EQ(verifyChat(real, kSid, ring), ChatVerdict::Valid);
    auto altered = [&](auto change) {
        ChatMessage m = real;
        change(m);
        return verifyChat(m, kSid, ring);
    };
    EXPECT_EQ(altered([](ChatMessage& m) { m.text = QStringLiteral("meet at 6"); }),
              ChatVerdict::BadSignature);
    EXPECT_EQ(altered([](ChatMessage& m) { m.lamport += 1; }), ChatVerdict::BadSignature);
    EXPECT_EQ(altered([](ChatMessage& m) { m.seq += 1; }), ChatVerdict::BadSignature);
    EXPECT_EQ(altered([&](ChatMessage& m) { m.recipients = {bob.id()}; }),
              ChatVerdict::BadSignature);
    EXPECT_EQ(verifyChat(real, SessionId::fromNumber(78), ring), ChatVerdict::BadSignature);
    // An author whose chain we never saw cannot be checked (the caller keeps it pending).
    EXPECT_EQ(verifyChat(messageBy(bob, 1, QStringLiteral("hi")), kSid, ring),
              ChatVerdict::UnknownAuthor);
}

TEST(ChatSignature, StubsCarryNoSignatureAndAreRecognised)
{
    TestDevice alice("alice"), bob("bob");
    crypto::LinkKeyRing ring;
    ring.learn(alice.chain);
    ChatMessage side = messageBy(alice, 2, QStringLiteral("just for Bob"));
    side.recipients = {bob.id()};
    signChat(side, kSid, alice.linkKey);
    EXPECT_EQ(verifyChat(side, kSid, ring), ChatVerdict::Valid);
    const ChatMessage stub = stubOf(side);
    EXPECT_TRUE(stub.signature.isEmpty());
    EXPECT_EQ(verifyChat(stub, kSid, ring), ChatVerdict::Stub);
    // A stub that claims a signature is refused by the codec.
    ChatMessage bad = stub;
    bad.signature = side.signature;
    EXPECT_FALSE(protocol::decode(protocol::encode({{kSid, 1, 1, alice.id()}, bad})).ok());
}

TEST(LinkKeyRing, LearnsOnlyVerifiedChainsAndNewerKeysReplaceOlder)
{
    TestDevice alice("alice"), mallory("mallory");
    crypto::LinkKeyRing ring;
    // Mallory's link certificate presented with Alice's device and account: does not verify.
    EXPECT_FALSE(ring.learnChain({mallory.link, alice.device, alice.account}).ok());
    EXPECT_FALSE(ring.knows(alice.id()));
    EXPECT_TRUE(ring.learnChain({alice.link, alice.device, alice.account}).ok());
    ASSERT_TRUE(ring.knows(alice.id()));
    EXPECT_EQ(ring.entry(alice.id())->account, alice.accountId());
    EXPECT_FALSE(ring.learn(crypto::VerifiedChain{})); // no link certificate
}

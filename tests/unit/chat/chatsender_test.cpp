#include "chat/chatsender.h"
#include "chat/visibility.h"
#include "protocol/codec.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::chat;

namespace {

const DeviceId kSelf = DeviceId::fromNumber(1);
const DeviceId kB = DeviceId::fromNumber(2);
const DeviceId kC = DeviceId::fromNumber(3);
const DeviceId kD = DeviceId::fromNumber(4);

ChatSender makeSender()
{
    ChatSender s(kSelf, AccountId::fromNumber(11), ChatSender::Options{1000});
    (void)s.setMembers({kB, kC, kD});
    for (const auto& p : {kB, kC, kD})
        (void)s.onLinkUp(p, 0);
    return s;
}

QList<DeviceId> targets(const ChatSender::Output& out)
{
    QList<DeviceId> to;
    for (const auto& o : out.sends)
        to.append(o.to);
    return to;
}

} // namespace

TEST(ChatSender, CountersIncreaseAndFollowObservedClock)
{
    ChatSender s = makeSender();
    const auto a = s.compose(QStringLiteral("a"));
    s.observe(40);
    const auto b = s.compose(QStringLiteral("b"));
    EXPECT_EQ(a.seq, 1u);
    EXPECT_EQ(a.lamport, 1u);
    EXPECT_EQ(b.seq, 2u);
    EXPECT_EQ(b.lamport, 41u);
    EXPECT_EQ(b.author, AccountId::fromNumber(11));
}

TEST(ChatSender, ResumesFromStoredMaxima)
{
    ChatSender s(kSelf, AccountId::fromNumber(11));
    s.resume(17, 230);
    const auto m = s.compose(QStringLiteral("after restart"));
    EXPECT_EQ(m.seq, 18u);
    EXPECT_EQ(m.lamport, 231u);
}

TEST(ChatSender, DeliveredToAllOnlyAfterEveryAck)
{
    ChatSender s = makeSender();
    const auto m = s.compose(QStringLiteral("hi"));
    const auto out = s.send(m, 0);
    EXPECT_EQ(targets(out), (QList<DeviceId>{kB, kC, kD}));
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Pending);
    (void)s.onAck(kB, {kSelf, m.seq});
    (void)s.onAck(kC, {kSelf, m.seq});
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Pending);
    EXPECT_EQ(s.receipt(m.seq)->pending, QList<DeviceId>{kD});
    const auto last = s.onAck(kD, {kSelf, m.seq});
    EXPECT_EQ(last.changed, QList<std::uint64_t>{m.seq});
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Delivered);
}

TEST(ChatSender, NotDeliveredToXAfterTimeoutThenRetriedWhenXComesBack)
{
    ChatSender s = makeSender();
    s.onLinkDown(kD);
    const auto m = s.compose(QStringLiteral("hi"));
    EXPECT_EQ(targets(s.send(m, 0)), (QList<DeviceId>{kB, kC}));
    (void)s.onAck(kB, {kSelf, m.seq});
    (void)s.onAck(kC, {kSelf, m.seq});
    EXPECT_EQ(s.nextDeadline(), 1000);
    EXPECT_TRUE(s.onTick(999).changed.isEmpty());
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Pending);
    EXPECT_EQ(s.onTick(1000).changed, QList<std::uint64_t>{m.seq});
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::NotDelivered);
    EXPECT_EQ(s.receipt(m.seq)->notDelivered, QList<DeviceId>{kD});

    const auto retry = s.onLinkUp(kD, 5000);
    ASSERT_EQ(retry.sends.size(), 1);
    EXPECT_EQ(retry.sends[0].to, kD);
    EXPECT_EQ(retry.sends[0].message, m);
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Pending);
    (void)s.onAck(kD, {kSelf, m.seq});
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Delivered);
    EXPECT_TRUE(s.onLinkUp(kD, 6000).sends.isEmpty()) << "acknowledged messages are not resent";
}

TEST(ChatSender, SideChatGoesInFullOnlyToRecipientsOthersGetAStub)
{
    ChatSender s = makeSender();
    const auto m = s.compose(QStringLiteral("just us"), {kC});
    const auto out = s.send(m, 0);
    ASSERT_EQ(out.sends.size(), 3);
    for (const auto& o : out.sends) {
        if (o.to == kC) {
            EXPECT_EQ(o.message.text, QStringLiteral("just us"));
        } else {
            EXPECT_TRUE(isStub(o.message));
            EXPECT_TRUE(o.message.text.isEmpty());
            EXPECT_FALSE(o.message.recipients.contains(kC)) << "a stub hides the recipients";
        }
    }
    EXPECT_EQ(s.receipt(m.seq)->pending, QList<DeviceId>{kC});
}

TEST(ChatSender, AMemberWhoLeftIsNoLongerWaitedFor)
{
    ChatSender s = makeSender();
    const auto m = s.compose(QStringLiteral("hi"));
    (void)s.send(m, 0);
    (void)s.onAck(kB, {kSelf, m.seq});
    (void)s.onAck(kC, {kSelf, m.seq});
    EXPECT_EQ(s.setMembers({kB, kC}).changed, QList<std::uint64_t>{m.seq});
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Delivered);
}

TEST(ChatSender, AcksFromStrangersOrForOthersAreIgnored)
{
    ChatSender s = makeSender();
    const auto m = s.compose(QStringLiteral("side"), {kB});
    (void)s.send(m, 0);
    EXPECT_TRUE(s.onAck(kC, {kSelf, m.seq}).changed.isEmpty());
    EXPECT_TRUE(s.onAck(kB, {kC, m.seq}).changed.isEmpty());
    EXPECT_TRUE(s.onAck(kB, {kSelf, 99}).changed.isEmpty());
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Pending);
}

TEST(ChatSender, RetryResendsOnlyToThoseWhoDidNotAcknowledge)
{
    ChatSender s = makeSender();
    const auto m = s.compose(QStringLiteral("retry me"));
    (void)s.send(m, 0);
    (void)s.onAck(kB, {kSelf, m.seq});
    s.onLinkDown(kD);
    (void)s.onTick(1000);
    ASSERT_EQ(s.receipt(m.seq)->state, Delivery::NotDelivered);

    const auto out = s.retry(m.seq, 1500);
    EXPECT_EQ(targets(out), QList<DeviceId>{kC}) << "B acknowledged; D's link is down";
    EXPECT_EQ(out.changed, QList<std::uint64_t>{m.seq});
    const auto r = s.receipt(m.seq);
    EXPECT_EQ(r->state, Delivery::Pending);
    EXPECT_EQ(r->pending.size(), 2);
    EXPECT_EQ(s.nextDeadline(), 2500) << "a fresh timeout";

    (void)s.onAck(kC, {kSelf, m.seq});
    (void)s.onAck(kD, {kSelf, m.seq});
    EXPECT_EQ(s.receipt(m.seq)->state, Delivery::Delivered);
    EXPECT_TRUE(s.retry(m.seq, 3000).sends.isEmpty()) << "nothing left to retry";
    EXPECT_TRUE(s.retry(999, 3000).changed.isEmpty()) << "unknown message";
}

// Issue 12 item 5: what a device said while it was out (rejoining) was dropped by the
// members, who did not list it; readmitted, it sends every unacknowledged message again.
TEST(ChatSender, ReadmittedItSendsAgainWhatWasNotAcknowledged)
{
    ChatSender s = makeSender();
    const auto held = s.compose(QStringLiteral("said while out"));
    const auto seen = s.compose(QStringLiteral("acknowledged by all"));
    (void)s.send(held, 0);
    (void)s.send(seen, 0);
    for (const auto& p : {kB, kC, kD})
        (void)s.onAck(p, {kSelf, seen.seq});
    (void)s.onAck(kB, {kSelf, held.seq});

    const auto out = s.resendUnacknowledged(500);
    EXPECT_EQ(targets(out), (QList<DeviceId>{kC, kD}));
    for (const auto& o : out.sends)
        EXPECT_EQ(o.message.seq, held.seq);
    EXPECT_EQ(out.changed, QList<std::uint64_t>{held.seq});
    EXPECT_EQ(s.nextDeadline(), 1500) << "a fresh timeout";
}

// Refused for good: the held message is "not delivered" at once, to everyone still waited for.
TEST(ChatSender, AbandonedMessagesAreNotDeliveredAtOnce)
{
    ChatSender s = makeSender();
    const auto m = s.compose(QStringLiteral("never left"));
    (void)s.send(m, 0);
    (void)s.onAck(kB, {kSelf, m.seq});
    const auto out = s.abandon();
    EXPECT_EQ(out.changed, QList<std::uint64_t>{m.seq});
    const auto r = s.receipt(m.seq);
    EXPECT_EQ(r->state, Delivery::NotDelivered);
    EXPECT_EQ(r->notDelivered, (QList<DeviceId>{kC, kD}));
    EXPECT_FALSE(s.nextDeadline().has_value()) << "nothing left to wait for";
    EXPECT_TRUE(s.abandon().changed.isEmpty()) << "once";
}

// Attack: one CHAT with Lamport 2^62-1 pushed every receiver's clock to the codec's limit, so
// every later message of the session failed to decode at everyone ("the chat dies"). Now the
// value is refused, the clock stays, and the next own message still encodes and decodes.
TEST(ChatSenderAttack, LamportBombIsRefusedAndChatKeepsWorking)
{
    ChatSender s = makeSender();
    s.observe(40);
    const std::uint64_t bomb = (std::uint64_t(1) << 62) - 1;
    s.observe(bomb);
    EXPECT_LT(s.lamport(), std::uint64_t(1) << 32);
    protocol::Message m{protocol::Header{SessionId::fromNumber(5), 1, 1, kSelf},
                        s.compose(QStringLiteral("still here"))};
    auto decoded = protocol::decode(protocol::encode(m));
    ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
    EXPECT_EQ(std::get<protocol::ChatMessage>(decoded->body).lamport, 41u);
}

TEST(ChatSenderAttack, LamportFarBeyondTheClockIsRefusedNearIsAdopted)
{
    ChatSender s = makeSender();
    EXPECT_TRUE(s.observe(1000));
    EXPECT_FALSE(s.observe(1000 + kMaxLamportLead + 1));
    EXPECT_EQ(s.lamport(), 1000u);
    EXPECT_TRUE(s.observe(1000 + kMaxLamportLead)); // a joiner with clock 0 still catches up
    EXPECT_FALSE(lamportAcceptable(0, kMaxLamportLead + 1));
    EXPECT_TRUE(lamportAcceptable(5, 3));
    // After a restart over a history that holds a bomb, the clock is not poisoned either.
    ChatSender r(kSelf, AccountId::fromNumber(11));
    r.resume(3, (std::uint64_t(1) << 62) - 1);
    EXPECT_EQ(r.compose(QStringLiteral("x")).lamport, 1u);
}

TEST(ChatSender, OutgoingTextLimitIsCountedInUtf8Bytes)
{
    EXPECT_FALSE(checkOutgoingText(QString()).ok());
    EXPECT_TRUE(checkOutgoingText(QString(16 * 1024, QLatin1Char('a'))).ok());
    EXPECT_FALSE(checkOutgoingText(QString(16 * 1024 + 1, QLatin1Char('a'))).ok());
    // 6,000 'é' are 12,000 bytes: fine; 9,000 are 18,000 bytes: too long.
    EXPECT_TRUE(checkOutgoingText(QString(6000, QChar(0xe9))).ok());
    auto r = checkOutgoingText(QString(9000, QChar(0xe9)));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("too long")) << r.error().toStdString();
}

// Every message type survives encode -> decode with every field intact.

#include "fieldwise.h"
#include "samplemessages.h"

#include "protocol/codec.h"
#include "protocol/limits.h"

#include <gtest/gtest.h>

#include <set>

using namespace plenum;
using namespace plenum::protocol;
using plenum::testing::fieldwiseDiff;
using plenum::testing::sampleMessages;

TEST(CodecRoundTrip, SamplesCoverEveryMessageType)
{
    std::set<std::size_t> seen;
    for (const auto& m : sampleMessages())
        seen.insert(m.body.index());
    // Wire types 37-39 and 46-49 are not assigned in this build (messages.h: Unassigned<N>).
    EXPECT_EQ(seen.size(), std::variant_size_v<Body> - 7);
}

TEST(CodecRoundTrip, EveryMessageTypeKeepsEveryField)
{
    for (const auto& original : sampleMessages()) {
        SCOPED_TRACE(messageName(original.body));
        const QByteArray bytes = encode(original);
        auto decoded = decode(bytes);
        ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
        EXPECT_EQ(fieldwiseDiff(original, decoded.value()), "");
        EXPECT_EQ(encode(decoded.value()), bytes) << "encoding is not canonical";
    }
}

TEST(CodecRoundTrip, FieldwiseCompareNoticesAChangedField)
{
    // Guards the guard: a comparison that always says "equal" would make the test above vacuous.
    auto samples = sampleMessages();
    Message changed = samples[2]; // INVITE
    std::get<Invite>(changed.body).ticket.signature[3] = 'x';
    EXPECT_NE(fieldwiseDiff(samples[2], changed), "");
    changed = samples[2];
    std::get<Invite>(changed.body).referredBy.reset();
    EXPECT_NE(fieldwiseDiff(samples[2], changed), "");
    changed = samples[0];
    changed.header.epoch = 99;
    EXPECT_NE(fieldwiseDiff(samples[0], changed), "");
}

TEST(CodecRoundTrip, AbsentOptionalFieldStaysAbsent)
{
    Message m = sampleMessages()[2];
    std::get<Invite>(m.body).referredBy.reset();
    auto decoded = decode(encode(m));
    ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
    EXPECT_FALSE(std::get<Invite>(decoded->body).referredBy.has_value());
}

TEST(CodecRoundTrip, FieldsAtTheirLimitsAreAccepted)
{
    Message m = sampleMessages()[12]; // ROSTER
    auto& roster = std::get<Roster>(m.body);
    roster.members.clear();
    for (std::size_t i = 0; i < limits::kMaxMembers; ++i)
        roster.members.append(plenum::testing::sampleMember(i));
    roster.members[0].name = QString(64, QChar(0x00e9)); // 64 x "é" = 128 UTF-8 bytes
    auto decoded = decode(encode(m));
    ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
    EXPECT_EQ(fieldwiseDiff(m, decoded.value()), "");
}

TEST(CodecRoundTrip, ASnapshotWithoutABatonMeansNobodyHoldsIt)
{
    // An older peer's snapshot has no key 1100: it reads as "nobody, generation 0".
    Message m = sampleMessages()[12]; // ROSTER
    std::get<Roster>(m.body).baton.reset();
    auto decoded = decode(encode(m));
    ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
    EXPECT_FALSE(std::get<Roster>(decoded->body).baton.has_value());
}

TEST(CodecRoundTrip, TypeNumbersAreStable)
{
    EXPECT_EQ(messageType(Hello{}), 1u);
    EXPECT_EQ(messageType(Roster{}), 13u);
    EXPECT_EQ(messageType(ErrorReply{}), 24u);
    EXPECT_EQ(messageType(ChatMessage{}), 25u);
    EXPECT_EQ(messageType(ChatPull{}), 29u);
    EXPECT_EQ(messageType(CallState{}), 30u);
    EXPECT_EQ(messageType(CallProbe{}), 31u);
    EXPECT_EQ(messageType(BrowseNavigate{}), 32u);
    EXPECT_EQ(messageType(BrowseScroll{}), 33u);
    EXPECT_EQ(messageType(BatonRequest{}), 34u);
    EXPECT_EQ(messageType(BatonPass{}), 35u);
    EXPECT_EQ(messageType(BatonRefused{}), 36u);
    EXPECT_EQ(messageType(HandoffReserve{}), 40u);
    EXPECT_EQ(messageType(HandoffAnswer{}), 41u);
    EXPECT_EQ(messageType(HandoffCancel{}), 42u);
    EXPECT_EQ(messageType(HandoffSnapshot{}), 43u);
    EXPECT_EQ(messageType(HandoffPull{}), 44u);
    EXPECT_EQ(messageType(HandoffPullAnswer{}), 45u);
    EXPECT_EQ(messageType(RelaySignal{}), 50u);
    EXPECT_EQ(messageType(RelayKeyRequest{}), 51u);
    EXPECT_EQ(messageType(RelayKey{}), 52u);
    EXPECT_EQ(messageType(RelayFailed{}), 53u);
}

// The member counter behind fieldwiseDiff must see every member, optional ones included.
static_assert(plenum::testing::detail::fieldCount<Invite>() == 7);
static_assert(plenum::testing::detail::fieldCount<Refer>() == 5);
static_assert(plenum::testing::detail::fieldCount<Referral>() == 5);
static_assert(plenum::testing::detail::fieldCount<Roster>() == 10);
static_assert(plenum::testing::detail::fieldCount<RosterChange>() == 4);
static_assert(plenum::testing::detail::fieldCount<Reservation>() == 5);
static_assert(plenum::testing::detail::fieldCount<MemberInfo>() == 5);
static_assert(plenum::testing::detail::fieldCount<Header>() == 4);
static_assert(plenum::testing::detail::fieldCount<Message>() == 2);
static_assert(plenum::testing::detail::fieldCount<Ping>() == 0);

// The signaling codec: round trips and bounded, explained rejection of bad input.
#include "net/signalmessage.h"

#include <gtest/gtest.h>

using namespace plenum::net;

TEST(SignalMessage, RoundTripsEveryType)
{
    const SignalMessage offer{SignalMessage::Type::Offer, 42, "uf", "password123", {}};
    const SignalMessage cand{SignalMessage::Type::Candidate,
                             42,
                             {},
                             {},
                             "a=candidate:1 1 UDP 2013266431 127.0.0.1 40000 typ host"};
    const SignalMessage done{SignalMessage::Type::CandidatesDone, 42, {}, {}, {}};
    const SignalMessage cancel{SignalMessage::Type::Cancel, 42, {}, {}, {}};
    for (const SignalMessage& m : {offer, cand, done, cancel}) {
        auto back = SignalMessage::decode(m.encode());
        ASSERT_TRUE(back.ok()) << back.error().toStdString();
        EXPECT_EQ(back->type, m.type);
        EXPECT_EQ(back->attempt, 42u);
        EXPECT_EQ(back->ufrag, m.ufrag);
        EXPECT_EQ(back->password, m.password);
        EXPECT_EQ(back->candidate, m.candidate);
    }
}

TEST(SignalMessage, EveryTruncationIsAnError)
{
    const QByteArray bytes =
        SignalMessage{SignalMessage::Type::Answer, 1, "ufrag", "pwd", {}}.encode();
    for (qsizetype n = 0; n < bytes.size(); ++n)
        EXPECT_FALSE(SignalMessage::decode(bytes.left(n)).ok()) << n;
}

TEST(SignalMessage, RejectsOversizedMalformedAndTrailing)
{
    EXPECT_FALSE(SignalMessage::decode(QByteArray(2000, 'P')).ok());
    QByteArray badType = SignalMessage{SignalMessage::Type::CandidatesDone, 1, {}, {}, {}}.encode();
    badType[3] = 9;
    EXPECT_FALSE(SignalMessage::decode(badType).ok());
    EXPECT_FALSE(
        SignalMessage::decode(
            SignalMessage{SignalMessage::Type::Candidate, 1, {}, {}, "not a candidate"}.encode())
            .ok());
    EXPECT_FALSE(
        SignalMessage::decode(SignalMessage{SignalMessage::Type::Offer, 1, "u\n", "p", {}}.encode())
            .ok());
    auto trailing = SignalMessage::decode(
        SignalMessage{SignalMessage::Type::CandidatesDone, 1, {}, {}, {}}.encode() + "x");
    ASSERT_FALSE(trailing.ok());
    EXPECT_TRUE(trailing.error().contains(QStringLiteral("trailing")));
    auto longField = SignalMessage::decode(
        SignalMessage{SignalMessage::Type::Offer, 1, QByteArray(300, 'u'), "p", {}}.encode());
    ASSERT_FALSE(longField.ok());
    EXPECT_TRUE(longField.error().contains(QStringLiteral("longer than")));
}

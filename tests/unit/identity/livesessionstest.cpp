// The live sessions of a presence record (identity/livesessions.h), decoded from what another
// device signed: the bounds on count, title and id hold on both ends, and anything not shaped
// as a flat list of [id, title] pairs is refused in words rather than read as something else.
#include "identity/livesessions.h"

#include <QCborMap>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

namespace {

QCborArray entry(int n, const QString& title = QStringLiteral("Bob"))
{
    return QCborArray{SessionId::fromNumber(n).toBytes(), title};
}

// A list of one element. Not QCborArray{x}: for an x that is itself a QCborArray, clang reads
// that as a copy of x and GCC as a list holding x.
QCborArray listOf(const QCborValue& only)
{
    QCborArray out;
    out.append(only);
    return out;
}

QString refusal(const QCborValue& v)
{
    auto r = livesessions::decode(v);
    return r ? QString() : r.error();
}

} // namespace

TEST(LiveSessions, RoundTripWithinTheBounds)
{
    QList<LiveSession> many;
    for (int i = 0; i < livesessions::kMaxCount + 4; ++i)
        many.append({SessionId::fromNumber(i + 1), QString(80, QChar(0x00e9))});
    auto back = livesessions::decode(livesessions::encode(many));
    ASSERT_TRUE(back) << back.error().toStdString();
    ASSERT_EQ(back->size(), livesessions::kMaxCount);
    EXPECT_EQ(back->front().sid, SessionId::fromNumber(1));
    EXPECT_EQ(back->back().title, QString(livesessions::kMaxTitleChars, QChar(0x00e9)));
    // Absent (a record of an older version): no live sessions.
    auto none = livesessions::decode(QCborValue());
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->isEmpty());
}

TEST(LiveSessions, RefusesWhatExceedsTheBounds)
{
    QCborArray tooMany;
    for (int i = 0; i <= livesessions::kMaxCount; ++i)
        tooMany.append(entry(i + 1));
    EXPECT_NE(refusal(tooMany).indexOf("too many"), -1);
    EXPECT_TRUE(refusal(listOf(entry(1, QString(livesessions::kMaxTitleChars, 'x')))).isEmpty());
    EXPECT_NE(refusal(listOf(entry(1, QString(livesessions::kMaxTitleChars + 1, 'x'))))
                  .indexOf("malformed"),
              -1);
    const QByteArray id = SessionId::fromNumber(1).toBytes();
    EXPECT_FALSE(refusal(listOf(QCborArray{id.left(15), QStringLiteral("t")})).isEmpty());
    EXPECT_FALSE(refusal(listOf(QCborArray{id + 'x', QStringLiteral("t")})).isEmpty());
}

// Each of these used to be read as something else: a value that is not a list as "no live
// sessions", a title that is not text as an empty title; a session listed twice twice.
TEST(LiveSessions, RefusesWhatIsNotAFlatListOfPairs)
{
    const QByteArray id = SessionId::fromNumber(1).toBytes();
    EXPECT_NE(refusal(QCborValue(7)).indexOf("not a list"), -1);
    EXPECT_NE(refusal(QCborMap{{0, entry(1)}}).indexOf("not a list"), -1);
    EXPECT_FALSE(refusal(QCborValue(QStringLiteral("sessions"))).isEmpty());
    EXPECT_FALSE(refusal(listOf(QCborArray{id, 42})).isEmpty()) << "a title that is no text";
    EXPECT_FALSE(refusal(listOf(QCborArray{id.toHex(), QStringLiteral("t")})).isEmpty())
        << "an id as text";
    EXPECT_FALSE(refusal(listOf(QCborArray{id})).isEmpty());
    EXPECT_FALSE(refusal(listOf(QCborArray{id, QStringLiteral("t"), 1})).isEmpty());
    EXPECT_FALSE(refusal(QCborArray{QCborMap{{id, QStringLiteral("t")}}}).isEmpty());
    EXPECT_FALSE(refusal(listOf(listOf(entry(1)))).isEmpty()) << "one level too deep";
    EXPECT_NE(refusal(QCborArray{entry(1), entry(2), entry(1)}).indexOf("twice"), -1);
}

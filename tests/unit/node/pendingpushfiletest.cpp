#include "node/pendingpushfile.h"

#include <QFile>
#include <QTemporaryDir>

#include <sys/stat.h>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::node;

namespace {

QList<PendingPush> sample()
{
    return {PendingPush{SessionId::fromNumber(1), DeviceId::fromNumber(2), false},
            PendingPush{SessionId::fromNumber(3), DeviceId::fromNumber(4), true}};
}

} // namespace

TEST(PendingPushFile, WrittenPushesReadBackAndNoneRemovesTheFile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("handoffs.rec"));
    PendingPushFile file(path);
    auto empty = file.read();
    ASSERT_TRUE(empty) << empty.error().toStdString();
    EXPECT_TRUE(empty->isEmpty()); // no file: nothing under way

    ASSERT_TRUE(file.write(sample()));
    auto back = file.read();
    ASSERT_TRUE(back) << back.error().toStdString();
    EXPECT_EQ(back.value(), sample());
    constexpr auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                            QFileDevice::ReadOther | QFileDevice::WriteOther;
    EXPECT_FALSE(QFile::permissions(path) & others); // private: 0600

    ASSERT_TRUE(file.write({sample().at(1)}));
    EXPECT_EQ(file.read().value(), QList<PendingPush>{sample().at(1)});
    ASSERT_TRUE(file.write({}));
    EXPECT_FALSE(QFile::exists(path));
}

TEST(PendingPushFile, CorruptBytesAreErrorsInWords)
{
    const QByteArray good = PendingPushFile::encode(sample());
    ASSERT_TRUE(PendingPushFile::decode(good));
    for (qsizetype cut = 0; cut < good.size(); ++cut) {
        auto r = PendingPushFile::decode(good.left(cut));
        ASSERT_FALSE(r) << "cut at " << cut;
        EXPECT_FALSE(r.error().isEmpty());
    }
    EXPECT_FALSE(PendingPushFile::decode(good + QByteArray(1, '\0'))); // trailing bytes
    QByteArray otherFormat = good;
    otherFormat[7] = 9;
    EXPECT_EQ(PendingPushFile::decode(otherFormat).error(),
              QStringLiteral("the hand-off record has an unknown format version"));
    QList<PendingPush> many;
    for (int i = 0; i <= PendingPushFile::kMaxPushes; ++i)
        many.append({SessionId::fromNumber(i + 1), DeviceId::fromNumber(i + 1), false});
    EXPECT_EQ(PendingPushFile::decode(PendingPushFile::encode(many)).error(),
              QStringLiteral("the hand-off record lists too many hand-offs"));
    QList<PendingPush> nullId = sample();
    nullId[0].device = DeviceId{};
    EXPECT_FALSE(PendingPushFile::decode(PendingPushFile::encode(nullId)));
}

TEST(PendingPushFileAttack, AFifoOrASymlinkInItsPlaceIsRefusedNotWaitedOn)
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("fifo.rec"));
    ASSERT_EQ(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    auto r = PendingPushFile(fifo).read();
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().startsWith(QLatin1String("the hand-off record")) &&
                r.error().endsWith(QLatin1String("is not a regular file")))
        << r.error().toStdString();

    const QString link = dir.filePath(QStringLiteral("link.rec"));
    ASSERT_TRUE(QFile::link(QStringLiteral("/dev/zero"), link));
    EXPECT_FALSE(PendingPushFile(link).read());
}

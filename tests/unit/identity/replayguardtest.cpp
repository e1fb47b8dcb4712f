// Replay protection for DHT mailbox envelopes: a captured request (an ICE offer) is admitted
// once, across restarts and whatever an attacker stores in our mailbox meanwhile.

#include "identity/replayguard.h"

#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

namespace {

constexpr qint64 kNow = 1'800'000'000'000;

QByteArray nonce(int n)
{
    QByteArray out(16, '\0');
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<char>(n >> (8 * i));
    return out;
}

} // namespace

TEST(ReplayGuard, AdmitsEachNonceOnceWithinTheWindow)
{
    ReplayGuard g(60'000, 100);
    EXPECT_TRUE(g.admit(nonce(1), kNow, kNow));
    EXPECT_FALSE(g.admit(nonce(1), kNow, kNow + 10));
    EXPECT_TRUE(g.admit(nonce(2), kNow, kNow + 10));
    EXPECT_FALSE(g.admit({}, kNow, kNow));
    EXPECT_FALSE(g.admit(QByteArray(65, 'x'), kNow, kNow));
    // Nonces older than the window are forgotten (the mailbox refuses such envelopes by age).
    EXPECT_TRUE(g.admit(nonce(3), kNow + 120'000, kNow + 120'000));
    EXPECT_EQ(g.size(), 1);
}

// Attack: after a restart the in-memory nonce set was empty, so a captured ICE offer stored
// again in our mailbox within its 10-minute lifetime was accepted a second time.
TEST(ReplayGuardAttack, CapturedEnvelopeIsRefusedAfterARestart)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mailbox.replay"));
    {
        ReplayGuard g;
        ASSERT_TRUE(g.open(path, kNow).ok());
        for (int i = 0; i < 10; ++i)
            EXPECT_TRUE(g.admit(nonce(i), kNow + i, kNow + i));
    }
    EXPECT_FALSE(QFile::permissions(path) & (QFileDevice::ReadOther | QFileDevice::ReadGroup));
    ReplayGuard restarted;
    ASSERT_TRUE(restarted.open(path, kNow + 60'000).ok());
    EXPECT_FALSE(restarted.admit(nonce(7), kNow + 7, kNow + 60'000));
    EXPECT_TRUE(restarted.admit(nonce(11), kNow + 60'000, kNow + 60'000));
    // And a second restart still knows both.
    ReplayGuard again;
    ASSERT_TRUE(again.open(path, kNow + 61'000).ok());
    EXPECT_FALSE(again.admit(nonce(3), kNow + 3, kNow + 61'000));
    EXPECT_FALSE(again.admit(nonce(11), kNow + 60'000, kNow + 61'000));
}

// Attack: 4,096 spam envelopes pushed a captured offer's nonce out of memory, and the offer
// then replayed. Now a full memory raises a floor instead: the captured one stays refused.
TEST(ReplayGuardAttack, SpamBeyondTheMemoryDoesNotReopenAReplay)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mailbox.replay"));
    // A small memory (the default holds 65,536) so that the test spams it several times over
    // with few fsyncs.
    ReplayGuard g(ReplayGuard::kDefaultWindowMs, 200);
    ASSERT_TRUE(g.open(path, kNow).ok());
    ASSERT_TRUE(g.admit(nonce(-1), kNow, kNow)); // the captured ICE offer
    for (int i = 0; i < 1000; ++i)
        ASSERT_TRUE(g.admit(nonce(i), kNow + 1 + i / 2, kNow + 1 + i / 2)) << i;
    EXPECT_LE(g.size(), 200);
    EXPECT_FALSE(g.admit(nonce(-1), kNow, kNow + 600)) << "replayed after spam";
    // Fresh requests still get in, and the file stayed bounded and survives a restart.
    EXPECT_TRUE(g.admit(nonce(90'000), kNow + 700, kNow + 700));
    EXPECT_LT(QFile(path).size(), (2 * 200 + 1024 + 2) * 26);
    ReplayGuard restarted(ReplayGuard::kDefaultWindowMs, 200);
    ASSERT_TRUE(restarted.open(path, kNow + 800).ok());
    EXPECT_FALSE(restarted.admit(nonce(-1), kNow, kNow + 800));
    EXPECT_FALSE(restarted.admit(nonce(999), kNow + 500, kNow + 800));
}

TEST(ReplayGuard, DamagedOrHostileRecordFilesAreHandled)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mailbox.replay"));
    {
        ReplayGuard g;
        ASSERT_TRUE(g.open(path, kNow).ok());
        ASSERT_TRUE(g.admit(nonce(1), kNow, kNow));
    }
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::Append));
        f.write("\x00\x00\x01", 3); // a torn write
    }
    ReplayGuard g;
    ASSERT_TRUE(g.open(path, kNow + 1).ok());
    EXPECT_FALSE(g.admit(nonce(1), kNow, kNow + 1));
    // Not a regular file: an error, not a hang.
    const QString link = dir.filePath(QStringLiteral("zero.replay"));
    ASSERT_TRUE(QFile::link(QStringLiteral("/dev/zero"), link));
    ReplayGuard z;
    EXPECT_FALSE(z.open(link, kNow).ok());
}

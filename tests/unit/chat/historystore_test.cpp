#include "chat/historystore.h"
#include "chat/visibility.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace plenum;
using namespace plenum::chat;
using protocol::ChatMessage;

namespace {

const AccountId kAccount = AccountId::fromNumber(1);
const SessionId kSession = SessionId::fromNumber(2);
const DeviceId kSelf = DeviceId::fromNumber(10);

ChatMessage msg(std::uint64_t sender, std::uint64_t seq, std::uint64_t lamport)
{
    return ChatMessage{DeviceId::fromNumber(sender),
                       seq,
                       lamport,
                       AccountId::fromNumber(sender),
                       QStringLiteral("m %1/%2 ✓").arg(sender).arg(seq),
                       {},
                       {}};
}

std::unique_ptr<HistoryStore> openStore(const QString& path)
{
    auto s = HistoryStore::open(path);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().toStdString());
    return s.ok() ? std::move(s).value() : nullptr;
}

} // namespace

TEST(HistoryStore, FlushWritesInOneGoAndReturnsWhatToAcknowledge)
{
    QTemporaryDir dir;
    auto store = openStore(dir.filePath(QStringLiteral("h.db")));
    store->add(kAccount, kSession, msg(3, 1, 1), 100);
    store->add(kAccount, kSession, msg(4, 1, 2), 101);
    EXPECT_EQ(store->queued(), 2u);
    EXPECT_TRUE(store->lastMessages(kAccount, kSession, 10)->isEmpty()) << "nothing before flush";
    auto acks = store->flush();
    ASSERT_TRUE(acks.ok()) << acks.error().toStdString();
    ASSERT_EQ(acks->size(), 2);
    EXPECT_EQ(acks.value()[1].sender, DeviceId::fromNumber(4));
    EXPECT_EQ(store->queued(), 0u);
    EXPECT_EQ(store->lastMessages(kAccount, kSession, 10)->size(), 2);
    EXPECT_TRUE(QFile::exists(dir.filePath(QStringLiteral("h.db-wal")))) << "WAL mode";
}

TEST(HistoryStore, UnflushedMessagesAreNotOnDiskFlushedOnesSurviveReopen)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("h.db"));
    {
        auto store = openStore(path);
        store->add(kAccount, kSession, msg(3, 1, 1), 100);
        ASSERT_TRUE(store->flush().ok());
        store->add(kAccount, kSession, msg(3, 2, 2), 100); // never flushed
    }
    auto store = openStore(path);
    const auto all = store->lastMessages(kAccount, kSession, 10);
    ASSERT_EQ(all->size(), 1);
    EXPECT_EQ(all.value()[0].message, msg(3, 1, 1));
    EXPECT_EQ(all.value()[0].receivedAtMs, 100);
}

TEST(HistoryStore, LastMessagesInDisplayOrderWithoutStubsOrOtherSessions)
{
    QTemporaryDir dir;
    auto store = openStore(dir.filePath(QStringLiteral("h.db")));
    store->add(kAccount, kSession, msg(5, 1, 7), 0);
    store->add(kAccount, kSession, msg(3, 1, 7), 0);
    store->add(kAccount, kSession, msg(3, 2, 9), 0);
    store->add(kAccount, kSession, msg(4, 1, 2), 0);
    ChatMessage side{DeviceId::fromNumber(4), 2, 8, AccountId{}, QStringLiteral("s"), {kSelf}};
    store->add(kAccount, kSession, stubOf(side), 0);
    store->add(kAccount, SessionId::fromNumber(99), msg(6, 1, 1), 0);
    store->add(AccountId::fromNumber(77), kSession, msg(6, 1, 1), 0);
    store->add(kAccount, kSession, msg(5, 1, 1), 0); // duplicate id: ignored
    ASSERT_TRUE(store->flush().ok());
    const auto last3 = store->lastMessages(kAccount, kSession, 3);
    ASSERT_EQ(last3->size(), 3);
    EXPECT_EQ(last3.value()[0].message, msg(3, 1, 7));
    EXPECT_EQ(last3.value()[1].message, msg(5, 1, 7)) << "equal lamport: smaller device first";
    EXPECT_EQ(last3.value()[2].message, msg(3, 2, 9));
}

TEST(HistoryStore, MessagesBeforeAPlaceInDisplayOrderForLazyLoading)
{
    QTemporaryDir dir;
    auto store = openStore(dir.filePath(QStringLiteral("h.db")));
    // Display order: (2,4) (7,3) (7,5) (8,stub) (9,3) (10,5)
    store->add(kAccount, kSession, msg(4, 1, 2), 0);
    store->add(kAccount, kSession, msg(3, 1, 7), 0);
    store->add(kAccount, kSession, msg(5, 1, 7), 0);
    ChatMessage side{DeviceId::fromNumber(4), 2, 8, AccountId{}, QStringLiteral("s"), {kSelf}};
    store->add(kAccount, kSession, stubOf(side), 0);
    store->add(kAccount, kSession, msg(3, 2, 9), 0);
    store->add(kAccount, kSession, msg(5, 2, 10), 0);
    store->add(kAccount, SessionId::fromNumber(99), msg(6, 1, 5), 0);
    ASSERT_TRUE(store->flush().ok());

    const auto two = store->messagesBefore(kAccount, kSession, 9, DeviceId::fromNumber(3), 2);
    ASSERT_TRUE(two.ok());
    ASSERT_EQ(two->size(), 2) << "the stub at 8 is not readable";
    EXPECT_EQ(two.value()[0].message, msg(3, 1, 7)) << "oldest first";
    EXPECT_EQ(two.value()[1].message, msg(5, 1, 7));

    // Same Lamport value: only the smaller device comes before.
    const auto tie = store->messagesBefore(kAccount, kSession, 7, DeviceId::fromNumber(5), 10);
    ASSERT_EQ(tie->size(), 2);
    EXPECT_EQ(tie.value()[0].message, msg(4, 1, 2));
    EXPECT_EQ(tie.value()[1].message, msg(3, 1, 7));

    EXPECT_TRUE(
        store->messagesBefore(kAccount, kSession, 2, DeviceId::fromNumber(4), 10)->isEmpty())
        << "nothing before the first message";
    const auto all = store->messagesBefore(kAccount, kSession, 10, DeviceId::fromNumber(5), 50);
    EXPECT_EQ(all->size(), 4) << "every readable message of this session before the last";
}

TEST(HistoryStore, MessagesAfterPerSenderMaximaAndRanges)
{
    QTemporaryDir dir;
    auto store = openStore(dir.filePath(QStringLiteral("h.db")));
    std::uint64_t lamport = 0;
    for (std::uint64_t s = 1; s <= 5; ++s) {
        store->add(kAccount, kSession, msg(3, s, ++lamport), 0);
        store->add(kAccount, kSession, msg(4, s, ++lamport), 0);
    }
    store->add(kAccount, kSession, msg(5, 1, ++lamport), 0);
    ASSERT_TRUE(store->flush().ok());

    const auto after = store->messagesAfter(
        kAccount, kSession, {{DeviceId::fromNumber(3), 4}, {DeviceId::fromNumber(4), 5}});
    ASSERT_TRUE(after.ok()) << after.error().toStdString();
    ASSERT_EQ(after->size(), 2);
    EXPECT_EQ(after.value()[0], msg(3, 5, 9));
    EXPECT_EQ(after.value()[1], msg(5, 1, 11)) << "an unlisted sender counts from 0";

    const auto range = store->range(kAccount, kSession, DeviceId::fromNumber(4), 2, 3);
    ASSERT_EQ(range->size(), 2);
    EXPECT_EQ(range.value()[0].seq, 2u);

    const auto maxima = store->maxima(kAccount, kSession);
    ASSERT_EQ(maxima->size(), 3);
    EXPECT_EQ(maxima.value()[1].seq, 5u);

    const auto own = store->ownMaxima(kAccount, kSession, DeviceId::fromNumber(4));
    EXPECT_EQ(own->lastSeq, 5u);
    EXPECT_EQ(own->maxLamport, 11u);
    const auto none = store->ownMaxima(kAccount, SessionId::fromNumber(5), kSelf);
    EXPECT_EQ(none->lastSeq, 0u);
}

TEST(HistoryStore, KillNineWhileWritingKeepsEverythingFlushed)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("h.db"));
    int pipeFds[2];
    ASSERT_EQ(pipe(pipeFds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // Child: write batches forever; report each batch only after its flush returned.
        close(pipeFds[0]);
        auto s = HistoryStore::open(path);
        if (!s.ok()) _exit(3);
        auto& store = *s.value();
        for (std::uint64_t batch = 1;; ++batch) {
            for (std::uint64_t i = 0; i < 5; ++i) {
                const std::uint64_t seq = (batch - 1) * 5 + i + 1;
                store.add(kAccount, kSession, msg(3, seq, seq), 0);
            }
            if (!store.flush().ok()) _exit(4);
            if (write(pipeFds[1], &batch, sizeof batch) != sizeof batch) _exit(5);
        }
    }
    close(pipeFds[1]);
    std::uint64_t flushed = 0, batch = 0;
    while (flushed < 40 && read(pipeFds[0], &batch, sizeof batch) == sizeof batch)
        flushed = batch;
    kill(child, SIGKILL);
    // Batches the child finished between our last read and the kill also count.
    while (read(pipeFds[0], &batch, sizeof batch) == sizeof batch)
        flushed = batch;
    close(pipeFds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
    ASSERT_GE(flushed, 40u);

    auto store = openStore(path);
    const auto own = store->ownMaxima(kAccount, kSession, DeviceId::fromNumber(3));
    ASSERT_TRUE(own.ok());
    EXPECT_GE(own->lastSeq, flushed * 5) << "a flushed message was lost";
    EXPECT_EQ(own->lastSeq % 5, 0u) << "a batch was half written";
    const auto all = store->messagesAfter(kAccount, kSession, {}, 100000);
    EXPECT_EQ(std::uint64_t(all->size()), own->lastSeq) << "no holes";
}

// Attack: another local user read everyone's chat: history.sqlite (and its -wal) were 0644.
TEST(HistoryStoreAttack, HistoryFilesAreNotReadableByOtherUsers)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    {
        auto store = openStore(path);
        store->add(kAccount, kSession, msg(3, 1, 1), 100);
        ASSERT_TRUE(store->flush().ok());
        for (const QString& f : {path, path + QStringLiteral("-wal")}) {
            ASSERT_TRUE(QFile::exists(f)) << f.toStdString();
            EXPECT_FALSE(QFile::permissions(f) &
                         (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                          QFileDevice::WriteGroup | QFileDevice::WriteOther))
                << f.toStdString();
        }
    }
    // An older, world-readable history is made private when opened.
    ASSERT_TRUE(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ReadOther));
    auto again = openStore(path);
    EXPECT_FALSE(QFile::permissions(path) & QFileDevice::ReadOther);
}

// Signatures are stored, so relayed copies (pull answers, joiner history) carry them; a
// full copy replaces a stub that came first, and otherwise the first copy stays.
TEST(HistoryStore, SignaturesAreKeptAndAFullCopyReplacesAStub)
{
    QTemporaryDir dir;
    auto store = openStore(dir.filePath(QStringLiteral("h.db")));
    ChatMessage side = msg(3, 1, 1);
    side.recipients = {kSelf};
    side.signature = QByteArray(64, '\x11');
    store->add(kAccount, kSession, stubOf(side), 100);
    ASSERT_TRUE(store->flush().ok());
    store->add(kAccount, kSession, side, 101);
    ChatMessage other = side;
    other.text = QStringLiteral("a later, different copy");
    store->add(kAccount, kSession, other, 102);
    ASSERT_TRUE(store->flush().ok());
    auto held = store->range(kAccount, kSession, side.sender, 1, 1);
    ASSERT_TRUE(held.ok());
    ASSERT_EQ(held->size(), 1);
    EXPECT_EQ(held->front(), side);
}

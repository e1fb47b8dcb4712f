#include "identity/profilestore.h"
#include "testaccounts.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <chrono>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::identity;

namespace {

Profile storedProfile(const ProfileStore& store)
{
    Profile p = testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("laptop"));
    EXPECT_TRUE(p.account.setAvatar("PNGDATA").ok());
    EXPECT_TRUE(p.contacts.add(AccountId::fromNumber(42), QStringLiteral("Bob")).ok());
    p.preferences.insert(QStringLiteral("theme"), QStringLiteral("dark"));
    EXPECT_TRUE(store.adopt(p).ok());
    return p;
}

} // namespace

TEST(ProfileStore, IdentityRoundTripsThroughDisk)
{
    QTemporaryDir dir;
    ProfileStore store(dir.path() + QStringLiteral("/profile"));
    const Profile p = storedProfile(store);
    auto loaded = store.load();
    ASSERT_TRUE(loaded.ok()) << loaded.error().toStdString();
    EXPECT_EQ(loaded->device.id(), p.device.id());
    EXPECT_EQ(loaded->account.id(), p.account.id());
    EXPECT_EQ(loaded->device.accountId(), p.account.id());
    EXPECT_EQ(loaded->device.linkCertificate(), p.device.linkCertificate());
    EXPECT_EQ(loaded->account.displayName(), QStringLiteral("Alice"));
    EXPECT_EQ(loaded->account.avatar(), QByteArray("PNGDATA"));
    ASSERT_EQ(loaded->account.devices().size(), 1);
    EXPECT_EQ(loaded->account.devices()[0].id, p.device.id());
    EXPECT_TRUE(loaded->contacts.contains(AccountId::fromNumber(42)));
    EXPECT_EQ(loaded->preferences.value(QStringLiteral("theme")).toString(),
              QStringLiteral("dark"));
    EXPECT_TRUE(crypto::verifyChain(loaded->device.chain()).ok());
}

TEST(ProfileStore, FilesAreReadableByTheOwnerOnly)
{
    QTemporaryDir dir;
    ProfileStore store(dir.path() + QStringLiteral("/profile"));
    storedProfile(store);
    for (const char* name :
         {"account.key", "device.key", "link.key", "account.json", "contacts.cbor"}) {
        const auto perms = QFile::permissions(store.directory() + u'/' + QString::fromLatin1(name));
        EXPECT_EQ(perms & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
                  QFileDevice::ReadOwner | QFileDevice::WriteOwner)
            << name;
        EXPECT_FALSE(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther)) << name;
    }
}

TEST(ProfileStore, MissingProfileGivesAClearError)
{
    QTemporaryDir dir;
    auto r = ProfileStore(dir.path()).load();
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("there is no profile")) << r.error().toStdString();
}

TEST(ProfileStore, MissingKeyFileIsAnErrorNotANewIdentity)
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    storedProfile(store);
    ASSERT_TRUE(QFile::remove(dir.filePath(QStringLiteral("device.key"))));
    auto r = store.load();
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("device.key")) << r.error().toStdString();
    EXPECT_TRUE(r.error().contains("missing")) << r.error().toStdString();
    // And creating over the remains is refused: the account key is still there.
    auto c = store.create(QStringLiteral("Eve"), QStringLiteral("pc"));
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(c.error().contains("never overwritten")) << c.error().toStdString();
}

TEST(ProfileStore, CorruptFilesAreReportedByName)
{
    for (const char* name : {"account.key", "link.crt", "account.json", "contacts.cbor"}) {
        QTemporaryDir dir;
        ProfileStore store(dir.path());
        storedProfile(store);
        QFile f(dir.filePath(QString::fromLatin1(name)));
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("\x01\x02garbage{[");
        f.close();
        auto r = store.load();
        ASSERT_FALSE(r.ok()) << name;
        EXPECT_TRUE(r.error().contains(QString::fromLatin1(name))) << r.error().toStdString();
    }
}

TEST(ProfileStore, KeysFromAnotherProfileAreRejectedAsInconsistent)
{
    QTemporaryDir a, b;
    ProfileStore storeA(a.path()), storeB(b.path());
    storedProfile(storeA);
    Profile other = testsupport::testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc"));
    ASSERT_TRUE(storeB.adopt(other).ok());
    QFile::remove(a.filePath(QStringLiteral("device.key")));
    QFile::copy(b.filePath(QStringLiteral("device.key")), a.filePath(QStringLiteral("device.key")));
    auto r = storeA.load();
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("does not match")) << r.error().toStdString();
}

TEST(ProfileStore, NeverOverwritesAnExistingIdentity)
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    const Profile p = storedProfile(store);
    const QByteArray before = [&] {
        QFile f(dir.filePath(QStringLiteral("account.key")));
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }();
    EXPECT_FALSE(
        store.adopt(testsupport::testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc"))).ok());
    QFile f(dir.filePath(QStringLiteral("account.key")));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_EQ(f.readAll(), before);
    EXPECT_EQ(store.load()->device.id(), p.device.id());
}

TEST(ProfileStore, SaveStateKeepsRevocationsAndContacts)
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    Profile p = storedProfile(store);
    auto phone = DeviceIdentity::create(QStringLiteral("phone"), p.account);
    ASSERT_TRUE(phone.ok());
    ASSERT_EQ(p.account.devices().size(), 2);
    EXPECT_TRUE(p.account.revoke(phone->id()));
    ASSERT_TRUE(p.contacts.setBlocked(AccountId::fromNumber(9), true).ok());
    ASSERT_TRUE(store.saveState(p).ok());
    auto loaded = store.load();
    ASSERT_TRUE(loaded.ok()) << loaded.error().toStdString();
    EXPECT_EQ(loaded->account.devices().size(), 1);
    EXPECT_TRUE(loaded->account.revoked().contains(phone->id()));
    EXPECT_TRUE(loaded->contacts.isBlocked(AccountId::fromNumber(9)));
    // A revoked device cannot be re-added, and its chain no longer verifies for the account.
    EXPECT_FALSE(
        loaded->account.addDevice({phone->id(), "phone", phone->deviceCertificate()}).ok());
    EXPECT_FALSE(crypto::verifyChain(phone->chain(), loaded->account.revoked()).ok());
}

// Attack: a key file replaced by a symlink to /dev/zero made start-up read until memory ran out
// (bad_alloc, abort). Now: regular files only, and a clear error that names the file.
TEST(ProfileStoreAttack, KeyFileSymlinkedToDevZeroIsAClearErrorNotAnAbort)
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    storedProfile(store);
    const QString key = dir.filePath(QStringLiteral("link.key"));
    ASSERT_TRUE(QFile::remove(key));
    ASSERT_TRUE(QFile::link(QStringLiteral("/dev/zero"), key));
    auto r = store.load();
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("link.key")) << r.error().toStdString();
    EXPECT_TRUE(r.error().contains("not a regular file")) << r.error().toStdString();
}

// Attack: a key file replaced by a FIFO made start-up wait forever for a writer. A helper
// thread opens the FIFO after 5 s so that a failing (old) build still ends.
TEST(ProfileStoreAttack, KeyFileThatIsAFifoIsAClearErrorNotAHang)
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    storedProfile(store);
    const QString key = dir.filePath(QStringLiteral("device.key"));
    ASSERT_TRUE(QFile::remove(key));
    const QByteArray native = QFile::encodeName(key);
    ASSERT_EQ(::mkfifo(native.constData(), 0600), 0);
    std::thread rescuer([native] {
        std::this_thread::sleep_for(std::chrono::seconds(5));
        const int fd = ::open(native.constData(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) ::close(fd);
    });
    QElapsedTimer t;
    t.start();
    auto r = store.load();
    const qint64 ms = t.elapsed();
    rescuer.join();
    ASSERT_FALSE(r.ok());
    EXPECT_LT(ms, 4000) << "load() waited on the FIFO";
    EXPECT_TRUE(r.error().contains("device.key")) << r.error().toStdString();
    EXPECT_TRUE(r.error().contains("not a regular file")) << r.error().toStdString();
}

// Attack: another local user who can write the profile folder swaps our keys. Refused.
TEST(ProfileStoreAttack, ProfileFolderWritableByOthersIsRefused)
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    storedProfile(store);
    ASSERT_TRUE(QFile::setPermissions(
        dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                        QFileDevice::WriteOther | QFileDevice::ExeOther));
    auto r = store.load();
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains("written by other users")) << r.error().toStdString();
    ASSERT_TRUE(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                      QFileDevice::ExeOwner));
    EXPECT_TRUE(store.load().ok());
}

TEST(ProfileStore, FolderIsPrivateAfterCreation)
{
    QTemporaryDir dir;
    const QString folder = dir.path() + QStringLiteral("/profile");
    ProfileStore store(folder);
    storedProfile(store);
    struct stat st {};
    ASSERT_EQ(::stat(QFile::encodeName(folder).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    for (const char* name : {"account.key", "preferences.json", "account.crt"}) {
        ASSERT_EQ(
            ::stat(QFile::encodeName(folder + u'/' + QString::fromLatin1(name)).constData(), &st),
            0);
        EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
    }
}

TEST(Account, DisplayNameAndAvatarHaveLimits)
{
    Account a = testsupport::testAccount(0, QStringLiteral("A"));
    EXPECT_FALSE(a.setDisplayName(QStringLiteral("   ")).ok());
    EXPECT_FALSE(a.setDisplayName(QString(200, u'x')).ok());
    EXPECT_TRUE(a.setDisplayName(QStringLiteral("Alice Liddell")).ok());
    EXPECT_FALSE(a.setAvatar(QByteArray(Account::kMaxAvatarBytes + 1, 'x')).ok());
}

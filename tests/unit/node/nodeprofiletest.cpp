#include "node/node.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QLockFile>
#include <QSysInfo>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <thread>

using namespace plenum;
using namespace plenum::node;

namespace {

std::unique_ptr<Node> openNode(const QString& dir)
{
    NodeOptions o;
    o.profileDir = dir;
    auto node = Node::open(o);
    EXPECT_TRUE(node.ok()) << (node.ok() ? "" : node.error().toStdString());
    return node.ok() ? std::move(node).value() : nullptr;
}

} // namespace

// The GUI makes the keys on a worker thread; Node::open then loads that profile, with the
// device class it was created with.
TEST(NodeProfile, CreatedOnAWorkerThreadThenOpenedWithItsClass)
{
    QTemporaryDir dir;
    const QString path = dir.filePath("p");
    std::optional<Result<identity::Profile>> made;
    std::thread worker(
        [&] { made.emplace(Node::createProfile(path, "Zoë", protocol::DeviceClass::Phone)); });
    worker.join();
    ASSERT_TRUE(made->ok()) << made->error().toStdString();
    const AccountId account = made->value().account.id();

    auto node = openNode(path);
    ASSERT_TRUE(node);
    EXPECT_EQ(node->account(), account);
    EXPECT_EQ(node->name(), "Zoë");
    EXPECT_EQ(node->deviceClass(), protocol::DeviceClass::Phone);
    ASSERT_EQ(node->myDevices().size(), 1);
    EXPECT_EQ(node->myDevices().at(0).id, node->device());

    const auto again = Node::createProfile(path, "other", protocol::DeviceClass::Desktop);
    EXPECT_FALSE(again.ok()) << "an existing profile is never overwritten";
}

// Name and blocks are kept in the profile; nameOf falls back from contact name to short hex.
TEST(NodeProfile, NameAndBlocksSurviveReopening)
{
    QTemporaryDir dir;
    const AccountId stranger = AccountId::fromNumber(42);
    {
        auto node = openNode(dir.path());
        ASSERT_TRUE(node);
        int contactsChanged = 0;
        QObject::connect(node.get(), &Node::contactsChanged, [&] { ++contactsChanged; });
        ASSERT_TRUE(node->setDisplayName("  Ada  ").ok());
        EXPECT_EQ(node->name(), "Ada");
        EXPECT_FALSE(node->setDisplayName(QString(500, 'x')).ok()) << "too long";
        EXPECT_EQ(node->name(), "Ada");
        ASSERT_TRUE(node->setBlocked(stranger, true).ok());
        EXPECT_EQ(contactsChanged, 1);
        EXPECT_FALSE(node->setBlocked(node->account(), true).ok());
        EXPECT_EQ(node->nameOf(stranger), stranger.shortHex());
        EXPECT_EQ(node->nameOf(node->account()), "Ada");
    }
    auto node = openNode(dir.path());
    ASSERT_TRUE(node);
    EXPECT_EQ(node->name(), "Ada");
    EXPECT_TRUE(node->contacts().isBlocked(stranger));
    ASSERT_TRUE(node->setBlocked(stranger, false).ok());
    EXPECT_FALSE(node->contacts().isBlocked(stranger));
}

TEST(NodeProfile, PresenceAndRevocationRefuseNonsense)
{
    QTemporaryDir dir;
    auto node = openNode(dir.path());
    ASSERT_TRUE(node);
    EXPECT_EQ(node->myPresence(), "online");
    EXPECT_TRUE(node->setPresence("away").ok());
    EXPECT_EQ(node->myPresence(), "away");
    EXPECT_FALSE(node->setPresence("sleeping").ok());
    EXPECT_FALSE(node->revokeDevice(node->device()).ok()) << "a device cannot revoke itself";
    EXPECT_FALSE(node->revokeDevice(DeviceId::fromNumber(5)).ok()) << "not ours";
    EXPECT_FALSE(node->retry(SessionId::fromNumber(1), 1).ok());
}

// Two Plenums on one profile would be one device at two addresses with one message counter:
// the second is refused with a reason, and the profile opens again once the first is gone.
TEST(NodeProfile, ASecondPlenumOnTheSameProfileIsRefusedWhileTheFirstRuns)
{
    QTemporaryDir dir;
    auto first = openNode(dir.path());
    ASSERT_TRUE(first);
    NodeOptions o;
    o.profileDir = dir.path();
    const auto second = Node::open(o);
    ASSERT_FALSE(second.ok());
    EXPECT_TRUE(second.error().contains("in use by another running Plenum"))
        << second.error().toStdString();
    EXPECT_TRUE(second.error().contains(QString::number(QCoreApplication::applicationPid())))
        << second.error().toStdString();
    first.reset();
    EXPECT_TRUE(openNode(dir.path())) << "the profile is free again once its Node is gone";
}

// A lock left by a Plenum that died (kill -9, a crash, a power cut) does not keep the profile
// shut, however old it is.
TEST(NodeProfile, ALockLeftByAProcessThatDiedIsTakenOver)
{
    QTemporaryDir dir;
    QFile lock(dir.filePath("lock"));
    ASSERT_TRUE(lock.open(QIODevice::WriteOnly));
    // QLockFile's format: pid, application name, host name. No process has pid 2^22 + 1 here.
    lock.write(QByteArray::number((1 << 22) + 1) + "\nplenum-peer\n" +
               QSysInfo::machineHostName().toUtf8() + "\n");
    lock.close();
    EXPECT_TRUE(openNode(dir.path()));
}

// A live holder's lock stays its own however long it has been held.
TEST(NodeProfile, ALockHeldForAnHourByALiveProcessIsStillHeld)
{
    QTemporaryDir dir;
    QLockFile held(dir.filePath("lock")); // this process stands for the first Plenum
    ASSERT_TRUE(held.tryLock(0));
    QFile file(dir.filePath("lock"));
    ASSERT_TRUE(file.open(QIODevice::ReadWrite));
    ASSERT_TRUE(file.setFileTime(QDateTime::currentDateTime().addSecs(-3600),
                                 QFileDevice::FileModificationTime));
    file.close();
    NodeOptions o;
    o.profileDir = dir.path();
    EXPECT_FALSE(Node::open(o).ok());
}

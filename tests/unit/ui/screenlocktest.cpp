// The hand-off's lock rule listens for the desktop locking on D-Bus (ScreenLockWatcher): a
// screen saver that becomes active on the session bus is a lock; one that becomes inactive is
// not. Run under dbus-run-session (a private session bus); the signal comes from another
// process (dbus-send), as a desktop's would.
#include "app/screenlockwatcher.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSignalSpy>

#include <gtest/gtest.h>

using plenum::ui::ScreenLockWatcher;

namespace {

bool sendActiveChanged(const QString& iface, bool active)
{
    QProcess p;
    p.start(QStringLiteral("dbus-send"),
            {QStringLiteral("--session"), QStringLiteral("--type=signal"),
             QStringLiteral("/org/freedesktop/ScreenSaver"),
             iface + QStringLiteral(".ActiveChanged"),
             active ? QStringLiteral("boolean:true") : QStringLiteral("boolean:false")});
    return p.waitForFinished(10000) && p.exitCode() == 0;
}

} // namespace

TEST(ScreenLockWatcher, AScreenSaverTurningOnIsALockAndTurningOffIsNot)
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        GTEST_SKIP() << "no session bus (ctest runs this under dbus-run-session)";
    ScreenLockWatcher watcher;
    ASSERT_TRUE(watcher.start());
    QSignalSpy locked(&watcher, &ScreenLockWatcher::locked);
    ASSERT_TRUE(sendActiveChanged(QStringLiteral("org.freedesktop.ScreenSaver"), false));
    EXPECT_FALSE(locked.wait(1000));
    ASSERT_TRUE(sendActiveChanged(QStringLiteral("org.freedesktop.ScreenSaver"), true));
    ASSERT_TRUE(locked.count() > 0 || locked.wait(10000));
    EXPECT_EQ(locked.count(), 1);
    ASSERT_TRUE(sendActiveChanged(QStringLiteral("org.gnome.ScreenSaver"), true));
    ASSERT_TRUE(locked.count() > 1 || locked.wait(10000));
    EXPECT_EQ(locked.count(), 2);
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

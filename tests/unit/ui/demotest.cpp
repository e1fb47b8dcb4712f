// `plenum --demo` end to end (offscreen): its three peers and the GUI's own Node build the
// demo group, and a Quit (SIGTERM takes the same path as the tray's Quit) leaves no child
// process running and no temporary directory behind.

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>

#include <csignal>

namespace {

QString cmdlineOf(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromLocal8Bit(f.readAll().replace('\0', ' '));
}

// Every process whose command line mentions `text` (the demo's temporary directory).
QList<qint64> processesMentioning(const QString& text)
{
    QList<qint64> out;
    QDirIterator it(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        bool ok = false;
        const qint64 pid = QFileInfo(it.next()).fileName().toLongLong(&ok);
        if (ok && cmdlineOf(pid).contains(text)) out.append(pid);
    }
    return out;
}

} // namespace

TEST(Demo, ThreePeersJoinTheGroupAndQuitLeavesNothingRunning)
{
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath("config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath("data"));
    QProcess gui;
    gui.setProcessEnvironment(env);
    gui.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    gui.start(QStringLiteral(PLENUM_GUI_PATH), {QStringLiteral("--demo")});
    ASSERT_TRUE(gui.waitForStarted(5000));

    QElapsedTimer t;
    t.start();
    QByteArray out;
    while (!out.contains("plenum: demo ready") && gui.state() == QProcess::Running &&
           t.elapsed() < 25000) {
        gui.waitForReadyRead(200);
        out += gui.readAllStandardOutput();
    }
    const QString line = QString::fromUtf8(out);
    const auto m = QRegularExpression(QStringLiteral("demo ready sid=([0-9a-f]{32}) "
                                                     "peers=([0-9,]+) dir=(\\S+)"))
                       .match(line);
    ASSERT_TRUE(m.hasMatch()) << "no 'demo ready' within 25 s; stdout: " << line.toStdString();
    std::printf("demo ready after %lld ms\n", static_cast<long long>(t.elapsed()));
    const QStringList pids = m.captured(2).split(',');
    const QString dir = m.captured(3);
    ASSERT_EQ(pids.size(), 3);
    for (const QString& pid : pids)
        EXPECT_TRUE(cmdlineOf(pid.toLongLong()).contains("plenum-peer")) << pid.toStdString();
    EXPECT_TRUE(QDir(dir).exists());
    EXPECT_TRUE(QDir(dir + "/You").exists()) << "the GUI's own demo profile";

    ::kill(pid_t(gui.processId()), SIGTERM);
    ASSERT_TRUE(gui.waitForFinished(15000)) << "plenum did not quit";
    EXPECT_EQ(gui.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(gui.exitCode(), 0);
    // Children are reaped by plenum itself before it exits; give the kernel a moment anyway.
    QElapsedTimer gone;
    gone.start();
    while (!processesMentioning(dir).isEmpty() && gone.elapsed() < 3000)
        QThread::msleep(50);
    EXPECT_TRUE(processesMentioning(dir).isEmpty()) << "a demo peer is still running";
    for (const QString& pid : pids)
        EXPECT_FALSE(cmdlineOf(pid.toLongLong()).contains("plenum-peer")) << pid.toStdString();
    EXPECT_FALSE(QDir(dir).exists()) << "the demo's temporary directory was left behind";
}

#include "pulseserver.h"

#include "eventloop.h"

#include <QFileInfo>
#include <QProcessEnvironment>

namespace plenum::media::test {

PulseServer::PulseServer() = default;

PulseServer::~PulseServer()
{
    if (process_.state() != QProcess::NotRunning) {
        process_.kill(); // our own child, by its pid
        process_.waitForFinished(5000);
    }
}

bool PulseServer::start(int timeoutMs)
{
    if (!dir_.isValid()) {
        error_ = QStringLiteral("no temporary directory");
        return false;
    }
    const QString socket = dir_.filePath(QStringLiteral("native"));
    auto env = QProcessEnvironment::systemEnvironment();
    // Keep every file the daemon writes (pid, cookie, state) inside the temporary directory.
    env.insert(QStringLiteral("HOME"), dir_.path());
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir_.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir_.path());
    env.insert(QStringLiteral("PULSE_RUNTIME_PATH"), dir_.filePath(QStringLiteral("runtime")));
    env.insert(QStringLiteral("PULSE_STATE_PATH"), dir_.filePath(QStringLiteral("state")));
    process_.setProcessEnvironment(env);
    process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process_.start(QStringLiteral("pulseaudio"),
                   {"-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
                    "--use-pid-file=no",
                    "--load=module-native-protocol-unix auth-anonymous=1 socket=" + socket,
                    "--load=module-null-sink sink_name=spk rate=48000",
                    "--load=module-null-source source_name=mic rate=48000 channels=1"});
    if (!process_.waitForStarted(timeoutMs)) {
        error_ = QStringLiteral("pulseaudio did not start (packaging/install-deps.sh installs it)");
        return false;
    }
    if (!net::test::waitFor([&] { return QFileInfo::exists(socket); }, timeoutMs)) {
        error_ = QStringLiteral("pulseaudio's socket %1 did not appear").arg(socket);
        return false;
    }
    qputenv("PULSE_SERVER", ("unix:" + socket).toLocal8Bit());
    return true;
}

} // namespace plenum::media::test

#include "pulseserver.h"

#include "eventloop.h"

#include <QFile>
#include <QProcessEnvironment>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace plenum::media::test {

namespace {

// True once the daemon accepts on `path`. The file appears at bind(), before listen(): on a
// busy machine a client that connects in between is refused, and Qt's PulseAudio backend
// never retries (its device lists stay empty for the whole process).
bool accepts(const QString& path)
{
    const QByteArray native = QFile::encodeName(path);
    sockaddr_un addr{};
    if (native.size() >= static_cast<qsizetype>(sizeof addr.sun_path)) return false;
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, native.constData(), static_cast<std::size_t>(native.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

} // namespace

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
                    // Modules load in this order: the devices exist before anyone can connect.
                    "--load=module-null-sink sink_name=spk rate=48000",
                    "--load=module-null-source source_name=mic rate=48000 channels=1",
                    "--load=module-native-protocol-unix auth-anonymous=1 socket=" + socket});
    if (!process_.waitForStarted(timeoutMs)) {
        error_ = QStringLiteral("pulseaudio did not start (packaging/install-deps.sh installs it)");
        return false;
    }
    if (!net::test::waitFor([&] { return accepts(socket); }, timeoutMs)) {
        error_ = QStringLiteral("pulseaudio's socket %1 accepted no connection").arg(socket);
        return false;
    }
    qputenv("PULSE_SERVER", ("unix:" + socket).toLocal8Bit());
    return true;
}

} // namespace plenum::media::test

#include "app/unixsignalquit.h"

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace plenum::ui {

namespace {

int g_fds[2] = {-1, -1};

void onSignal(int)
{
    const char b = 1;
    // Async-signal-safe: write(2) only. A full socket means a quit is already pending.
    [[maybe_unused]] const auto n = ::write(g_fds[0], &b, 1);
}

} // namespace

UnixSignalQuit::UnixSignalQuit(QObject* parent) : QObject(parent)
{
    if (g_fds[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_fds) != 0) return;
    notifier_ = std::make_unique<QSocketNotifier>(g_fds[1], QSocketNotifier::Read);
    connect(notifier_.get(), &QSocketNotifier::activated, this, [this] {
        char b = 0;
        [[maybe_unused]] const auto n = ::read(g_fds[1], &b, 1);
        Q_EMIT quitRequested();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
}

UnixSignalQuit::~UnixSignalQuit()
{
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGINT, SIG_DFL);
}

} // namespace plenum::ui

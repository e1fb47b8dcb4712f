#pragma once
// Runs the Qt (GLib) event loop until a condition holds or a timeout passes: tests never
// sleep a fixed time.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <functional>

namespace plenum::net::test {

inline QCoreApplication* ensureApp()
{
    static int argc = 1;
    static char name[] = "plenum-net-test";
    static char* argv[] = {name, nullptr};
    static QCoreApplication* app = QCoreApplication::instance() ? QCoreApplication::instance()
                                                                : new QCoreApplication(argc, argv);
    return app;
}

// True when `done` became true within `timeoutMs`.
inline bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    ensureApp();
    if (done()) return true;
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs) loop.quit();
    });
    poll.start();
    loop.exec();
    return done();
}

} // namespace plenum::net::test

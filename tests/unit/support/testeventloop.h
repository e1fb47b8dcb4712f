#pragma once
// The Qt event loop for unit tests that need timers or queued signals: one application, made
// once, and a loop that runs until a condition holds (generous bounds: a busy machine delays
// timers).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

namespace plenum::test {

inline void ensureApp()
{
    static int argc = 1;
    static char name[] = "plenum_unit_tests";
    static char* argv[] = {name, nullptr};
    if (!QCoreApplication::instance()) new QCoreApplication(argc, argv);
}

// Runs the event loop for at most `ms`, or until `done`; returns `done()`.
template <typename F> bool runUntil(F done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    return done();
}

} // namespace plenum::test

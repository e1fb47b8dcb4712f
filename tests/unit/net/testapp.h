#pragma once
// The QCoreApplication the net unit tests' timers and event loops need, made once.
#include <QCoreApplication>

namespace plenum::net::test {

inline void ensureApp()
{
    static int argc = 1;
    static char name[] = "net_unit_test";
    static char* argv[] = {name, nullptr};
    if (!QCoreApplication::instance()) new QCoreApplication(argc, argv);
}

} // namespace plenum::net::test

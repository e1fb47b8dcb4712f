#pragma once
// Where "Bob: hello" goes when the window is not focused. An interface because there is no
// D-Bus session bus by default (FACTS.md): the app uses the tray backend, tests a recording one.

#include <QString>

namespace plenum::ui {

class Notifier {
public:
    virtual ~Notifier() = default;
    virtual void show(const QString& title, const QString& body) = 0;
};

} // namespace plenum::ui

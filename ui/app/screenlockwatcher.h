#pragma once
// When the desktop's session locks (the hand-off's lock rule, docs/handoff.md). Qt has no
// lock signal, so this listens on D-Bus for what Linux desktops send:
// - systemd-logind: the `Lock` signal of this login session
//   (org.freedesktop.login1.Session at /org/freedesktop/login1/session/auto, system bus),
//   sent by `loginctl lock-session` and by desktops that lock through logind;
// - the screen saver's `ActiveChanged(true)` on the session bus (org.freedesktop.ScreenSaver
//   as KDE and others provide it, org.gnome.ScreenSaver on GNOME).
// Either, when present, emits locked(); a bus that is missing is skipped (no error: the rule
// then never fires, and available() says so).

#include <QObject>

namespace plenum::ui {

class ScreenLockWatcher : public QObject {
    Q_OBJECT
public:
    explicit ScreenLockWatcher(QObject* parent = nullptr);
    // Connects to the buses that exist; true if at least one source is watched.
    bool start();
    bool available() const { return sources_ > 0; }

Q_SIGNALS:
    void locked();

private Q_SLOTS:
    void onLogindLock();
    void onScreenSaverActive(bool active);

private:
    int sources_ = 0;
};

} // namespace plenum::ui

#include "screenlockwatcher.h"

#include <QDBusConnection>

namespace plenum::ui {

ScreenLockWatcher::ScreenLockWatcher(QObject* parent) : QObject(parent) {}

bool ScreenLockWatcher::start()
{
    sources_ = 0;
    QDBusConnection system = QDBusConnection::systemBus();
    if (system.isConnected() &&
        system.connect(QStringLiteral("org.freedesktop.login1"),
                       QStringLiteral("/org/freedesktop/login1/session/auto"),
                       QStringLiteral("org.freedesktop.login1.Session"), QStringLiteral("Lock"),
                       this, SLOT(onLogindLock())))
        ++sources_;
    QDBusConnection session = QDBusConnection::sessionBus();
    if (session.isConnected()) {
        // Any sender: the screen saver's service name differs between desktops.
        for (const QString& iface : {QStringLiteral("org.freedesktop.ScreenSaver"),
                                     QStringLiteral("org.gnome.ScreenSaver")})
            if (session.connect(QString(), QString(), iface, QStringLiteral("ActiveChanged"), this,
                                SLOT(onScreenSaverActive(bool))))
                ++sources_;
    }
    return available();
}

void ScreenLockWatcher::onLogindLock()
{
    Q_EMIT locked();
}

void ScreenLockWatcher::onScreenSaverActive(bool active)
{
    if (active) Q_EMIT locked();
}

} // namespace plenum::ui

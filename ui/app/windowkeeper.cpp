#include "app/windowkeeper.h"

#include "app/appcontroller.h"
#include "app/appsettings.h"
#include "app/traynotifier.h"

#include <QEvent>
#include <QGuiApplication>
#include <QScreen>
#include <QWindow>

namespace plenum::ui {

WindowKeeper::WindowKeeper(QWindow* window, AppSettings* settings, AppController* controller,
                           QObject* parent)
    : QObject(parent), window_(window), settings_(settings), controller_(controller)
{
    if (!window_) return;
    const QRect saved = settings_->windowGeometry();
    // Only a position that is still on some screen (monitors come and go).
    if (saved.isValid())
        for (const QScreen* s : QGuiApplication::screens())
            if (s->availableGeometry().intersects(saved)) {
                window_->setGeometry(saved);
                break;
            }
    window_->installEventFilter(this);
    connect(window_, &QWindow::activeChanged, this,
            [this] { controller_->setWindowActive(window_ && window_->isActive()); });
}

bool WindowKeeper::trayUsable(const AppSettings* settings)
{
    return settings->trayEnabled() && TrayNotifier::available();
}

bool WindowKeeper::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == window_ && event->type() == QEvent::Close) {
        saveGeometry();
        if (trayUsable(settings_)) {
            event->ignore();
            window_->hide();
            controller_->setWindowActive(false);
        } else {
            event->ignore();
            controller_->quit();
        }
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void WindowKeeper::saveGeometry()
{
    if (window_ && window_->isVisible()) settings_->setWindowGeometry(window_->geometry());
}

void WindowKeeper::showAndRaise()
{
    if (!window_) return;
    window_->show();
    window_->raise();
    window_->requestActivate();
}

} // namespace plenum::ui

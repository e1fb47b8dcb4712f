#pragma once
// The system tray icon: shows notifications as balloon messages, and is where the window goes
// when it is closed with the tray enabled. Its menu offers Show and Quit.

#include "app/notifier.h"

#include <QMenu>
#include <QObject>
#include <QSystemTrayIcon>

namespace plenum::ui {

class TrayNotifier : public QObject, public Notifier {
    Q_OBJECT
public:
    explicit TrayNotifier(QObject* parent = nullptr);
    // False when the platform has no tray (offscreen, many Wayland shells): then closing the
    // window must quit, or the app would be left running with nothing to bring it back.
    static bool available();
    void setVisible(bool visible);
    void show(const QString& title, const QString& body) override;

Q_SIGNALS:
    void showWindowRequested();
    void quitRequested();

private:
    QMenu menu_;
    QSystemTrayIcon icon_;
};

} // namespace plenum::ui

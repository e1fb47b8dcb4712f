#pragma once
// The main window's life outside QML: restores its size and position, saves them on quit,
// turns "close" into "hide to the tray" when the tray is enabled and present (otherwise close
// quits), and tells the controller whether the window has focus (for notifications).

#include <QObject>
#include <QPointer>

class QWindow;

namespace plenum::ui {

class AppSettings;
class AppController;

class WindowKeeper : public QObject {
    Q_OBJECT
public:
    WindowKeeper(QWindow* window, AppSettings* settings, AppController* controller,
                 QObject* parent = nullptr);
    void saveGeometry();
    void showAndRaise();
    // False: close quits (no tray on this platform, or the setting is off).
    static bool trayUsable(const AppSettings* settings);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QPointer<QWindow> window_;
    AppSettings* settings_;
    AppController* controller_;
};

} // namespace plenum::ui

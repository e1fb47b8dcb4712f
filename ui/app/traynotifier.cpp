#include "app/traynotifier.h"

#include <QApplication>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace plenum::ui {

namespace {

// A plain drawn icon: the app ships no icon theme entry yet.
QIcon trayIcon()
{
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(QColor(0x3b, 0x6e, 0xc8));
    p.setPen(Qt::NoPen);
    p.drawEllipse(2, 2, 28, 28);
    p.setPen(Qt::white);
    QFont f = p.font();
    f.setBold(true);
    f.setPixelSize(18);
    p.setFont(f);
    p.drawText(pm.rect(), Qt::AlignCenter, QStringLiteral("P"));
    return QIcon(pm);
}

} // namespace

TrayNotifier::TrayNotifier(QObject* parent) : QObject(parent)
{
    icon_.setIcon(trayIcon());
    icon_.setToolTip(QStringLiteral("Plenum"));
    connect(menu_.addAction(tr("Show Plenum")), &QAction::triggered, this,
            &TrayNotifier::showWindowRequested);
    connect(menu_.addAction(tr("Quit")), &QAction::triggered, this, &TrayNotifier::quitRequested);
    icon_.setContextMenu(&menu_);
    connect(&icon_, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger) Q_EMIT showWindowRequested();
    });
    connect(&icon_, &QSystemTrayIcon::messageClicked, this, &TrayNotifier::showWindowRequested);
}

bool TrayNotifier::available()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayNotifier::setVisible(bool visible)
{
    icon_.setVisible(visible && available());
}

void TrayNotifier::show(const QString& title, const QString& body)
{
    if (icon_.isVisible()) icon_.showMessage(title, body, QSystemTrayIcon::Information, 5000);
}

} // namespace plenum::ui

// plenum: the desktop app (docs/ui.md). `--demo` starts three local peers on a private
// loopback DHT and a group with them; `--profile DIR` picks the profile directory.

#include "app/appcontroller.h"
#include "app/appsettings.h"
#include "app/demopeers.h"
#include "app/qrimageprovider.h"
#include "app/traynotifier.h"
#include "app/unixsignalquit.h"
#include "app/windowkeeper.h"
#include "identity/dhtconfig.h"

#include <QApplication>
#if defined(PLENUM_HAVE_WEBENGINE)
#include <QtWebEngineQuick/qtwebenginequickglobal.h>
#endif
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickWindow>
#include <QStandardPaths>

#include <csignal>
#include <cstdio>
#include <unistd.h>

#if defined(PLENUM_QML_STATIC_PLUGIN)
#include <QtQml/qqmlextensionplugin.h>
Q_IMPORT_QML_PLUGIN(Plenum_UiPlugin)
#endif

using namespace plenum;

#if defined(PLENUM_HAVE_QML)
namespace {

// The module's Main.qml: Qt 6.4 puts it under /Plenum/Ui unless the module chose the
// /qt/qml prefix that Qt 6.5 made the default.
QUrl mainQml()
{
    for (const char* path : {":/qt/qml/Plenum/Ui/Main.qml", ":/Plenum/Ui/Main.qml"})
        if (QFile::exists(QLatin1String(path)))
            return QUrl(QStringLiteral("qrc") + QLatin1String(path));
    return {};
}

} // namespace
#endif

int main(int argc, char** argv)
{
#if defined(PLENUM_HAVE_WEBENGINE)
    // Before the application object: WebEngine shares its GL context with Qt Quick.
    QtWebEngineQuick::initialize();
#endif
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Plenum"));
    QApplication::setApplicationName(QStringLiteral("plenum"));
    QApplication::setApplicationDisplayName(QStringLiteral("Plenum"));
    // The window may be hidden in the tray; only Quit ends the app.
    QApplication::setQuitOnLastWindowClosed(false);
    std::signal(SIGPIPE, SIG_IGN);

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Plenum: peer-to-peer group chat"));
    cli.addHelpOption();
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QStringLiteral("Start three local demo peers on a private loopback network."));
    const QCommandLineOption profileOption(
        QStringLiteral("profile"), QStringLiteral("Profile directory."), QStringLiteral("DIR"));
    const QCommandLineOption classOption(
        QStringLiteral("device-class"),
        QStringLiteral("What this device is: desktop (default), laptop or phone. A phone gets the "
                       "one-column touch layout."),
        QStringLiteral("CLASS"), QStringLiteral("desktop"));
    cli.addOption(demoOption);
    cli.addOption(profileOption);
    cli.addOption(classOption);
    cli.process(app);
    const bool demo = cli.isSet(demoOption);
    // The demo is a private world on loopback (DESIGN §2). Under this switch anything that
    // would reach beyond the machine refuses to start, here and in the demo's peers.
    if (demo) qputenv(identity::DhtConfig::kPrivateOnlyVariable, "1");
    const auto deviceClass = protocol::deviceClassFromName(cli.value(classOption));
    if (!deviceClass || *deviceClass == protocol::DeviceClass::Wired) {
        std::fprintf(stderr,
                     "plenum: --device-class must be desktop, laptop or phone, not \"%s\"\n",
                     qPrintable(cli.value(classOption)));
        return 2;
    }

    ui::AppController::Options options;
    options.demo = demo;
    options.deviceClass = *deviceClass;
#if defined(PLENUM_HAVE_WEBENGINE)
    // Chromium's sandbox refuses to run as root. We do not switch it off behind the user's
    // back: as root the co-browse pane follows in text only, unless the user set
    // QTWEBENGINE_DISABLE_SANDBOX=1 themselves.
    options.webView = ::geteuid() != 0 || qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX");
    if (!options.webView)
        std::fprintf(stderr, "plenum: running as root: the co-browse pane shows addresses, not "
                             "pages (set QTWEBENGINE_DISABLE_SANDBOX=1 to show pages anyway)\n");
#endif
    options.profileDir = cli.isSet(profileOption)
                             ? QDir(cli.value(profileOption)).absolutePath()
                             : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                   QStringLiteral("/profile");

    // The demo keeps its settings in memory: it must not change the person's configuration.
    ui::AppSettings settings(demo ? nullptr : std::make_unique<QSettings>(), demo);
    ui::TrayNotifier tray;
    tray.setVisible(settings.trayEnabled());
    QObject::connect(&settings, &ui::AppSettings::changed, &tray,
                     [&] { tray.setVisible(settings.trayEnabled()); });
    ui::AppController controller(options, &settings, &tray);

    QQmlApplicationEngine engine;
    engine.addImageProvider(QStringLiteral("qr"), new ui::QrImageProvider);
    engine.rootContext()->setContextProperty(QStringLiteral("app"), &controller);
    QQuickWindow* window = nullptr;
#if defined(PLENUM_HAVE_QML)
    const QUrl url = mainQml();
    if (!url.isEmpty()) engine.load(url);
    if (engine.rootObjects().isEmpty()) {
        std::fprintf(stderr, "plenum: the user interface (Main.qml) could not be loaded\n");
        return 1;
    }
    window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
#else
    std::fprintf(stderr,
                 "plenum: built without the QML views (ui/qml); running without a window\n");
#endif
    ui::WindowKeeper keeper(window, &settings, &controller);

    QObject::connect(&tray, &ui::TrayNotifier::showWindowRequested, &keeper,
                     &ui::WindowKeeper::showAndRaise);
    QObject::connect(&tray, &ui::TrayNotifier::quitRequested, &controller,
                     &ui::AppController::quit);
    ui::UnixSignalQuit signalQuit;
    QObject::connect(&signalQuit, &ui::UnixSignalQuit::quitRequested, &controller,
                     &ui::AppController::quit);
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &keeper,
                     &ui::WindowKeeper::saveGeometry);
    QObject::connect(&controller, &ui::AppController::finished, &app, [&] {
        keeper.saveGeometry();
        QCoreApplication::quit();
    });
    // One line for scripts and tests: the demo group is up (its peers' pids, for checking
    // that none is left after quitting).
    QObject::connect(&controller, &ui::AppController::demoReady, &app, [&](const QString& sid) {
        QStringList pids;
        for (qint64 pid : controller.demoPeers()->pids())
            pids.append(QString::number(pid));
        std::printf("plenum: demo ready sid=%s peers=%s dir=%s\n", qPrintable(sid),
                    qPrintable(pids.join(QLatin1Char(','))),
                    qPrintable(controller.demoPeers()->directory()));
        std::fflush(stdout);
    });
    QObject::connect(&controller, &ui::AppController::phaseChanged, &app, [&] {
        if (controller.phase() == QLatin1String("error"))
            std::fprintf(stderr, "plenum: %s\n", qPrintable(controller.errorText()));
    });

    controller.start();
    return app.exec();
}

// Runs the tst_*.qml component tests against the Plenum.Ui module linked into this binary.
#include <QImage>
#include <QQmlEngine>
#include <QQuickImageProvider>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(Plenum_UiPlugin)

namespace {

// Stands in for the app's image://qr provider: the tests check the URL, not the drawing.
class CheckerImageProvider : public QQuickImageProvider {
public:
    CheckerImageProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}
    QImage requestImage(const QString&, QSize* size, const QSize& requested) override
    {
        const int side = requested.isValid() ? qMax(requested.width(), 8) : 64;
        QImage image(side, side, QImage::Format_RGB32);
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x)
                image.setPixel(x, y, ((x / 8 + y / 8) % 2) ? 0xffffffff : 0xff000000);
        *size = image.size();
        return image;
    }
};

} // namespace

class QuickTestSetup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine* engine)
    {
        // The module lives in the resources at :/Plenum/Ui (qt_add_qml_module's default prefix).
        engine->addImportPath(QStringLiteral("qrc:/"));
        engine->addImageProvider(QStringLiteral("qr"), new CheckerImageProvider);
    }
};

QUICK_TEST_MAIN_WITH_SETUP(plenum_ui, QuickTestSetup)

#include "quicktestmain.moc"

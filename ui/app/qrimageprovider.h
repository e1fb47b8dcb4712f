#pragma once
// `image://qr/<url-encoded text>`: a QR code for QML (the pairing code in Settings → devices),
// drawn from core/identity/QrCode with a quiet zone, scaled to whole pixels per module.

#include <QImage>
#include <QQuickImageProvider>

namespace plenum::ui {

class QrImageProvider : public QQuickImageProvider {
public:
    QrImageProvider();
    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override;

    // The same drawing for C++ callers (tests, the QR reader's round trip). Null on failure.
    static QImage render(const QByteArray& text, int sidePixels);
};

} // namespace plenum::ui

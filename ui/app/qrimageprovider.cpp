#include "app/qrimageprovider.h"

#include "identity/qrcode.h"

#include <QPainter>
#include <QUrl>

namespace plenum::ui {

namespace {
constexpr int kQuietZone = 4; // modules, as ISO/IEC 18004 asks
constexpr int kDefaultSide = 256;
constexpr int kMaxSide = 2048;
} // namespace

QrImageProvider::QrImageProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}

QImage QrImageProvider::requestImage(const QString& id, QSize* size, const QSize& requestedSize)
{
    const QByteArray text = QUrl::fromPercentEncoding(id.toUtf8()).toUtf8();
    int side = std::max(requestedSize.width(), requestedSize.height());
    if (side <= 0) side = kDefaultSide;
    QImage img = render(text, std::min(side, kMaxSide));
    if (size) *size = img.size();
    return img;
}

QImage QrImageProvider::render(const QByteArray& text, int sidePixels)
{
    auto qr = identity::QrCode::encode(text);
    if (!qr) return {};
    const int modules = qr->size() + 2 * kQuietZone;
    const int scale = std::max(1, sidePixels / modules);
    QImage img(modules * scale, modules * scale, QImage::Format_Grayscale8);
    img.fill(Qt::white);
    QPainter p(&img);
    for (int y = 0; y < qr->size(); ++y)
        for (int x = 0; x < qr->size(); ++x)
            if (qr->dark(x, y))
                p.fillRect((x + kQuietZone) * scale, (y + kQuietZone) * scale, scale, scale,
                           Qt::black);
    return img;
}

} // namespace plenum::ui

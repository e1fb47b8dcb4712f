#include "app/qrimagereader.h"

#include <QFileInfo>
#include <QImageReader>

#include <zbar.h>

#include <memory>

namespace plenum::ui {

Result<QString> QrImageReader::readFile(const QString& path)
{
    const QFileInfo info(path);
    if (!info.isFile()) return fail("There is no image file at " + path + ".");
    if (info.size() > kMaxFileBytes) return fail("The image is too large (over 32 MB).");
    QImageReader reader(path);
    reader.setAllocationLimit(256); // MB; a hostile header cannot make us allocate more
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > kMaxSide || size.height() > kMaxSide))
        return fail("The image is too large (over 8192 pixels on a side).");
    QImage image = reader.read();
    if (image.isNull())
        return fail("The file could not be read as an image: " + reader.errorString() + ".");
    return read(image);
}

Result<QString> QrImageReader::read(const QImage& source)
{
    if (source.isNull()) return fail("The image is empty.");
    if (source.width() > kMaxSide || source.height() > kMaxSide)
        return fail("The image is too large (over 8192 pixels on a side).");
    // zbar wants 8-bit gray ("Y800") rows without padding.
    QImage gray = source.convertToFormat(QImage::Format_Grayscale8);
    QByteArray pixels;
    pixels.reserve(gray.width() * gray.height());
    for (int y = 0; y < gray.height(); ++y)
        pixels.append(reinterpret_cast<const char*>(gray.constScanLine(y)), gray.width());

    std::unique_ptr<zbar::zbar_image_scanner_t, decltype(&zbar::zbar_image_scanner_destroy)>
        scanner(zbar::zbar_image_scanner_create(), &zbar::zbar_image_scanner_destroy);
    zbar::zbar_image_scanner_set_config(scanner.get(), zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
    zbar::zbar_image_scanner_set_config(scanner.get(), zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
    std::unique_ptr<zbar::zbar_image_t, decltype(&zbar::zbar_image_destroy)> image(
        zbar::zbar_image_create(), &zbar::zbar_image_destroy);
    zbar::zbar_image_set_format(image.get(), zbar_fourcc('Y', '8', '0', '0'));
    zbar::zbar_image_set_size(image.get(), unsigned(gray.width()), unsigned(gray.height()));
    // No cleanup handler: `pixels` outlives the image.
    zbar::zbar_image_set_data(image.get(), pixels.constData(), unsigned(pixels.size()), nullptr);
    const int found = zbar::zbar_scan_image(scanner.get(), image.get());
    if (found < 0) return fail("The image could not be scanned.");
    for (const zbar::zbar_symbol_t* s = zbar::zbar_image_first_symbol(image.get()); s;
         s = zbar::zbar_symbol_next(s)) {
        if (zbar::zbar_symbol_get_type(s) != zbar::ZBAR_QRCODE) continue;
        const unsigned length = zbar::zbar_symbol_get_data_length(s);
        if (length > unsigned(kMaxTextBytes)) return fail("The QR code holds too much text.");
        return QString::fromUtf8(zbar::zbar_symbol_get_data(s), int(length));
    }
    return fail("No QR code was found in the image. Take a sharper picture of the whole code.");
}

} // namespace plenum::ui

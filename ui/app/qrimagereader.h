#pragma once
// Reads a QR code from an image file (there is no camera here): a screenshot or photo of
// another device's pairing QR. Decoding is zbar's; the file is untrusted, so its size and
// pixel count are bounded before anything is decoded.

#include "protocol/result.h"

#include <QImage>
#include <QString>

namespace plenum::ui {

class QrImageReader {
public:
    static constexpr qint64 kMaxFileBytes = 32 * 1024 * 1024;
    static constexpr int kMaxSide = 8192;
    static constexpr int kMaxTextBytes = 4096;

    static Result<QString> readFile(const QString& path);
    static Result<QString> read(const QImage& image);
};

} // namespace plenum::ui

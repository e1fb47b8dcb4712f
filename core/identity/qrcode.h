#pragma once
// A QR code as a module matrix (libqrencode). Core depends on Qt6::Core only, so it produces
// the matrix plus SVG and PBM renderings; the UI draws them.

#include "protocol/result.h"

#include <QByteArray>
#include <QList>

namespace plenum::identity {

class QrCode {
public:
    static constexpr int kMaxInputBytes = 1024;

    static Result<QrCode> encode(const QByteArray& text);

    int size() const { return size_; } // modules per side, without the quiet zone
    bool dark(int x, int y) const { return modules_[y * size_ + x]; }

    QByteArray toSvg(int moduleSize = 8, int quietZone = 4) const;
    QByteArray toPbm(int quietZone = 4) const; // plain PBM (P1), one pixel per module

private:
    int size_ = 0;
    QList<bool> modules_;
};

} // namespace plenum::identity

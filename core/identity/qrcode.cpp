#include "identity/qrcode.h"

#include <qrencode.h>

namespace plenum::identity {

Result<QrCode> QrCode::encode(const QByteArray& text)
{
    if (text.isEmpty() || text.size() > kMaxInputBytes)
        return fail(QStringLiteral("the text for the QR code is empty or too long"));
    QRcode* qr = QRcode_encodeData(static_cast<int>(text.size()),
                                   reinterpret_cast<const unsigned char*>(text.constData()), 0,
                                   QR_ECLEVEL_M);
    if (!qr) return fail(QStringLiteral("the QR code could not be encoded"));
    QrCode out;
    out.size_ = qr->width;
    out.modules_.resize(static_cast<qsizetype>(qr->width) * qr->width);
    for (int i = 0; i < qr->width * qr->width; ++i)
        out.modules_[i] = (qr->data[i] & 1) != 0; // bit 0: dark module
    QRcode_free(qr);
    return out;
}

QByteArray QrCode::toSvg(int moduleSize, int quietZone) const
{
    const int side = (size_ + 2 * quietZone) * moduleSize;
    QByteArray svg = QByteArrayLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") +
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                     QByteArray::number(side) + "\" height=\"" + QByteArray::number(side) +
                     "\" viewBox=\"0 0 " + QByteArray::number(side) + ' ' +
                     QByteArray::number(side) +
                     "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" height=\"100%\" "
                     "fill=\"#fff\"/>\n<path fill=\"#000\" d=\"";
    for (int y = 0; y < size_; ++y)
        for (int x = 0; x < size_; ++x)
            if (dark(x, y))
                svg += 'M' + QByteArray::number((x + quietZone) * moduleSize) + ',' +
                       QByteArray::number((y + quietZone) * moduleSize) + 'h' +
                       QByteArray::number(moduleSize) + 'v' + QByteArray::number(moduleSize) + 'h' +
                       QByteArray::number(-moduleSize) + 'z';
    svg += "\"/>\n</svg>\n";
    return svg;
}

QByteArray QrCode::toPbm(int quietZone) const
{
    const int side = size_ + 2 * quietZone;
    QByteArray pbm = "P1\n" + QByteArray::number(side) + ' ' + QByteArray::number(side) + '\n';
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) {
            const int mx = x - quietZone, my = y - quietZone;
            const bool on = mx >= 0 && my >= 0 && mx < size_ && my < size_ && dark(mx, my);
            pbm += on ? '1' : '0';
            pbm += x + 1 < side ? ' ' : '\n';
        }
    }
    return pbm;
}

} // namespace plenum::identity

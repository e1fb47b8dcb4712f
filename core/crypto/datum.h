#pragma once
// GnuTLS datum <-> QByteArray, shared by keys.cpp and certificate.cpp (internal header).

#include <QByteArray>

#include <gnutls/gnutls.h>

namespace plenum::crypto::detail {

// Copies a datum GnuTLS allocated and frees it.
inline QByteArray takeDatum(gnutls_datum_t& d)
{
    QByteArray out(reinterpret_cast<const char*>(d.data), static_cast<qsizetype>(d.size));
    gnutls_free(d.data);
    d.data = nullptr;
    return out;
}

// A view of `b` for GnuTLS calls that only read it.
inline gnutls_datum_t datumOf(const QByteArray& b)
{
    return gnutls_datum_t{reinterpret_cast<unsigned char*>(const_cast<char*>(b.constData())),
                          static_cast<unsigned int>(b.size())};
}

} // namespace plenum::crypto::detail

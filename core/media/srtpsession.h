#pragma once
// SRTP for one link (RFC 3711) with AEAD_AES_128_GCM (RFC 7714): one libsrtp session protects
// what we send with the link's local key, another unprotects what the peer sends with its
// remote key. Keys come from the control link's TLS exporter (ControlLink::srtpKeys(28)), so no
// key ever travels in a message. Replayed and tampered packets are dropped and counted.

#include "protocol/result.h"

#include <QByteArray>

struct srtp_ctx_t_;

namespace plenum::media {

class SrtpSession {
public:
    // RFC 7714 §12: 16-byte key + 12-byte salt.
    static constexpr int kKeySaltLength = 28;

    struct Counters {
        quint64 protectedPackets = 0;
        quint64 unprotectedPackets = 0;
        quint64 replayed = 0; // RFC 3711 §3.3.2: index seen before or older than the window
        quint64 tampered = 0; // the GCM tag did not verify
        quint64 malformed = 0;
    };

    static Result<SrtpSession> create(const QByteArray& localKeySalt,
                                      const QByteArray& remoteKeySalt);
    SrtpSession(SrtpSession&& other) noexcept;
    SrtpSession& operator=(SrtpSession&& other) noexcept;
    SrtpSession(const SrtpSession&) = delete;
    SrtpSession& operator=(const SrtpSession&) = delete;
    ~SrtpSession();

    Result<QByteArray> protect(const QByteArray& rtp);
    Result<QByteArray> unprotect(const QByteArray& srtp);
    const Counters& counters() const { return counters_; }

private:
    SrtpSession() = default;
    srtp_ctx_t_* send_ = nullptr;
    srtp_ctx_t_* receive_ = nullptr;
    Counters counters_;
};

} // namespace plenum::media

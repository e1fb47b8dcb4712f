#include "media/srtpsession.h"

#include "media/rtppacket.h"

#include <srtp2/srtp.h>

#include <mutex>
#include <utility>

namespace plenum::media {

namespace {

bool initLibrary()
{
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = srtp_init() == srtp_err_status_ok; });
    return ok;
}

Result<srtp_t> makeSession(const QByteArray& keySalt, srtp_ssrc_type_t direction)
{
    srtp_policy_t policy{};
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    policy.ssrc.type = direction;
    // libsrtp copies the key into its own context in srtp_create.
    policy.key = reinterpret_cast<unsigned char*>(const_cast<char*>(keySalt.constData()));
    policy.window_size = 1024; // RFC 3711 §3.3.2 minimum is 64; reordering of 20 s of audio
    policy.allow_repeat_tx = 0;
    srtp_t session = nullptr;
    if (const auto status = srtp_create(&session, &policy); status != srtp_err_status_ok)
        return fail(QStringLiteral("libsrtp refused the session (status %1)").arg(int(status)));
    return session;
}

} // namespace

Result<SrtpSession> SrtpSession::create(const QByteArray& localKeySalt,
                                        const QByteArray& remoteKeySalt)
{
    if (localKeySalt.size() != kKeySaltLength || remoteKeySalt.size() != kKeySaltLength)
        return fail(QStringLiteral("AEAD_AES_128_GCM needs %1 bytes of key and salt per direction")
                        .arg(kKeySaltLength));
    if (!initLibrary()) return fail(QStringLiteral("libsrtp did not initialise"));
    SrtpSession s;
    auto send = makeSession(localKeySalt, ssrc_any_outbound);
    if (!send) return Error{send.error()};
    s.send_ = send.value();
    auto receive = makeSession(remoteKeySalt, ssrc_any_inbound);
    if (!receive) return Error{receive.error()};
    s.receive_ = receive.value();
    return s;
}

SrtpSession::SrtpSession(SrtpSession&& other) noexcept
    : send_(std::exchange(other.send_, nullptr)), receive_(std::exchange(other.receive_, nullptr)),
      counters_(other.counters_)
{
}

SrtpSession& SrtpSession::operator=(SrtpSession&& other) noexcept
{
    if (this != &other) {
        this->~SrtpSession();
        send_ = std::exchange(other.send_, nullptr);
        receive_ = std::exchange(other.receive_, nullptr);
        counters_ = other.counters_;
    }
    return *this;
}

SrtpSession::~SrtpSession()
{
    if (send_) srtp_dealloc(send_);
    if (receive_) srtp_dealloc(receive_);
    send_ = receive_ = nullptr;
}

Result<QByteArray> SrtpSession::protect(const QByteArray& rtp)
{
    if (rtp.size() < RtpPacket::kHeaderSize || rtp.size() > RtpPacket::kMaxSize)
        return fail(
            QStringLiteral("an RTP packet of %1 bytes cannot be protected").arg(rtp.size()));
    // FACTS.md: libsrtp writes the tag after the payload; leave SRTP_MAX_TRAILER_LEN free.
    QByteArray out = rtp;
    out.resize(rtp.size() + SRTP_MAX_TRAILER_LEN);
    int length = int(rtp.size());
    if (const auto status = srtp_protect(send_, out.data(), &length); status != srtp_err_status_ok)
        return fail(QStringLiteral("SRTP protect failed (status %1)").arg(int(status)));
    out.resize(length);
    ++counters_.protectedPackets;
    return out;
}

Result<QByteArray> SrtpSession::unprotect(const QByteArray& srtp)
{
    // The tag is 16 bytes (RFC 7714 §9.1); anything outside these bounds is not ours.
    if (srtp.size() < RtpPacket::kHeaderSize + 16 ||
        srtp.size() > RtpPacket::kMaxSize + SRTP_MAX_TRAILER_LEN) {
        ++counters_.malformed;
        return fail(QStringLiteral("an SRTP packet of %1 bytes is out of bounds").arg(srtp.size()));
    }
    QByteArray out = srtp;
    int length = int(out.size());
    const auto status = srtp_unprotect(receive_, out.data(), &length);
    switch (status) {
    case srtp_err_status_ok:
        out.resize(length);
        ++counters_.unprotectedPackets;
        return out;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
        ++counters_.replayed;
        return fail(QStringLiteral("a replayed SRTP packet was dropped"));
    case srtp_err_status_auth_fail:
        ++counters_.tampered;
        return fail(QStringLiteral("an SRTP packet failed authentication"));
    default:
        ++counters_.malformed;
        return fail(QStringLiteral("SRTP unprotect failed (status %1)").arg(int(status)));
    }
}

} // namespace plenum::media

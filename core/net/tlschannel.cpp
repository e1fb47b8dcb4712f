#include "net/tlschannel.h"

#include "net/icelink.h"

#include <QPointer>

#include <cerrno>
#include <sys/uio.h>

#include <gnutls/gnutls.h>

namespace plenum::net {

namespace {

// TLS 1.3 only (DESIGN §3). NORMAL keeps Ed25519 among the signature algorithms.
constexpr const char* kPriority = "NORMAL:-VERS-ALL:+VERS-TLS1.3";
constexpr qsizetype kRecordChunk = 16 * 1024;
constexpr unsigned kMaxChainLength = 4;
constexpr unsigned kMaxCertificateSize = 16 * 1024;

QString gnutlsText(int rc)
{
    return QString::fromUtf8(gnutls_strerror(rc));
}

} // namespace

TlsChannel::TlsChannel(IceLink* ice, Role role, const LinkCredentials& credentials,
                       ChainVerifier verifier, const DeviceId& expectedPeer, QObject* parent)
    : QObject(parent), ice_(ice), role_(role), verifier_(std::move(verifier)),
      expectedPeer_(expectedPeer)
{
    gnutls_init(&session_, (role == Role::Client ? GNUTLS_CLIENT : GNUTLS_SERVER) |
                               GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL);
    gnutls_priority_set_direct(session_, kPriority, nullptr);
    gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, credentials.native());
    if (role == Role::Server) gnutls_certificate_server_set_request(session_, GNUTLS_CERT_REQUIRE);
    // Our own timeouts (ControlLink) bound the handshake; GnuTLS's wall-clock one would fire
    // between event-loop turns.
    gnutls_handshake_set_timeout(session_, 0);
    gnutls_session_set_ptr(session_, this);
    gnutls_session_set_verify_function(session_, [](gnutls_session_t s) {
        return static_cast<TlsChannel*>(gnutls_session_get_ptr(s))->verifyPeer();
    });
    gnutls_transport_set_ptr(session_, this);
    // Vector push coalesces a handshake flight into one send (FACTS.md).
    gnutls_transport_set_vec_push_function(
        session_, [](gnutls_transport_ptr_t p, const giovec_t* iov, int count) -> ssize_t {
            return static_cast<TlsChannel*>(p)->push(reinterpret_cast<const iovec*>(iov), count);
        });
    gnutls_transport_set_pull_function(
        session_, [](gnutls_transport_ptr_t p, void* data, size_t size) -> ssize_t {
            return static_cast<TlsChannel*>(p)->pull(data, size);
        });
    gnutls_transport_set_pull_timeout_function(
        session_, [](gnutls_transport_ptr_t p, unsigned) -> int {
            auto* self = static_cast<TlsChannel*>(p);
            return self->inbox_.size() > self->inboxPos_ ? 1 : 0;
        });

    // FACTS.md: drive the handshake from CONNECTED, the receive callback and writable.
    connect(ice_, &IceLink::connected, this, &TlsChannel::drive);
    connect(ice_, &IceLink::writable, this, &TlsChannel::drive);
    connect(ice_, &IceLink::received, this, [this](const QByteArray& bytes) {
        inbox_.append(bytes);
        drive();
    });
    if (ice_->isConnected()) drive();
}

TlsChannel::~TlsChannel()
{
    if (ice_) disconnect(ice_, nullptr, this, nullptr);
    gnutls_deinit(session_);
}

void TlsChannel::drive()
{
    if (dead_) return;
    if (!established_) {
        handshake();
        if (!established_ || dead_) return;
    }
    QPointer<TlsChannel> guard(this);
    flush();
    if (!guard || dead_) return;
    readRecords();
}

void TlsChannel::handshake()
{
    const int rc = gnutls_handshake(session_);
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return;
    if (rc < 0) {
        if (!verifyFailure_.isEmpty())
            fail(verifyFailure_, rc);
        else if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED)
            fail(QStringLiteral("the peer refused the TLS handshake (alert: %1)")
                     .arg(QString::fromUtf8(gnutls_alert_get_name(gnutls_alert_get(session_)))),
                 rc);
        else
            fail(QStringLiteral("the TLS handshake failed: %1").arg(gnutlsText(rc)), rc);
        return;
    }
    established_ = true;
    QPointer<TlsChannel> guard(this);
    Q_EMIT established();
    if (!guard) return;
}

int TlsChannel::verifyPeer()
{
    unsigned count = 0;
    const gnutls_datum_t* certs = gnutls_certificate_get_peers(session_, &count);
    if (!certs || count == 0) {
        verifyFailure_ = QStringLiteral("the peer presented no certificate");
        return GNUTLS_E_CERTIFICATE_ERROR;
    }
    if (count > kMaxChainLength) {
        verifyFailure_ = QStringLiteral("the peer presented %1 certificates; a link chain has "
                                        "at most %2")
                             .arg(count)
                             .arg(kMaxChainLength);
        return GNUTLS_E_CERTIFICATE_ERROR;
    }
    QList<QByteArray> chain;
    for (unsigned i = 0; i < count; ++i) {
        if (certs[i].size > kMaxCertificateSize) {
            verifyFailure_ = QStringLiteral("a peer certificate is larger than %1 bytes")
                                 .arg(kMaxCertificateSize);
            return GNUTLS_E_CERTIFICATE_ERROR;
        }
        chain.append(QByteArray(reinterpret_cast<const char*>(certs[i].data), certs[i].size));
    }
    auto identity = verifier_ ? verifier_(chain)
                              : Result<PeerIdentity>(Error{QStringLiteral("no chain verifier")});
    if (!identity) {
        verifyFailure_ =
            QStringLiteral("the peer's certificate chain is invalid: %1").arg(identity.error());
        return GNUTLS_E_CERTIFICATE_ERROR;
    }
    if (identity->device != expectedPeer_) {
        verifyFailure_ = QStringLiteral("the peer's certificate belongs to device %1, not to "
                                        "device %2 that we meant to reach")
                             .arg(identity->device.shortHex(), expectedPeer_.shortHex());
        return GNUTLS_E_CERTIFICATE_ERROR;
    }
    peer_ = identity.value();
    return 0;
}

void TlsChannel::write(const QByteArray& plaintext)
{
    if (dead_ || plaintext.isEmpty()) return;
    outbox_.append(plaintext);
    queued_ += plaintext.size();
    if (established_) flush();
}

void TlsChannel::flush()
{
    bool sentSomething = false;
    while (!outbox_.isEmpty() && !dead_) {
        const QByteArray& front = outbox_.front();
        const qsizetype chunk = qMin(kRecordChunk, front.size() - outboxPos_);
        // After GNUTLS_E_AGAIN the same pointer and length are passed again (FACTS.md):
        // front is untouched until fully sent, and chunk depends only on outboxPos_.
        const ssize_t rc = gnutls_record_send(session_, front.constData() + outboxPos_, chunk);
        if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return;
        if (rc < 0) {
            fail(QStringLiteral("sending on the TLS session failed: %1").arg(gnutlsText(int(rc))),
                 int(rc));
            return;
        }
        sentSomething = true;
        outboxPos_ += rc;
        queued_ -= rc;
        if (outboxPos_ == front.size()) {
            outbox_.removeFirst();
            outboxPos_ = 0;
        }
    }
    if (sentSomething && outbox_.isEmpty()) Q_EMIT drained();
}

void TlsChannel::readRecords()
{
    QPointer<TlsChannel> guard(this);
    char buffer[kRecordChunk];
    while (guard && !dead_) {
        const ssize_t rc = gnutls_record_recv(session_, buffer, sizeof buffer);
        if (rc > 0) {
            Q_EMIT plaintext(QByteArray(buffer, qsizetype(rc)));
            continue;
        }
        if (rc == 0) {
            dead_ = true;
            Q_EMIT closedByPeer();
            return;
        }
        if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return;
        if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED) {
            const auto alert = gnutls_alert_get(session_);
            fail(QStringLiteral("the peer refused the link (TLS alert: %1)")
                     .arg(QString::fromUtf8(gnutls_alert_get_name(alert))),
                 int(rc));
            return;
        }
        if (!gnutls_error_is_fatal(int(rc))) continue; // warning alerts, session tickets
        fail(QStringLiteral("the TLS session broke: %1").arg(gnutlsText(int(rc))), int(rc));
        return;
    }
}

void TlsChannel::shutdown()
{
    if (dead_ || !established_) return;
    gnutls_bye(session_, GNUTLS_SHUT_WR); // best effort; non-blocking
}

void TlsChannel::fail(const QString& reason, int gnutlsError)
{
    if (dead_) return;
    dead_ = true;
    // Tell the peer why, as an alert, unless it was the peer that told us.
    if (gnutlsError != GNUTLS_E_FATAL_ALERT_RECEIVED && gnutlsError != GNUTLS_E_PUSH_ERROR)
        gnutls_alert_send_appropriate(session_, gnutlsError);
    Q_EMIT failed(reason);
}

Result<QByteArray> TlsChannel::exportKeyingMaterial(const QByteArray& label,
                                                    const QByteArray& context, int size) const
{
    if (!established_)
        return plenum::fail(QStringLiteral("keys can be exported only from an established link"));
    QByteArray out(size, Qt::Uninitialized);
    const int rc =
        gnutls_prf_rfc5705(session_, size_t(label.size()), label.constData(),
                           size_t(context.size()), context.constData(), size_t(size), out.data());
    if (rc < 0)
        return plenum::fail(QStringLiteral("TLS key export failed: %1").arg(gnutlsText(rc)));
    return out;
}

long TlsChannel::push(const iovec* iov, int count)
{
    QByteArray flight;
    for (int i = 0; i < count; ++i)
        flight.append(static_cast<const char*>(iov[i].iov_base), qsizetype(iov[i].iov_len));
    const qint64 sent = ice_ ? ice_->send(flight.constData(), flight.size()) : -1;
    if (sent > 0) return long(sent);
    gnutls_transport_set_errno(session_, sent == 0 ? EAGAIN : ECONNRESET);
    return -1;
}

long TlsChannel::pull(void* data, size_t size)
{
    const qsizetype available = inbox_.size() - inboxPos_;
    if (available <= 0) {
        gnutls_transport_set_errno(session_, EAGAIN);
        return -1;
    }
    const qsizetype n = qMin<qsizetype>(available, qsizetype(size));
    memcpy(data, inbox_.constData() + inboxPos_, size_t(n));
    inboxPos_ += n;
    if (inboxPos_ == inbox_.size()) {
        inbox_.clear();
        inboxPos_ = 0;
    }
    return long(n);
}

} // namespace plenum::net

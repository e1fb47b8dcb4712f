#pragma once
// TLS 1.3 with mutual certificate authentication over an IceLink's reliable byte stream.
// GnuTLS reads and writes through transport callbacks (no socket of our own). The peer's
// chain must verify and lead to the DeviceId we meant to reach; otherwise the handshake
// fails and the peer gets a TLS alert (gnutls_alert_send_appropriate; FACTS.md: GnuTLS does
// not send it by itself).

#include "net/linkcredentials.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

typedef struct gnutls_session_int* gnutls_session_t;

namespace plenum::net {

class IceLink;

class TlsChannel : public QObject {
    Q_OBJECT
public:
    enum class Role { Client, Server };

    TlsChannel(IceLink* ice, Role role, const LinkCredentials& credentials, ChainVerifier verifier,
               const DeviceId& expectedPeer, QObject* parent = nullptr);
    ~TlsChannel() override;

    // Queues plaintext; records go out as the transport accepts them (back-pressure).
    void write(const QByteArray& plaintext);
    qsizetype queuedBytes() const { return queued_; }
    // Sends close_notify as far as the transport accepts it now.
    void shutdown();

    bool isEstablished() const { return established_; }
    PeerIdentity peer() const { return peer_; }
    // RFC 5705 exporter (gnutls_prf_rfc5705).
    Result<QByteArray> exportKeyingMaterial(const QByteArray& label, const QByteArray& context,
                                            int size) const;

Q_SIGNALS:
    void established();
    void plaintext(QByteArray data);
    void drained();
    void failed(QString reason);
    void closedByPeer();

private:
    void drive();
    void handshake();
    void readRecords();
    void flush();
    void fail(const QString& reason, int gnutlsError);
    int verifyPeer();
    long push(const struct iovec* iov, int count);
    long pull(void* data, size_t size);

    QPointer<IceLink> ice_;
    Role role_;
    ChainVerifier verifier_;
    DeviceId expectedPeer_;
    PeerIdentity peer_;
    gnutls_session_t session_ = nullptr;
    QByteArray inbox_;
    qsizetype inboxPos_ = 0;
    QList<QByteArray> outbox_;
    qsizetype outboxPos_ = 0; // sent bytes of outbox_.front()
    qsizetype queued_ = 0;
    bool established_ = false;
    bool dead_ = false;
    QString verifyFailure_;
};

} // namespace plenum::net

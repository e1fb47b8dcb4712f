#pragma once
// One control link to one remote device (DESIGN §3): ICE (reliable) -> TLS 1.3 -> frames,
// plus liveness pings and, while a call runs, a datagram media stream whose SRTP keys come
// from the TLS exporter. Control messages are opaque bytes: core/net knows no sessions.
//
// A ControlLink is one attempt: once linkDown() fired it stays down; the owner (LinkManager)
// creates a new one to re-link.

#include "net/framing.h"
#include "net/iceconfig.h"
#include "net/linkcredentials.h"
#include "net/liveness.h"
#include "net/mediakeepalive.h"
#include "net/mediaport.h"
#include "net/signalmessage.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace plenum::net {

class IceLink;
class TlsChannel;

struct ControlLinkConfig {
    IceConfig ice;
    int activePingMs = 250; // while a session is active (DESIGN §3)
    int idlePingMs = 5000;  // when idle
    int missedPings = 4;    // link down after this many of the peer's intervals of silence
    int connectTimeoutMs = 10000;
    qsizetype maxFrame = Framing::kDefaultMaxPayload;
    qsizetype maxQueued = 8 * 1024 * 1024; // send() refuses beyond this (back-pressure)
    qsizetype maxPingHeader = 1024;
    // Media as a liveness signal (docs/media.md): while the media stream is up, a keepalive
    // datagram goes out on a beat of this period (one timer for all links) when nothing else
    // went out since the previous beat (mute, DTX)...
    int mediaKeepaliveMs = 20;
    // ...so once the peer's keepalives arrive, this much silence on both paths is death
    // (10 packet times: 5 % loss loses 10 in a row about once in 10^13)...
    int mediaDeadMs = 200;
    // ...and control pings go out this often meanwhile, so a peer whose media path alone
    // broke still looks alive (the announced interval, and thus the 1 s rule, is unchanged).
    int mediaPingMs = 100;
    // ...while the peer's authenticated keepalives arrive, control silence up to this long is
    // PseudoTCP retransmitting under loss (RTO 1 s, then 2 s, 4 s: three losses of one
    // segment in a row), not death (docs/links.md "Liveness under loss").
    int controlStallMs = 10000;
    // A connected media stream is read on the call's beat (PacedReceive: before each playback
    // pull), not as each datagram arrives; off, every datagram wakes the event loop.
    bool pacedMediaReceive = true;
    // Tests only: drop this share of received media datagrams (netem is not always there).
    double mediaReceiveLoss = 0;
};

// SRTP master key + salt per direction (RFC 5764 §4.2 layout: one export, split in two).
struct SrtpKeys {
    QByteArray local;  // protects what we send
    QByteArray remote; // unprotects what the peer sends
};

class ControlLink : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Up, Down };

    ControlLink(const LinkCredentials& credentials, ChainVerifier verifier, const DeviceId& peer,
                const ControlLinkConfig& config, QObject* parent = nullptr);
    ~ControlLink() override;

    // Where this link's signaling messages go (encoded SignalMessage bytes).
    void setSignalSender(std::function<void(QByteArray)> sender) { signalOut_ = std::move(sender); }
    // Initiator: gathers and sends an Offer.
    Status connectToPeer(quint64 attempt);
    // Responder: answers the peer's Offer.
    Status acceptOffer(const SignalMessage& offer);
    // Answer, candidates and end-of-candidates of this attempt; others are ignored.
    void handleSignal(const SignalMessage& message);

    // Queues one control message. Fails when it exceeds maxFrame or the queue is full.
    Status send(const QByteArray& message);
    // Clean close: the peer gets a Close frame with `reason`, then close_notify.
    void close(const QString& reason);

    // Ping interval we announce; 250 ms active / 5 s idle by default.
    void setSessionActive(bool active);
    void setPingInterval(int ms);
    // Bytes piggy-backed on every ping (the session's (sid, epoch, version); opaque here).
    void setPingHeaderProvider(std::function<QByteArray()> provider);

    State state() const { return state_; }
    DeviceId peer() const { return peer_; }
    DeviceId self() const { return credentials_.self(); }
    quint64 attempt() const { return attempt_; }
    // True if this link answers the peer's offer (acceptOffer), false if it made one.
    bool answering() const { return answering_; }
    bool isControlling() const { return self() < peer_; }
    PeerIdentity peerIdentity() const;
    QString selectedPairType() const;
    qsizetype queuedBytes() const;
    qint64 peerPingInterval() const { return liveness_.peerInterval(); }
    // When ICE connected and TLS was established, in ms since this link was made (-1: not yet).
    qint64 iceConnectedMs() const { return iceConnectedMs_; }
    qint64 tlsEstablishedMs() const { return tlsEstablishedMs_; }
    // Frames this link sent: liveness pings and control messages (the per-link message rate).
    quint64 pingsSent() const { return pingsSent_; }
    quint64 messagesSent() const { return messagesSent_; }
    // keySaltLength: 30 for AES_CM_128_HMAC_SHA1_80, 28 for AEAD_AES_128_GCM.
    Result<SrtpKeys> srtpKeys(int keySaltLength = 30) const;

    // Media stream (datagrams), opened while a call runs. Either end may start it; the other
    // answers by itself. Glare: the controlling side's offer wins.
    Status startMedia();
    void stopMedia();
    bool isMediaUp() const;
    // Sends one datagram; false when the media stream is not up or the send failed.
    bool sendMedia(const QByteArray& datagram);
    // The same stream for the call's audio thread: send and receive from any thread.
    std::shared_ptr<MediaPort> mediaPort() const { return port_; }

Q_SIGNALS:
    void linkUp();
    void linkDown(QString reason);
    void message(QByteArray message);
    void pingReceived(QByteArray header);
    void writable(); // the send queue drained
    void mediaUp();
    void mediaDown(QString reason);
    // `arrivedUs`: when it reached this host (steady clock, µs; IceLink::received). Only while
    // the media port has no receiver (MediaPort::setReceiver).
    void mediaDatagram(QByteArray datagram, qint64 arrivedUs);

private:
    Status startIce(quint64 attempt);
    void sendSignal(const SignalMessage& message);
    void onEstablished();
    void onPlaintext(const QByteArray& bytes);
    void onFrame(const Frame& frame);
    void onPing(const QByteArray& payload);
    void sendPing();
    void onTick();
    void armTick();
    void goDown(const QString& reason);
    void releaseTransport();
    void sendFrame(Frame::Kind kind, const QByteArray& payload);
    void onMediaSignal(const QByteArray& payload);
    Status createMedia(quint64 attempt);
    void dropMedia();
    void onMediaReceived(const QByteArray& datagram, qint64 arrivedUs); // any thread
    void onKeepalive(const QByteArray& datagram, qint64 arrivedUs);
    qint64 heardAt(qint64 arrivedUs) const; // an arrival on this link's clock
    void syncMediaHeard();
    void sendKeepalive();
    qint64 now() const { return clock_.elapsed(); }

    LinkCredentials credentials_;
    ChainVerifier verifier_;
    DeviceId peer_;
    ControlLinkConfig config_;
    std::function<void(QByteArray)> signalOut_;
    std::function<QByteArray()> pingHeader_;
    State state_ = State::Idle;
    quint64 attempt_ = 0;
    bool answering_ = false;
    IceLink* ice_ = nullptr;
    TlsChannel* tls_ = nullptr;
    Framing framing_;
    QElapsedTimer clock_;
    qint64 iceConnectedMs_ = -1;
    qint64 tlsEstablishedMs_ = -1;
    Liveness liveness_;
    QTimer tick_;
    QTimer connectTimer_;
    bool established_ = false;
    quint64 pingsSent_ = 0;
    quint64 messagesSent_ = 0;

    IceLink* media_ = nullptr;
    quint64 mediaAttempt_ = 0;
    bool mediaOffered_ = false;
    bool mediaUp_ = false;
    std::shared_ptr<MediaPort> port_ = std::make_shared<MediaPort>();
    // Datagrams sent on the media stream at the previous keepalive beat: a keepalive goes out
    // on a beat when nothing went out since the one before.
    quint64 mediaSentAtBeat_ = 0;
    qint64 lastKeepaliveSent_ = 0;
    // Keys and counters of the authenticated keepalive; kept across media restarts, so a
    // keepalive of an earlier media stream cannot be replayed.
    MediaKeepalive keepaliveAuth_;
    // A liveness rule (control or media) found the link silent once; it is confirmed one short
    // tick later, after the event loop read what was queued (a stalled process must not
    // misread its own stall).
    bool confirmingDeath_ = false;
};

} // namespace plenum::net

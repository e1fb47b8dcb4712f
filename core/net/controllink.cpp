#include "net/controllink.h"

#include "net/icelink.h"
#include "net/pacedreceive.h"
#include "net/sharedticker.h"
#include "net/tlschannel.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QtEndian>

#include <algorithm>

namespace plenum::net {

namespace {

Q_LOGGING_CATEGORY(lcNet, "plenum.net", QtWarningMsg)

const QByteArray kSrtpLabel = QByteArrayLiteral("EXTRACTOR-plenum-srtp");
const QByteArray kKeepaliveLabel = QByteArrayLiteral("EXTRACTOR-plenum-keepalive");
constexpr int kCloseGraceMs = 300; // lets PseudoTCP deliver the Close frame and close_notify
constexpr qsizetype kMaxCloseReason = 256;
constexpr int kConfirmDeathMs = 10;
// While voice flows, a keepalive still goes out this often: it is the peer's proof that this
// side runs the media rule, and (authenticated) that it is alive while PseudoTCP retransmits;
// four a second keep the 1 s control rule fed at 10 % loss (all four lost: 1 in 10^4).
constexpr qint64 kKeepaliveProofMs = 250;

} // namespace

ControlLink::ControlLink(const LinkCredentials& credentials, ChainVerifier verifier,
                         const DeviceId& peer, const ControlLinkConfig& config, QObject* parent)
    : QObject(parent), credentials_(credentials), verifier_(std::move(verifier)), peer_(peer),
      config_(config), framing_(config.maxFrame),
      liveness_(config.idlePingMs, config.missedPings, 0)
{
    clock_.start();
    liveness_.setControlStallLimit(config_.controlStallMs);
    tick_.setSingleShot(true);
    connect(&tick_, &QTimer::timeout, this, &ControlLink::onTick);
    connectTimer_.setSingleShot(true);
    connect(&connectTimer_, &QTimer::timeout, this, [this] {
        QString reason =
            established_
                ? QStringLiteral("the peer did not answer after the TLS handshake within %1 ms")
                      .arg(config_.connectTimeoutMs)
                : QStringLiteral("no link to the peer within %1 ms (ICE or TLS did not complete)")
                      .arg(config_.connectTimeoutMs);
        if (const QString why = ice_ ? ice_->diagnosis() : QString(); !why.isEmpty())
            reason += QStringLiteral("; ") + why;
        goDown(reason);
    });
}

ControlLink::~ControlLink()
{
    if (config_.mediaKeepaliveMs > 0)
        SharedTicker::forInterval(config_.mediaKeepaliveMs).remove(this);
    // The TLS channel refers to the ICE link: delete it first.
    delete tls_;
    port_->close();
    delete media_; // its receive callback, which may run on another thread, is gone with it
    delete ice_;
}

Status ControlLink::startIce(quint64 attempt)
{
    if (state_ != State::Idle) return fail(QStringLiteral("this link was already started"));
    if (credentials_.isNull()) return fail(QStringLiteral("the link has no credentials"));
    if (peer_ == self()) return fail(QStringLiteral("a device cannot link to itself"));
    attempt_ = attempt;
    state_ = State::Connecting;
    // DESIGN §5.1 rule 2: the lower DeviceId is the controlling (and TLS client) side.
    ice_ = new IceLink(config_.ice, IceLink::Mode::Reliable, isControlling(), this);
    tls_ =
        new TlsChannel(ice_, isControlling() ? TlsChannel::Role::Client : TlsChannel::Role::Server,
                       credentials_, verifier_, peer_, this);
    connect(ice_, &IceLink::localCandidate, this, [this](const QByteArray& line) {
        sendSignal({SignalMessage::Type::Candidate, attempt_, {}, {}, line});
    });
    connect(ice_, &IceLink::localCandidatesDone, this, [this] {
        sendSignal({SignalMessage::Type::CandidatesDone, attempt_, {}, {}, {}});
    });
    connect(ice_, &IceLink::failed, this, &ControlLink::goDown);
    connect(tls_, &TlsChannel::established, this, &ControlLink::onEstablished);
    // Kept for the join-time split (issue 11: ICE vs TLS, reported by node benchmarks).
    connect(ice_, &IceLink::connected, this, [this] {
        if (iceConnectedMs_ < 0) iceConnectedMs_ = now();
    });
    connect(tls_, &TlsChannel::established, this, [this] {
        if (tlsEstablishedMs_ < 0) tlsEstablishedMs_ = now();
    });
    // Timeline for measurements: QT_LOGGING_RULES="plenum.net.debug=true".
    if (lcNet().isDebugEnabled()) {
        connect(ice_, &IceLink::localCandidatesDone, this,
                [this] { qCDebug(lcNet, "%lld ms: gathered", now()); });
        connect(ice_, &IceLink::connected, this,
                [this] { qCDebug(lcNet, "%lld ms: ICE connected", now()); });
        connect(tls_, &TlsChannel::established, this,
                [this] { qCDebug(lcNet, "%lld ms: TLS established", now()); });
        connect(this, &ControlLink::linkUp, this,
                [this] { qCDebug(lcNet, "%lld ms: link up", now()); });
    }
    connect(tls_, &TlsChannel::plaintext, this, &ControlLink::onPlaintext);
    connect(tls_, &TlsChannel::failed, this, &ControlLink::goDown);
    connect(tls_, &TlsChannel::drained, this, &ControlLink::writable);
    connect(tls_, &TlsChannel::closedByPeer, this,
            [this] { goDown(QStringLiteral("the peer closed the TLS session")); });
    connectTimer_.start(config_.connectTimeoutMs);
    return ice_->start();
}

Status ControlLink::connectToPeer(quint64 attempt)
{
    if (auto started = startIce(attempt); !started) return started;
    // The offer goes before the candidates, so the peer can use them as they trickle in.
    sendSignal(
        {SignalMessage::Type::Offer, attempt_, ice_->localUfrag(), ice_->localPassword(), {}});
    return ice_->gather();
}

Status ControlLink::acceptOffer(const SignalMessage& offer)
{
    if (offer.type != SignalMessage::Type::Offer)
        return fail(QStringLiteral("only an offer can start an incoming link"));
    answering_ = true;
    if (auto started = startIce(offer.attempt); !started) return started;
    sendSignal(
        {SignalMessage::Type::Answer, attempt_, ice_->localUfrag(), ice_->localPassword(), {}});
    if (auto ok = ice_->setRemoteCredentials(offer.ufrag, offer.password); !ok) return ok;
    return ice_->gather();
}

void ControlLink::handleSignal(const SignalMessage& message)
{
    if (!ice_ || message.attempt != attempt_ || state_ == State::Down) return;
    switch (message.type) {
    case SignalMessage::Type::Answer:
        if (auto ok = ice_->setRemoteCredentials(message.ufrag, message.password); !ok)
            goDown(ok.error());
        break;
    case SignalMessage::Type::Candidate:
        (void)ice_->addRemoteCandidate(message.candidate);
        break;
    case SignalMessage::Type::CandidatesDone:
        ice_->remoteCandidatesDone();
        break;
    case SignalMessage::Type::Cancel:
        if (state_ == State::Connecting)
            goDown(QStringLiteral("the peer gave up this link attempt"));
        break;
    case SignalMessage::Type::Offer:
        break; // a new attempt is the manager's business
    }
}

void ControlLink::sendSignal(const SignalMessage& message)
{
    if (signalOut_) signalOut_(message.encode());
}

void ControlLink::onEstablished()
{
    established_ = true;
    // Announce our interval at once; the link is up only when the peer's first record
    // arrives (FACTS.md: a TLS 1.3 client finishes before the server checked its chain).
    liveness_.heard(now());
    sendPing();
    armTick();
}

void ControlLink::onPlaintext(const QByteArray& bytes)
{
    if (state_ == State::Down) return;
    liveness_.heard(now());
    auto frames = framing_.feed(bytes);
    if (!frames) {
        goDown(frames.error());
        return;
    }
    QPointer<ControlLink> guard(this);
    if (state_ == State::Connecting) {
        state_ = State::Up;
        connectTimer_.stop();
        Q_EMIT linkUp();
        if (!guard) return;
    }
    for (const Frame& frame : std::as_const(frames.value())) {
        if (!guard || state_ != State::Up) return;
        onFrame(frame);
    }
}

void ControlLink::onFrame(const Frame& frame)
{
    switch (frame.kind) {
    case Frame::Kind::Data:
        Q_EMIT message(frame.payload);
        break;
    case Frame::Kind::Ping:
        onPing(frame.payload);
        break;
    case Frame::Kind::Close:
        goDown(QStringLiteral("the peer closed the link: %1")
                   .arg(QString::fromUtf8(frame.payload.left(kMaxCloseReason))));
        break;
    case Frame::Kind::MediaSignal:
        onMediaSignal(frame.payload);
        break;
    case Frame::Kind::MediaStop:
        if (media_) {
            dropMedia();
            Q_EMIT mediaDown(QStringLiteral("the peer stopped its media stream"));
        }
        break;
    }
}

void ControlLink::onPing(const QByteArray& payload)
{
    if (payload.size() < 4 || payload.size() > 4 + config_.maxPingHeader) {
        goDown(QStringLiteral("the peer sent a malformed ping"));
        return;
    }
    liveness_.setPeerInterval(qFromBigEndian<quint32>(payload.constData()));
    armTick();
    Q_EMIT pingReceived(payload.mid(4));
}

void ControlLink::sendPing()
{
    QByteArray payload(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(liveness_.localInterval()), payload.data());
    if (pingHeader_) {
        const QByteArray header = pingHeader_();
        if (header.size() <= config_.maxPingHeader)
            payload.append(header);
        else
            qWarning("net: ping header of %lld bytes exceeds the limit; sent without it",
                     qlonglong(header.size()));
    }
    liveness_.pinged(now());
    ++pingsSent_;
    sendFrame(Frame::Kind::Ping, payload);
}

void ControlLink::onTick()
{
    if (state_ == State::Down || !established_) return;
    syncMediaHeard();
    qint64 t = now();
    if (liveness_.isDead(t) && media_ && media_->pacedReceive()) {
        // Its media may sit unread on the beat's context: read it before judging.
        PacedReceive::drain();
        syncMediaHeard();
        t = now();
    }
    if (liveness_.isDead(t)) {
        // Either rule found the link silent. Confirmed one short tick later, after the event
        // loop read what was queued: a process that was itself not scheduled for a while (a
        // loaded machine) wakes with this timer and the peer's packets side by side, and
        // GLib dispatches the timer first. Without the second look such a process dropped
        // every link at once (issue 14: calls of 6+ processes beside a CPU hog).
        if (!confirmingDeath_) {
            confirmingDeath_ = true;
            tick_.start(kConfirmDeathMs);
            return;
        }
        confirmingDeath_ = false;
        if (liveness_.isDeadByControl(t))
            goDown(QStringLiteral("the peer fell silent: nothing heard for %1 ms (%2 ping "
                                  "intervals)")
                       .arg(liveness_.deadAfter())
                       .arg(config_.missedPings));
        else
            goDown(QStringLiteral("the peer fell silent during a call: nothing heard for %1 ms "
                                  "(media and control)")
                       .arg(liveness_.mediaDeadAfter()));
        return;
    }
    confirmingDeath_ = false;
    if (liveness_.pingDue(t)) sendPing();
    armTick();
}

void ControlLink::armTick()
{
    if (state_ == State::Down) return;
    if (confirmingDeath_ && tick_.isActive()) return; // the second look is already due
    tick_.start(int(liveness_.msUntilNextEvent(now())));
}

void ControlLink::sendFrame(Frame::Kind kind, const QByteArray& payload)
{
    if (tls_) tls_->write(Framing::encode(kind, payload));
}

Status ControlLink::send(const QByteArray& message)
{
    if (state_ != State::Up) return fail(QStringLiteral("the link is not up"));
    if (message.size() > config_.maxFrame)
        return fail(QStringLiteral("a control message of %1 bytes exceeds the limit of %2")
                        .arg(message.size())
                        .arg(config_.maxFrame));
    if (tls_->queuedBytes() + message.size() > config_.maxQueued)
        return fail(QStringLiteral("the link's send queue is full; wait for writable()"));
    ++messagesSent_;
    sendFrame(Frame::Kind::Data, message);
    return Ok{};
}

void ControlLink::close(const QString& reason)
{
    if (state_ == State::Down) return;
    if (state_ == State::Up) {
        sendFrame(Frame::Kind::Close, reason.toUtf8().left(kMaxCloseReason));
        tls_->shutdown();
    } else if (state_ == State::Connecting) {
        // The peer's end of this attempt goes down at once, so its next dial is a new one.
        sendSignal({SignalMessage::Type::Cancel, attempt_, {}, {}, {}});
    }
    goDown(reason);
}

void ControlLink::goDown(const QString& reason)
{
    if (state_ == State::Down) return;
    state_ = State::Down;
    tick_.stop();
    if (config_.mediaKeepaliveMs > 0)
        SharedTicker::forInterval(config_.mediaKeepaliveMs).remove(this);
    connectTimer_.stop();
    releaseTransport();
    Q_EMIT linkDown(reason);
}

void ControlLink::releaseTransport()
{
    // Called from inside libnice and GnuTLS callbacks: detach now, delete a little later
    // (after the grace period that lets a Close frame leave).
    dropMedia();
    QPointer<TlsChannel> tls = tls_;
    QPointer<IceLink> ice = ice_;
    if (tls) disconnect(tls, nullptr, this, nullptr);
    if (ice) disconnect(ice, nullptr, this, nullptr);
    tls_ = nullptr;
    ice_ = nullptr;
    if (tls) tls->setParent(nullptr);
    if (ice) ice->setParent(nullptr);
    QTimer::singleShot(kCloseGraceMs, [tls, ice] {
        delete tls.data();
        delete ice.data();
    });
}

void ControlLink::setSessionActive(bool active)
{
    setPingInterval(active ? config_.activePingMs : config_.idlePingMs);
}

void ControlLink::setPingInterval(int ms)
{
    liveness_.setLocalInterval(ms);
    if (established_ && state_ != State::Down) {
        sendPing(); // announce the new interval at once
        armTick();
    }
}

void ControlLink::setPingHeaderProvider(std::function<QByteArray()> provider)
{
    pingHeader_ = std::move(provider);
}

PeerIdentity ControlLink::peerIdentity() const
{
    return tls_ ? tls_->peer() : PeerIdentity{};
}

QString ControlLink::selectedPairType() const
{
    return ice_ ? ice_->selectedPairType() : QStringLiteral("none");
}

qsizetype ControlLink::queuedBytes() const
{
    return tls_ ? tls_->queuedBytes() : 0;
}

Result<SrtpKeys> ControlLink::srtpKeys(int keySaltLength) const
{
    if (!tls_ || state_ != State::Up) return fail(QStringLiteral("the link is not up"));
    if (keySaltLength < 16 || keySaltLength > 64)
        return fail(
            QStringLiteral("an SRTP key+salt of %1 bytes is not supported").arg(keySaltLength));
    auto material = tls_->exportKeyingMaterial(kSrtpLabel, {}, 2 * keySaltLength);
    if (!material) return Error{material.error()};
    // First half protects client->server, second half server->client (as in RFC 5764).
    const QByteArray clientWrite = material->left(keySaltLength);
    const QByteArray serverWrite = material->mid(keySaltLength);
    return isControlling() ? SrtpKeys{clientWrite, serverWrite}
                           : SrtpKeys{serverWrite, clientWrite};
}

// ---- media stream ----------------------------------------------------------------------

Status ControlLink::createMedia(quint64 attempt)
{
    mediaAttempt_ = attempt;
    if (!keepaliveAuth_.hasKeys() && tls_) {
        // One key per direction, laid out like the SRTP keys (client's first).
        auto keys = tls_->exportKeyingMaterial(kKeepaliveLabel, {}, 2 * MediaKeepalive::kKeySize);
        if (keys) {
            const QByteArray client = keys->left(MediaKeepalive::kKeySize);
            const QByteArray server = keys->mid(MediaKeepalive::kKeySize);
            if (isControlling())
                keepaliveAuth_.setKeys(client, server);
            else
                keepaliveAuth_.setKeys(server, client);
        }
    }
    media_ = new IceLink(config_.ice, IceLink::Mode::Datagram, isControlling(), this);
    connect(media_, &IceLink::localCandidate, this, [this](const QByteArray& line) {
        sendFrame(
            Frame::Kind::MediaSignal,
            SignalMessage{SignalMessage::Type::Candidate, mediaAttempt_, {}, {}, line}.encode());
    });
    connect(media_, &IceLink::localCandidatesDone, this, [this] {
        sendFrame(
            Frame::Kind::MediaSignal,
            SignalMessage{SignalMessage::Type::CandidatesDone, mediaAttempt_, {}, {}, {}}.encode());
    });
    connect(media_, &IceLink::connected, this, [this] {
        mediaUp_ = true;
        // ICE's checks ran event-driven; the stream's datagrams are read on the beat from now,
        // on the thread that drains it (the call's audio thread).
        media_->setDirectReceiver(
            [this](const QByteArray& d, qint64 arrivedUs) { onMediaReceived(d, arrivedUs); });
        media_->setPacedReceive(config_.pacedMediaReceive);
        port_->open(media_);
        liveness_.setPingEvery(config_.mediaPingMs);
        if (config_.mediaKeepaliveMs > 0) {
            mediaSentAtBeat_ = port_->sent();
            lastKeepaliveSent_ = now();
            (void)sendMedia(keepaliveAuth_.next()); // the proof, at once
            // One timer for every link of this thread (SharedTicker: not one wakeup per link).
            SharedTicker::forInterval(config_.mediaKeepaliveMs).add(this, [this] {
                sendKeepalive();
            });
        }
        armTick();
        Q_EMIT mediaUp();
    });
    connect(media_, &IceLink::failed, this, [this](const QString& reason) {
        dropMedia();
        Q_EMIT mediaDown(reason);
    });
    return media_->start(); // gather() after the offer/answer left
}

Status ControlLink::startMedia()
{
    if (state_ != State::Up) return fail(QStringLiteral("media needs the control link up"));
    if (media_) return Ok{};
    if (auto ok = createMedia(QRandomGenerator::global()->generate64()); !ok) return ok;
    mediaOffered_ = true;
    sendFrame(Frame::Kind::MediaSignal, SignalMessage{SignalMessage::Type::Offer,
                                                      mediaAttempt_,
                                                      media_->localUfrag(),
                                                      media_->localPassword(),
                                                      {}}
                                            .encode());
    return media_->gather();
}

void ControlLink::onMediaSignal(const QByteArray& payload)
{
    auto decoded = SignalMessage::decode(payload);
    if (!decoded) {
        goDown(QStringLiteral("the peer sent bad media signaling: %1").arg(decoded.error()));
        return;
    }
    const SignalMessage& m = decoded.value();
    if (m.type == SignalMessage::Type::Offer) {
        // Glare: both started media at once; the controlling side's offer wins.
        if (media_ && mediaOffered_ && isControlling()) return;
        dropMedia();
        if (auto ok = createMedia(m.attempt); !ok) {
            Q_EMIT mediaDown(ok.error());
            return;
        }
        sendFrame(Frame::Kind::MediaSignal, SignalMessage{SignalMessage::Type::Answer,
                                                          mediaAttempt_,
                                                          media_->localUfrag(),
                                                          media_->localPassword(),
                                                          {}}
                                                .encode());
        (void)media_->setRemoteCredentials(m.ufrag, m.password);
        if (auto ok = media_->gather(); !ok) {
            dropMedia();
            Q_EMIT mediaDown(ok.error());
        }
        return;
    }
    if (!media_ || m.attempt != mediaAttempt_) return;
    if (m.type == SignalMessage::Type::Answer)
        (void)media_->setRemoteCredentials(m.ufrag, m.password);
    else if (m.type == SignalMessage::Type::Candidate)
        (void)media_->addRemoteCandidate(m.candidate);
    else if (m.type == SignalMessage::Type::CandidatesDone)
        media_->remoteCandidatesDone();
}

void ControlLink::stopMedia()
{
    if (!media_) return;
    dropMedia();
    sendFrame(Frame::Kind::MediaStop, {});
}

void ControlLink::dropMedia()
{
    if (!media_) return;
    IceLink* media = media_;
    media_ = nullptr;
    mediaUp_ = false;
    port_->close();
    media->setDirectReceiver({}); // no datagram reaches this link's port from here on
    mediaOffered_ = false;
    if (config_.mediaKeepaliveMs > 0)
        SharedTicker::forInterval(config_.mediaKeepaliveMs).remove(this);
    liveness_.unwatchMedia();
    liveness_.setPingEvery(0);
    confirmingDeath_ = false;
    disconnect(media, nullptr, this, nullptr);
    media->deleteLater(); // may be inside its own callback
}

bool ControlLink::isMediaUp() const
{
    return media_ && mediaUp_;
}

bool ControlLink::sendMedia(const QByteArray& datagram)
{
    return port_->send(datagram); // open exactly while the media stream is up
}

void ControlLink::sendKeepalive()
{
    // On the shared beat (every mediaKeepaliveMs): a keepalive when nothing went out since the
    // previous beat (mute, DTX, deafened), so the stream is never silent for more than two
    // intervals (40 ms against the receiver's 200 ms rule). Comparing counts, not times, keeps
    // a voice frame that beats at the same 20 ms from doubling every packet with a keepalive.
    // Also one every kKeepaliveProofMs while voice flows (the first one may be lost, or
    // arrive before the peer's stream is connected).
    if (!isMediaUp()) return;
    const qint64 t = now();
    const bool sentSinceBeat = port_->sent() != mediaSentAtBeat_;
    if (sentSinceBeat && t - lastKeepaliveSent_ < kKeepaliveProofMs) {
        mediaSentAtBeat_ = port_->sent();
        return;
    }
    lastKeepaliveSent_ = t;
    (void)sendMedia(keepaliveAuth_.next());
    mediaSentAtBeat_ = port_->sent();
}

void ControlLink::onMediaReceived(const QByteArray& datagram, qint64 arrivedUs)
{
    // On the thread that drains the beat (the call's audio thread, or this one).
    if (config_.mediaReceiveLoss > 0 &&
        QRandomGenerator::global()->generateDouble() < config_.mediaReceiveLoss)
        return;
    if (MediaKeepalive::looksLike(datagram)) {
        // Liveness is this link's own: on its thread (a keepalive comes every 20 ms at most).
        QMetaObject::invokeMethod(this, [this, datagram, arrivedUs] {
            if (media_) onKeepalive(datagram, arrivedUs);
        });
        return;
    }
    port_->heard(arrivedUs); // read by syncMediaHeard() before liveness judges
    if (port_->deliver(datagram, arrivedUs)) return;
    QMetaObject::invokeMethod(this, [this, datagram, arrivedUs] {
        if (media_) Q_EMIT mediaDatagram(datagram, arrivedUs);
    });
}

qint64 ControlLink::heardAt(qint64 arrivedUs) const
{
    // Heard when it arrived, not when the beat read it (PacedReceive): a dead peer's silence is
    // counted from its last datagram's arrival.
    return now() - std::max<qint64>(0, (PacedReceive::clockUs() - arrivedUs) / 1000);
}

void ControlLink::syncMediaHeard()
{
    if (const qint64 us = port_->lastHeardUs(); us >= 0) liveness_.heardMedia(heardAt(us));
}

void ControlLink::onKeepalive(const QByteArray& datagram, qint64 arrivedUs)
{
    const qint64 t = heardAt(arrivedUs);
    // The peer sends keepalives, so its silence means something: watch its media.
    if (!liveness_.watchingMedia() && config_.mediaDeadMs > 0 && state_ == State::Up) {
        liveness_.watchMedia(config_.mediaDeadMs, t);
        armTick();
    }
    liveness_.heardMedia(t);
    // Only an authentic, fresh one may stand in for a silent control link.
    if (keepaliveAuth_.accept(datagram)) liveness_.heardProof(t);
}

} // namespace plenum::net

#include "net/icelink.h"

#include "net/pacedreceive.h"

#include <nice/agent.h>

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include <ctime>

namespace plenum::net {

namespace {

const char* typeName(NiceCandidateType type)
{
    switch (type) {
    case NICE_CANDIDATE_TYPE_HOST:
        return "host";
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE:
        return "srflx";
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:
        return "prflx";
    case NICE_CANDIDATE_TYPE_RELAYED:
        return "relay";
    }
    return "unknown";
}

constexpr unsigned kComponent = 1;
constexpr qsizetype kMaxSdpLine = 512; // a candidate line is ~100 bytes

} // namespace

IceLink::IceLink(const IceConfig& config, Mode mode, bool controlling, QObject* parent)
    : QObject(parent), config_(config), mode_(mode)
{
    // Qt's Linux event dispatcher is GLib's: libnice runs on the thread-default context.
    GMainContext* context = g_main_context_get_thread_default();
    if (!context) context = g_main_context_default();
    agent_ = mode == Mode::Reliable
                 ? nice_agent_new_full(
                       context, NICE_COMPATIBILITY_RFC5245,
                       NiceAgentOption(NICE_AGENT_OPTION_RELIABLE | NICE_AGENT_OPTION_ICE_TRICKLE))
                 : nice_agent_new_full(context, NICE_COMPATIBILITY_RFC5245,
                                       NICE_AGENT_OPTION_ICE_TRICKLE);
    // FACTS.md: upnp adds 200 ms to gathering; TCP pairs outrank UDP.
    g_object_set(agent_, "controlling-mode", controlling ? TRUE : FALSE, "upnp", FALSE, "ice-tcp",
                 config.iceTcp ? TRUE : FALSE, "stun-pacing-timer",
                 guint(qMax(1, config.stunPacingMs)), "force-relay",
                 config.relayOnly ? TRUE : FALSE, nullptr);
    if (!config.stun.isEmpty()) {
        g_object_set(agent_, "stun-server", config.stun.first().ip.toUtf8().constData(),
                     "stun-server-port", guint(config.stun.first().port), nullptr);
    }
    QList<QString> addresses = config.localAddresses;
    if (config.allowLoopback && !addresses.contains(QStringLiteral("127.0.0.1"))) {
        // Gathering everything plus loopback would need the interface list here; tests that
        // allow loopback want loopback only unless they name more addresses.
        addresses.append(QStringLiteral("127.0.0.1"));
    }
    for (const QString& ip : addresses) {
        NiceAddress address;
        nice_address_init(&address);
        if (nice_address_set_from_string(&address, ip.toUtf8().constData()))
            nice_agent_add_local_address(agent_, &address);
    }
    g_signal_connect(agent_, "new-candidate-full", G_CALLBACK(&IceLink::onCandidate), this);
    g_signal_connect(agent_, "candidate-gathering-done", G_CALLBACK(&IceLink::onGatheringDone),
                     this);
    g_signal_connect(agent_, "component-state-changed", G_CALLBACK(&IceLink::onStateChanged), this);
    g_signal_connect(agent_, "reliable-transport-writable", G_CALLBACK(&IceLink::onWritable), this);
    g_signal_connect(agent_, "new-selected-pair-full", G_CALLBACK(&IceLink::onSelectedPair), this);
}

IceLink::~IceLink()
{
    if (!agent_) return;
    // A callback of this link running on another thread (the beat's reader) finishes first,
    // and none starts after.
    auto hold = PacedReceive::holdDispatch();
    g_signal_handlers_disconnect_by_data(agent_, this);
    if (paced_) PacedReceive::detach(this);
    if (stream_) {
        nice_agent_attach_recv(agent_, stream_, kComponent, nullptr, nullptr, nullptr);
        nice_agent_remove_stream(agent_, stream_);
    }
    // FACTS.md: with TURN, close asynchronously before the last unref (TURN deallocation).
    nice_agent_close_async(
        agent_, [](GObject* agent, GAsyncResult*, gpointer) { g_object_unref(agent); }, nullptr);
}

Status IceLink::start()
{
    if (stream_) return fail(QStringLiteral("the ICE stream was already started"));
    stream_ = nice_agent_add_stream(agent_, 1);
    if (!stream_) return fail(QStringLiteral("libnice could not create an ICE stream"));
    for (const TurnServer& turn : config_.turn) {
        const auto type = turn.transport == TurnServer::Transport::Tcp ? NICE_RELAY_TYPE_TURN_TCP
                                                                       : NICE_RELAY_TYPE_TURN_UDP;
        if (!nice_agent_set_relay_info(agent_, stream_, kComponent, turn.ip.toUtf8().constData(),
                                       turn.port, turn.username.toUtf8().constData(),
                                       turn.password.toUtf8().constData(), type)) {
            return fail(QStringLiteral("the TURN server address %1 is not a literal IP address")
                            .arg(turn.ip));
        }
    }
    gchar* ufrag = nullptr;
    gchar* password = nullptr;
    if (nice_agent_get_local_credentials(agent_, stream_, &ufrag, &password)) {
        ufrag_ = QByteArray(ufrag);
        password_ = QByteArray(password);
    }
    g_free(ufrag);
    g_free(password);
    attachReceive();
    return Ok{};
}

void IceLink::attachReceive()
{
    GMainContext* context = paced_ ? PacedReceive::context() : nullptr;
    if (!context) context = g_main_context_get_thread_default();
    if (!context) context = g_main_context_default();
    // FACTS.md: nothing is received until a receive callback is attached. Attaching again
    // moves the stream's sockets to the other context.
    auto hold = PacedReceive::holdDispatch();
    nice_agent_attach_recv(agent_, stream_, kComponent, context,
                           reinterpret_cast<NiceAgentRecvFunc>(&IceLink::onReceive), this);
}

void IceLink::setPacedReceive(bool paced)
{
    if (mode_ != Mode::Datagram || paced == paced_) return;
    paced_ = paced;
    if (paced)
        PacedReceive::attach(this);
    else
        PacedReceive::detach(this);
    if (stream_) attachReceive();
    findStampSocket();
}

void IceLink::setDirectReceiver(DirectReceiver receiver)
{
    auto hold = PacedReceive::holdDispatch();
    direct_ = std::move(receiver);
}

void IceLink::findStampSocket()
{
    int fd = -1;
    // The socket stays the agent's; its descriptor is asked, never closed, here. A new selected
    // pair calls this again.
    if (paced_ && stream_) {
        if (GSocket* socket = nice_agent_get_selected_socket(agent_, stream_, kComponent)) {
            fd = g_socket_get_fd(socket);
            g_object_unref(socket);
        }
    }
    stampFd_ = fd;
}

qint64 IceLink::arrivalUs() const
{
    const qint64 now = PacedReceive::clockUs();
    // A paced stream is read up to a beat after its datagrams came; the jitter buffer needs
    // when they came. SIOCGSTAMPNS gives the wall-clock receive time of the last datagram read
    // from the socket (the one just read: libnice reads one, then calls back).
    timespec stamp{};
    const int fd = stampFd_.load();
    if (fd < 0 || ioctl(fd, SIOCGSTAMPNS, &stamp) != 0) return now;
    timespec wall{};
    clock_gettime(CLOCK_REALTIME, &wall);
    const qint64 ageUs = (qint64(wall.tv_sec) - stamp.tv_sec) * 1000000 +
                         (qint64(wall.tv_nsec) - stamp.tv_nsec) / 1000;
    // Beyond a second is a wall-clock step or a stale stamp, not a queued datagram.
    if (ageUs < 0 || ageUs > 1000000) return now;
    return now - ageUs;
}

Status IceLink::gather()
{
    if (!stream_) return fail(QStringLiteral("the ICE stream is not started"));
    // candidate-gathering-done can fire inside this call: signals are connected already.
    if (!nice_agent_gather_candidates(agent_, stream_))
        return fail(QStringLiteral("libnice could not gather candidates (no usable address)"));
    return Ok{};
}

Status IceLink::setRemoteCredentials(const QByteArray& ufrag, const QByteArray& password)
{
    if (!stream_) return fail(QStringLiteral("the ICE stream is not started"));
    if (!nice_agent_set_remote_credentials(agent_, stream_, ufrag.constData(),
                                           password.constData()))
        return fail(QStringLiteral("the peer's ICE credentials were refused"));
    haveRemoteCredentials_ = true;
    applyRemoteCandidates();
    return Ok{};
}

Status IceLink::addRemoteCandidate(const QByteArray& sdpLine)
{
    if (sdpLine.size() > kMaxSdpLine)
        return fail(
            QStringLiteral("a remote ICE candidate is longer than %1 bytes").arg(kMaxSdpLine));
    pendingRemote_.append(sdpLine);
    if (haveRemoteCredentials_) applyRemoteCandidates();
    return Ok{};
}

void IceLink::applyRemoteCandidates()
{
    GSList* list = nullptr;
    for (const QByteArray& line : std::as_const(pendingRemote_)) {
        NiceCandidate* candidate =
            nice_agent_parse_remote_candidate_sdp(agent_, stream_, line.constData());
        if (candidate) list = g_slist_append(list, candidate);
    }
    pendingRemote_.clear();
    if (list) nice_agent_set_remote_candidates(agent_, stream_, kComponent, list);
    g_slist_free_full(list, reinterpret_cast<GDestroyNotify>(&nice_candidate_free));
}

void IceLink::remoteCandidatesDone()
{
    if (stream_) nice_agent_peer_candidate_gathering_done(agent_, stream_);
}

qint64 IceLink::send(const char* data, qint64 size)
{
    if (!connected_ || failed_) return -1;
    const gint sent = nice_agent_send(agent_, stream_, kComponent, guint(size), data);
    // FACTS.md: reliable mode returns -1 for would-block too; connected_ rules out the rest.
    return sent < 0 ? 0 : sent;
}

QString IceLink::selectedPairType() const
{
    NiceCandidate* local = nullptr;
    NiceCandidate* remote = nullptr;
    if (!stream_ || !nice_agent_get_selected_pair(agent_, stream_, kComponent, &local, &remote))
        return QStringLiteral("none");
    return QStringLiteral("%1/%2").arg(QLatin1String(typeName(local->type)),
                                       QLatin1String(typeName(remote->type)));
}

QString IceLink::diagnosis() const
{
    if (config_.turn.isEmpty() || !gatheringDone_ || relayCandidates_ > 0) return {};
    const TurnServer& turn = config_.turn.first();
    return QStringLiteral("the TURN server %1:%2 gave no relay address (wrong credentials, or "
                          "the server is unreachable)")
        .arg(turn.ip)
        .arg(turn.port);
}

QString IceLink::failureReason() const
{
    const QString why = diagnosis();
    return why.isEmpty() ? QStringLiteral("ICE found no working path to the peer")
                         : QStringLiteral("ICE found no working path to the peer; %1").arg(why);
}

// A paced stream is read on whichever thread drains the beat (PacedReceive), and libnice calls
// back on that thread, connectivity checks and state changes included: all but the datagrams
// themselves are handled on the link's own thread (invokeMethod's automatic connection: at once
// there, queued from elsewhere; a link deleted meanwhile drops the call).
void IceLink::onCandidate(NiceAgent* agent, void* candidatePtr, void* selfPtr)
{
    auto* self = static_cast<IceLink*>(selfPtr);
    auto* candidate = static_cast<NiceCandidate*>(candidatePtr);
    const bool relayed = candidate->type == NICE_CANDIDATE_TYPE_RELAYED;
    const bool host = candidate->type == NICE_CANDIDATE_TYPE_HOST;
    gchar* sdp = nice_agent_generate_local_candidate_sdp(agent, candidate);
    const QByteArray line(sdp);
    g_free(sdp);
    QMetaObject::invokeMethod(self, [self, relayed, host, line] {
        if (relayed) ++self->relayCandidates_;
        if (host && !self->config_.allowHost) return;
        Q_EMIT self->localCandidate(line);
    });
}

void IceLink::onGatheringDone(NiceAgent*, unsigned, void* selfPtr)
{
    auto* self = static_cast<IceLink*>(selfPtr);
    QMetaObject::invokeMethod(self, [self] {
        self->gatheringDone_ = true;
        Q_EMIT self->localCandidatesDone();
    });
}

void IceLink::onStateChanged(NiceAgent*, unsigned, unsigned, unsigned state, void* selfPtr)
{
    auto* self = static_cast<IceLink*>(selfPtr);
    QMetaObject::invokeMethod(self, [self, state] {
        // FACTS.md: the controlled side may report READY late; CONNECTED is already usable.
        if ((state == NICE_COMPONENT_STATE_CONNECTED || state == NICE_COMPONENT_STATE_READY) &&
            !self->connected_ && !self->failed_) {
            self->connected_ = true;
            Q_EMIT self->connected();
        } else if (state == NICE_COMPONENT_STATE_FAILED && !self->failed_) {
            self->failed_ = true;
            self->connected_ = false;
            Q_EMIT self->failed(self->failureReason());
        }
    });
}

void IceLink::onWritable(NiceAgent*, unsigned, unsigned, void* selfPtr)
{
    auto* self = static_cast<IceLink*>(selfPtr);
    QMetaObject::invokeMethod(self, [self] { Q_EMIT self->writable(); });
}

void IceLink::onSelectedPair(NiceAgent*, unsigned, unsigned, void*, void*, void* selfPtr)
{
    auto* self = static_cast<IceLink*>(selfPtr);
    QMetaObject::invokeMethod(self, [self] { self->findStampSocket(); });
}

void IceLink::onReceive(NiceAgent*, unsigned, unsigned, unsigned len, char* buf, void* selfPtr)
{
    auto* self = static_cast<IceLink*>(selfPtr);
    // The buffer lives only for this call (FACTS.md): copy it.
    QByteArray datagram(buf, qsizetype(len));
    const qint64 arrivedUs = self->paced_ ? self->arrivalUs() : PacedReceive::clockUs();
    if (self->direct_) {
        self->direct_(datagram, arrivedUs); // on the draining thread (setDirectReceiver)
        return;
    }
    QMetaObject::invokeMethod(self, [self, datagram = std::move(datagram), arrivedUs] {
        Q_EMIT self->received(datagram, arrivedUs);
    });
}

} // namespace plenum::net

#pragma once
// One ICE stream (one component) to one remote device, on libnice and Qt's own GLib main
// context (DESIGN §1: no second loop; a paced media stream is read by the call's audio thread).
// Reliable mode gives the PseudoTCP byte stream that carries TLS; datagram mode carries SRTP.
// libnice's reliability is per agent, so each stream has its own agent.

#include "net/iceconfig.h"
#include "protocol/result.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <functional>

typedef struct _NiceAgent NiceAgent;

namespace plenum::net {

class IceLink : public QObject {
    Q_OBJECT
public:
    enum class Mode { Reliable, Datagram };

    IceLink(const IceConfig& config, Mode mode, bool controlling, QObject* parent = nullptr);
    ~IceLink() override;

    // Creates the stream and its credentials (send them in the offer/answer first).
    Status start();
    // Gathers candidates; they arrive as localCandidate(), possibly inside this call.
    Status gather();
    QByteArray localUfrag() const { return ufrag_; }
    QByteArray localPassword() const { return password_; }

    // Trickle ICE: credentials and candidates may arrive in any order.
    Status setRemoteCredentials(const QByteArray& ufrag, const QByteArray& password);
    Status addRemoteCandidate(const QByteArray& sdpLine);
    void remoteCandidatesDone();

    // Bytes accepted (may be fewer than size in reliable mode); 0 when the transport would
    // block (wait for writable()); -1 when not connected.
    qint64 send(const char* data, qint64 size);
    bool isConnected() const { return connected_; }
    // Datagram mode: read on the beat (PacedReceive) instead of as datagrams arrive. Takes
    // effect once the stream exists (after start()).
    void setPacedReceive(bool paced);
    // A paced stream's datagrams go to `receiver` on the thread that drains the beat (the
    // call's audio thread) instead of received() on this one; empty: received() again.
    using DirectReceiver = std::function<void(const QByteArray& data, qint64 arrivedUs)>;
    void setDirectReceiver(DirectReceiver receiver);
    bool pacedReceive() const { return paced_; }
    // "local/remote" candidate types of the selected pair, e.g. "srflx/relay".
    QString selectedPairType() const;
    int relayCandidateCount() const { return relayCandidates_; }
    // What went wrong while gathering, for the user ("the TURN server ... gave no relay
    // address"); empty when nothing is known to be wrong.
    QString diagnosis() const;

Q_SIGNALS:
    void localCandidate(QByteArray sdpLine);
    void localCandidatesDone();
    void connected();
    void failed(QString reason);
    // `arrivedUs`: when the datagram reached this host, on std::chrono::steady_clock in µs
    // (the kernel's receive stamp for a paced stream, read later; otherwise the callback's time).
    void received(QByteArray data, qint64 arrivedUs);
    void writable();

private:
    static void onCandidate(NiceAgent*, void* candidate, void* self);
    static void onGatheringDone(NiceAgent*, unsigned stream, void* self);
    static void onStateChanged(NiceAgent*, unsigned stream, unsigned comp, unsigned state,
                               void* self);
    static void onWritable(NiceAgent*, unsigned stream, unsigned comp, void* self);
    static void onReceive(NiceAgent*, unsigned stream, unsigned comp, unsigned len, char* buf,
                          void* self);
    static void onSelectedPair(NiceAgent*, unsigned stream, unsigned comp, void* local,
                               void* remote, void* self);
    void applyRemoteCandidates();
    void attachReceive();
    void findStampSocket();
    qint64 arrivalUs() const;
    QString failureReason() const;

    IceConfig config_;
    Mode mode_;
    NiceAgent* agent_ = nullptr;
    unsigned stream_ = 0;
    QByteArray ufrag_;
    QByteArray password_;
    bool haveRemoteCredentials_ = false;
    QList<QByteArray> pendingRemote_;
    // send() may come from the call's audio thread (ControlLink's media port).
    std::atomic<bool> connected_ = false;
    std::atomic<bool> failed_ = false;
    bool paced_ = false;
    // The selected pair's socket, asked for its last datagram's receive stamp (on the thread
    // that drains the beat).
    std::atomic<int> stampFd_ = -1;
    DirectReceiver direct_;
    bool gatheringDone_ = false;
    int relayCandidates_ = 0;
};

} // namespace plenum::net

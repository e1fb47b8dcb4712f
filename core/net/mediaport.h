#pragma once
// One link's media stream as the call's audio thread sees it (issue 14: audio on a thread of
// its own). ControlLink owns the stream and its life (offer, glare, liveness, keepalives) on
// its thread; the port is the thread-safe rest: send a datagram, take the datagrams that come.
// It outlives a media restart and the link itself (shared), so the audio thread never holds a
// dangling link.

#include "net/pimutex.h"

#include <QByteArray>

#include <atomic>
#include <functional>
#include <mutex>

namespace plenum::net {

class IceLink;

class MediaPort {
public:
    using Receiver = std::function<void(const QByteArray& datagram, qint64 arrivedUs)>;

    // Any thread. False when the stream is not up or the send failed.
    bool send(const QByteArray& datagram);
    bool isUp() const { return media_.load() != nullptr; }
    quint64 sent() const { return sent_.load(); }

    // Datagrams that are not keepalives go to `receiver`, on the thread that reads the stream
    // (the call's audio thread, PacedReceive); empty: to ControlLink::mediaDatagram. Once this
    // returns, the previous receiver is not running and will not run again.
    void setReceiver(Receiver receiver);

    // The link's side (ControlLink).
    void open(IceLink* media);
    void close();
    // Hands `datagram` to the receiver; false when there is none.
    bool deliver(const QByteArray& datagram, qint64 arrivedUs);
    // When the newest datagram came (steady clock, µs; -1: none yet): liveness reads it.
    void heard(qint64 arrivedUs);
    qint64 lastHeardUs() const { return lastHeardUs_.load(); }

private:
    PiMutex sendMutex_;
    // Set and cleared under sendMutex_, which a send holds while it uses the stream; read
    // without it only to ask whether the stream is up.
    std::atomic<IceLink*> media_ = nullptr;
    std::atomic<quint64> sent_ = 0;
    std::atomic<qint64> lastHeardUs_ = -1;
    PiMutex receiverMutex_;
    Receiver receiver_;
};

} // namespace plenum::net

#pragma once
// Media datagrams read on the call's beat, not as each one arrives (issue 14: CPU per member).
//
// An N-way call receives 50 x (N-1) datagrams a second on N-1 sockets at unrelated phases.
// Read as they arrived, each one woke the process (a poll, GLib's prepare/check over every
// source of every link, a recvmsg) to put one packet into a jitter buffer that is read only at
// the next playback pull. Paced, a connected media stream's socket lives on a private
// GMainContext that no event loop polls; drain() reads everything queued there. It runs right
// before each playback pull (CallEngine, on the call's audio thread when it has one), before a
// link is judged silent (ControlLink), and on a fallback timer when nothing drained for a while
// (a call without a running device; ICE's own STUN traffic on the stream). Any thread may
// drain; the streams' callbacks run on the thread that does (IceLink hands what is not a
// datagram back to its own thread).
//
// What it costs: a datagram's arrival time is the drain's, quantized to the pull (as NetEQ
// measures inter-arrival in packets); what a pull finds is the same, since a drain right before
// it reads every datagram the kernel holds.

#include "net/pimutex.h"

#include <QtGlobal>

#include <mutex>

typedef struct _GMainContext GMainContext;

namespace plenum::net {

class PacedReceive {
public:
    // The private context, for nice_agent_attach_recv.
    static GMainContext* context();
    // `owner` reads on the beat from now on / no longer; the fallback timer runs while any
    // owner does. The links' thread only.
    static void attach(const void* owner);
    static void detach(const void* owner);
    // Reads every datagram queued for the paced streams (their callbacks run inside, on this
    // thread). Does nothing when called from inside one of those callbacks; waits while
    // another thread drains.
    static void drain();
    // No callback runs while this is held: a stream attaches to or leaves the context under it.
    static std::unique_lock<PiMutex> holdDispatch();
    // How long the streams may go undrained before the fallback timer reads them.
    static constexpr int kDefaultFallbackMs = 25;
    static void setFallbackMs(int ms); // tests
    // The clock of arrival times (IceLink::received): std::chrono::steady_clock, µs.
    static qint64 clockUs();
};

} // namespace plenum::net

#pragma once
// Media datagrams read on the call's beat, not as each one arrives (issue 14: CPU per member).
//
// An N-way call receives 50 x (N-1) datagrams a second on N-1 sockets at unrelated phases.
// Read as they arrived, each one woke the process (a poll, GLib's prepare/check over every
// source of every link, a recvmsg) to put one packet into a jitter buffer that is read only at
// the next playback pull. Paced, a connected media stream's socket lives on a private
// GMainContext of its thread that the event loop does not poll; drain() reads everything
// queued there. It runs right before each playback pull (CallEngine), before a link is judged
// silent (ControlLink), and on a fallback timer when nothing drained for a while (a call
// without a running device; ICE's own STUN traffic on the stream).
//
// What it costs: a datagram's arrival time is the drain's, quantized to the pull (as NetEQ
// measures inter-arrival in packets); what a pull finds is the same, since a drain right before
// it reads every datagram the kernel holds.

#include <QtGlobal>

typedef struct _GMainContext GMainContext;

namespace plenum::net {

class PacedReceive {
public:
    // This thread's private context, for nice_agent_attach_recv.
    static GMainContext* context();
    // `owner` reads on this thread's beat from now on / no longer; the fallback timer runs while
    // any owner does.
    static void attach(const void* owner);
    static void detach(const void* owner);
    // Reads every datagram queued for this thread's paced streams (their callbacks run inside).
    // Does nothing when called from inside one of those callbacks.
    static void drain();
    // How long the streams may go undrained before the fallback timer reads them.
    static constexpr int kDefaultFallbackMs = 25;
    static void setFallbackMs(int ms); // this thread's; tests
    // The clock of arrival times (IceLink::received): std::chrono::steady_clock, µs.
    static qint64 clockUs();
};

} // namespace plenum::net

#pragma once
// Everything a Session asks of the world (STYLE §1: no I/O inside the state machine).
// The simulator, the SessionHost and the Node implement it.

#include "protocol/messages.h"
#include "session/clock.h"
#include "session/sessionevent.h"
#include "session/sessionrecord.h"

namespace plenum::session {

class Outbox {
public:
    virtual ~Outbox() = default;
    // Best effort over the control link to `to` (or the DHT for first contact); links are
    // reliable and ordered while up.
    virtual void send(const DeviceId& to, const protocol::Message& message) = 0;
    // Idempotent; the answer comes back as onLinkUp/onLinkDown.
    virtual void openLink(const SessionId& sid, const DeviceId& to) = 0;
    // This session no longer needs the link (the host closes it when no session does).
    virtual void closeLink(const SessionId& sid, const DeviceId& to) = 0;
    // One wake-up per session; a new call replaces the old one.
    virtual void setTimer(const SessionId& sid, Millis at) = 0;
    virtual void cancelTimer(const SessionId& sid) = 0;
    // Durable before it returns: votes and acknowledged rosters depend on it (§5).
    virtual void persist(const SessionRecord& record) = 0;
    virtual void forget(const SessionId& sid) = 0;
    virtual void notify(const SessionId& sid, const SessionEvent& event) = 0;
    // A message the session refused (§5.1 rule 6: who may send what), with a reason in words.
    // `outsider`: no session of this device knows the sender, so its link should be closed.
    // Counting and logging are the world's business; the default ignores it.
    virtual void refused(const SessionId& sid, const DeviceId& from, const QString& reason,
                         bool outsider)
    {
    }
};

} // namespace plenum::session

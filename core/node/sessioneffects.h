#pragma once
// The session core's effects, queued rather than carried out (STYLE §1, as quinn-proto hands
// its caller transmits, timers and events to poll). The SessionHost writes into this Outbox;
// the Node takes the effects out in order once the call into the session core has returned,
// and only then does the I/O and emits its signals. So nothing the Node does for an effect
// (a link that reports at once, a signal handler that calls the Node again) can re-enter the
// session core while it is running. Order is kept: a persist queued before a send is on disk
// before that send leaves (DESIGN §5).

#include "session/outbox.h"

#include <deque>
#include <variant>

namespace plenum::node {

class SessionEffects : public session::Outbox {
public:
    struct Send {
        DeviceId to;
        protocol::Message message;
    };
    struct OpenLink {
        SessionId sid;
        DeviceId to;
    };
    struct CloseLink {
        SessionId sid;
        DeviceId to;
    };
    struct SetTimer {
        SessionId sid;
        session::Millis at = 0;
    };
    struct CancelTimer {
        SessionId sid;
    };
    struct Persist {
        session::SessionRecord record;
    };
    struct Forget {
        SessionId sid;
    };
    struct Notify {
        SessionId sid;
        session::SessionEvent event;
    };
    struct Refused {
        SessionId sid;
        DeviceId from;
        QString reason;
        bool outsider = false;
    };
    using Effect = std::variant<Send, OpenLink, CloseLink, SetTimer, CancelTimer, Persist, Forget,
                                Notify, Refused>;

    bool empty() const { return queue_.empty(); }
    std::size_t size() const { return queue_.size(); }
    void clear() { queue_.clear(); }

    // Carries out the oldest effect on `io` (the real world). Effects queued meanwhile (by a
    // call into the session core from `io`) go behind the ones already waiting.
    void applyFirst(session::Outbox& io)
    {
        Effect e = std::move(queue_.front());
        queue_.pop_front();
        std::visit([&](auto& x) { apply(io, x); }, e);
    }

    // Outbox: each call is recorded, nothing is done.
    void send(const DeviceId& to, const protocol::Message& message) override
    {
        queue_.push_back(Send{to, message});
    }
    void openLink(const SessionId& sid, const DeviceId& to) override
    {
        queue_.push_back(OpenLink{sid, to});
    }
    void closeLink(const SessionId& sid, const DeviceId& to) override
    {
        queue_.push_back(CloseLink{sid, to});
    }
    void setTimer(const SessionId& sid, session::Millis at) override
    {
        queue_.push_back(SetTimer{sid, at});
    }
    void cancelTimer(const SessionId& sid) override { queue_.push_back(CancelTimer{sid}); }
    void persist(const session::SessionRecord& record) override
    {
        queue_.push_back(Persist{record});
    }
    void forget(const SessionId& sid) override { queue_.push_back(Forget{sid}); }
    void notify(const SessionId& sid, const session::SessionEvent& event) override
    {
        queue_.push_back(Notify{sid, event});
    }
    void refused(const SessionId& sid, const DeviceId& from, const QString& reason,
                 bool outsider) override
    {
        queue_.push_back(Refused{sid, from, reason, outsider});
    }

private:
    static void apply(session::Outbox& io, const Send& e) { io.send(e.to, e.message); }
    static void apply(session::Outbox& io, const OpenLink& e) { io.openLink(e.sid, e.to); }
    static void apply(session::Outbox& io, const CloseLink& e) { io.closeLink(e.sid, e.to); }
    static void apply(session::Outbox& io, const SetTimer& e) { io.setTimer(e.sid, e.at); }
    static void apply(session::Outbox& io, const CancelTimer& e) { io.cancelTimer(e.sid); }
    static void apply(session::Outbox& io, const Persist& e) { io.persist(e.record); }
    static void apply(session::Outbox& io, const Forget& e) { io.forget(e.sid); }
    static void apply(session::Outbox& io, const Notify& e) { io.notify(e.sid, e.event); }
    static void apply(session::Outbox& io, const Refused& e)
    {
        io.refused(e.sid, e.from, e.reason, e.outsider);
    }

    std::deque<Effect> queue_;
};

} // namespace plenum::node

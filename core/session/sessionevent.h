#pragma once
// What a Session tells its host and the UI. Members appear only once committed (no flicker).

#include "protocol/messages.h"

#include <variant>

namespace plenum::session {

namespace event {
// An invitation arrived; the app answers with accept() or decline().
struct Invited {
    DeviceId from;
    QString inviterName;
    int memberCount = 0;
    // A hand-off from another device of this account (DESIGN §8): "Continue here?"
    std::optional<protocol::Reservation> handoff = std::nullopt;
};
// A committed roster, as every member shows it. `base` is the roster it was built on.
struct RosterCommitted {
    protocol::RosterSnapshot roster;
    protocol::RosterStamp base;
};
// This device became session manager for `epoch` (SET_SM sent).
struct BecameSm {
    std::uint64_t epoch = 0;
};
// This device is in: it received the committed roster that lists it.
struct Admitted {
    protocol::RosterSnapshot roster;
};
// The outcome of an invite this device asked for (directly as SM, or by REFER).
struct InviteResult {
    AccountId account;
    DeviceId device;
    protocol::Code code = protocol::Code::Ok;
};
// Joining failed (declined by us, cancelled, timed out, endpoints unreachable).
struct JoinFailed {
    protocol::Code code = protocol::Code::Timeout;
    QString reason;
};
// This device left the session on request.
struct Left {};
// This device was removed by the others ("You were removed" / "Connection lost — rejoining…").
struct Removed {
    bool rejoining = false;
};
// A pending invitation or baton-like request was dropped by an election, etc.
struct Notice {
    QString text;
};
// The committed roster moved the baton (§5.1 rule 11): who leads now, and its generation.
struct BatonChanged {
    protocol::Baton baton;
};
// This device holds the baton and `from` asks for it: the app answers with answerBaton().
struct BatonRequested {
    DeviceId from;
};
// Our baton request or pass did not happen: refused, or dropped by an election (rule 11).
struct BatonRefused {
    protocol::BatonRefused::Reason reason = protocol::BatonRefused::Reason::Declined;
    QString text;
};
// A hand-off this device asked for (DESIGN §8), as the SM committed it: the seat is reserved,
// the swap is done (this device is out, or stays when the user kept it), or it failed and the
// session is as it was here, with a reason in words (declined, unreachable, expired, full).
struct Handoff {
    enum class Stage { Reserved, Done, Failed };
    Stage stage = Stage::Failed;
    DeviceId device; // the new device
    QString reason;  // when Failed
};
} // namespace event

using SessionEvent =
    std::variant<event::Invited, event::RosterCommitted, event::BecameSm, event::Admitted,
                 event::InviteResult, event::JoinFailed, event::Left, event::Removed, event::Notice,
                 event::BatonChanged, event::BatonRequested, event::BatonRefused, event::Handoff>;

} // namespace plenum::session

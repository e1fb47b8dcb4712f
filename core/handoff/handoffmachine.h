#pragma once
// The device-to-device part of a hand-off (DESIGN §8), per session, for both ends: A1 pushes
// (link to A2 -> the SM reserves a seat -> signed snapshot to A2 -> the swap commits), A2
// answers an offer or pulls (asks A1 for a session), verifies the snapshot, takes its history
// and accepts the seat's INVITE (the session core then joins every member, make before break,
// and the SM commits the swap). Pure: the caller passes the clock and carries out the effects
// in order (like the session core's outbox). Every failure ends with a reason in words and
// leaves the session as it was on A1: the seat is withdrawn, A1 never left.

#include "protocol/ids.h"
#include "protocol/messages.h"

#include <QList>
#include <QString>

#include <map>
#include <optional>
#include <variant>

namespace plenum::handoff {

using Millis = std::int64_t;

namespace effect {
// A1: open a link to A2 (the snapshot travels over it).
struct Connect {
    DeviceId device;
};
// A1: ask the SM for A2's seat (Session::handoff).
struct Reserve {
    SessionId sid;
    DeviceId device;
    Millis ttl = 0;
    bool keep = false;
};
// A1: withdraw the seat (Session::cancelHandoff).
struct CancelSeat {
    SessionId sid;
};
// A1: build the signed snapshot from the committed roster and the history, send it to A2.
struct SendSnapshot {
    SessionId sid;
    DeviceId to;
};
// A1, A2 offline (store and forward): the same snapshot, sealed to A2 and stored in its DHT
// mailbox for `ttl` (the seat's life); the result comes back as onStored.
struct StoreSnapshot {
    SessionId sid;
    DeviceId to;
    Millis ttl = 0;
};
// A2: ask A1 for the session / A1: refuse a pull, in words.
struct SendPull {
    SessionId sid;
    DeviceId to;
    bool keep = false;
};
struct SendPullAnswer {
    SessionId sid;
    DeviceId to;
    protocol::Code code = protocol::Code::NotFound;
    QString reason;
};
// A2: ask the user ("Continue here?"): the snapshot verified and the seat's INVITE is here.
struct Offer {
    SessionId sid;
    DeviceId from;
};
// A2: store the snapshot's history, then accept the seat's INVITE / decline it.
struct Accept {
    SessionId sid;
};
struct Decline {
    SessionId sid;
};
// The outcome, on either end: `device` is the other end.
struct Done {
    SessionId sid;
    DeviceId device;
    bool pushed = false; // this device was A1
};
struct Failed {
    SessionId sid;
    DeviceId device;
    QString reason;
    bool pushed = false;
};
} // namespace effect

using Effect =
    std::variant<effect::Connect, effect::Reserve, effect::CancelSeat, effect::SendSnapshot,
                 effect::StoreSnapshot, effect::SendPull, effect::SendPullAnswer, effect::Offer,
                 effect::Accept, effect::Decline, effect::Done, effect::Failed>;

class HandoffMachine {
public:
    struct Config {
        Millis linkTimeout = 15'000;     // A1: A2's link must come up within this
        Millis seatTtl = 60'000;         // the seat's life at the SM (DESIGN §8)
        Millis snapshotTimeout = 15'000; // A2: the snapshot must follow the INVITE within this
        Millis pullTimeout = 20'000;     // A2: a pull must bring an INVITE within this
        Millis joinTimeout = 30'000;     // A2: accepted, admitted within this
        // A2 offline at the push (or its link not up within linkTimeout): the snapshot waits
        // in its DHT mailbox for the seat's TTL instead of failing "could not be reached".
        bool storeAndForward = true;
        // The longest a stored snapshot may wait: the DHT keeps a value 10 minutes and the
        // mailbox accepts nothing older (DeviceMailbox::kMaxAgeMs), so a longer seat would
        // outlive the value it needs.
        Millis maxStoredTtl = 10 * 60 * 1000;
        // A1 dials a stored push's A2 when presence says it is online (onOnline). A dial that
        // brings no link waits this long before the next, doubling up to the maximum; a link
        // or a newer presence record of A2's (it published: it is alive) starts over.
        Millis storedDialGap = 10'000;
        Millis maxStoredDialGap = 80'000;
    };
    struct PushOptions {
        bool keep = false;    // A1 stays in the session as well
        bool linked = false;  // A2's link is up already
        bool offline = false; // presence says A2 is offline: store and forward at once
        Millis ttl = 0;       // the seat's life; 0: Config::seatTtl
    };
    enum class Stage {
        Linking,   // A1: waiting for A2's link
        Reserving, // A1: the seat asked, not committed yet
        Swapping,  // A1: seat committed, snapshot sent, waiting for the swap
        Pulling,   // A2: asked A1, waiting for the seat's INVITE
        Waiting,   // A2: holds the INVITE or the snapshot, not both yet
        Offered,   // A2: the user decides
        Joining,   // A2: accepted, waiting for the admission (the swap)
    };

    HandoffMachine() = default;
    explicit HandoffMachine(Config config) : config_(config) {}

    // ---- A1 ----
    // `linked`: A2's link is up already. `pulled`: A2 asked (HANDOFF_PULL): it accepts itself.
    void push(const SessionId& sid, const DeviceId& device, const PushOptions& options, Millis now);
    void push(const SessionId& sid, const DeviceId& device, bool keep, bool linked, Millis now)
    {
        push(sid, device, PushOptions{keep, linked, false, 0}, now);
    }
    // A1 restarted after a crash (a quit leaves the session) with a seat it asked for in its
    // committed roster (the session record keeps it): the hand-off goes on from the swap. A2
    // is dialed and gets the snapshot again once linked (it ignores a copy; one stored in its
    // mailbox before the crash still waits there). `expiresAt`: the seat's, on the SM's clock.
    void resume(const SessionId& sid, const DeviceId& device, bool keep, Millis expiresAt,
                Millis now);
    // The StoreSnapshot effect's result: stored in A2's mailbox, or why not.
    void onStored(const SessionId& sid, bool ok, const QString& reason);
    // A1: the snapshot of `sid` waits in the DHT for A2 (store and forward).
    bool stored(const SessionId& sid) const;
    // A2 asked for `sid`; `member`: this device is in it (else refused in words).
    void onPull(const SessionId& sid, const DeviceId& from, bool keep, bool member, bool linked,
                Millis now);
    void cancel(const SessionId& sid);
    // The session core's event::Handoff for `sid` (A1's seat): Reserved, Done or Failed.
    void onSeatReserved(const SessionId& sid);
    void onSeatDone(const SessionId& sid);
    void onSeatFailed(const SessionId& sid, const QString& reason);

    // ---- A2 ----
    // Asks `devices` (this account's other online devices) for `sid`.
    void pull(const SessionId& sid, const QList<DeviceId>& devices, bool keep, Millis now);
    void onPullAnswer(const SessionId& sid, const DeviceId& from, const QString& reason);
    // The seat's INVITE arrived (event::Invited with a hand-off seat replacing `from`).
    void onInvite(const SessionId& sid, const DeviceId& replaces, Millis now);
    // The snapshot from `from` checked: `ok`, or refused with `reason`. `member`: this device
    // is in `sid` already, so a snapshot that opens no hand-off here is a late copy (A1's
    // resend after the swap) and is dropped, not left to time out as a failure.
    void onSnapshot(const SessionId& sid, const DeviceId& from, bool ok, const QString& reason,
                    bool member, Millis now);
    // The user's answer to an Offer.
    void answer(const SessionId& sid, bool accept, Millis now);
    // The session core admitted this device (the swap committed) / the join failed.
    void onAdmitted(const SessionId& sid);
    void onJoinFailed(const SessionId& sid, const QString& reason);
    // A1 took back the push this device holds from `from` (a withdrawal it stored after the
    // snapshot): not offered, or no longer; an answer already given stands (the SM ends it).
    void withdraw(const SessionId& sid, const DeviceId& from, const QString& reason);

    // ---- both ----
    void onLinkUp(const DeviceId& peer, Millis now);
    // A1: A2's link went down (or was not up when the snapshot was due) after the seat was
    // asked: the snapshot may be lost with it, so A2 is dialed again and gets it once linked.
    void onLinkDown(const DeviceId& peer);
    // A1: presence says A2 is online (its record published at `publishedMs`, the
    // publisher's clock) and it is not linked: a stored push to it dials it, with a back-off
    // (Config::storedDialGap).
    void onOnline(const DeviceId& peer, Millis now, qint64 publishedMs);
    void onTick(Millis now);
    std::optional<Millis> nextDeadline() const;
    std::optional<Stage> stage(const SessionId& sid) const;
    // The other end of `sid`'s hand-off (A2 on A1, A1 on A2).
    std::optional<DeviceId> peer(const SessionId& sid) const;
    // A1's hand-offs under way, by session: what a restarted A1 must not forget in silence.
    struct Push {
        SessionId sid;
        DeviceId device; // A2
        bool keep = false;
    };
    QList<Push> pushes() const;
    QList<Effect> takeEffects();

private:
    struct Entry {
        Stage stage = Stage::Linking;
        bool pushing = false;  // A1
        DeviceId device;       // the other end (A1: A2; A2: A1 once known)
        QList<DeviceId> asked; // A2 pulling: devices asked and not refused yet
        bool keep = false;
        bool haveInvite = false;
        bool haveSnapshot = false;
        bool pulled = false;   // A2 asked for it: no offer to the user
        bool stored = false;   // A1: store and forward (A2 offline)
        bool linkLost = false; // A1: the snapshot waits for A2's link to be back (onLinkDown)
        Millis ttl = 0;        // A1: the seat's life
        Millis deadline = 0;
        // A1, stored push: when A2 may be dialed again, the gap after that dial, and the
        // newest presence record of A2's seen (a newer one resets the back-off).
        Millis nextDial = 0;
        Millis dialGap = 0;
        qint64 seenPublished = 0;
        QString lastRefusal;
    };
    void reserve(const SessionId& sid, Entry& e, Millis now);
    void store(const SessionId& sid, Entry& e, Millis now);
    QString offlineReason(const Entry& e) const;
    void ready(const SessionId& sid, Entry& e, Millis now);
    // A2: the entry an INVITE or a snapshot of `sid` from `from` arrives into, waiting for the
    // other half (made if new); null when it is past that point or another device's.
    Entry* arriving(const SessionId& sid, const DeviceId& from, Millis now);
    void fail(const SessionId& sid, const QString& reason);
    // A1: a push to `peer` whose seat is asked for or reserved.
    static bool atSeat(const Entry& e, const DeviceId& peer);
    void out(Effect e) { effects_.append(std::move(e)); }

    Config config_;
    std::map<SessionId, Entry> entries_;
    QList<Effect> effects_;
};

} // namespace plenum::handoff

#pragma once
// Hand-off between two devices of this account, wired to the Node (DESIGN §8, docs/handoff.md):
// the pure handoff::HandoffMachine drives it; this unit carries out its effects on the session
// core (seat, cancel, accept, decline), the links (snapshot, pull) and the history store (A2
// keeps the snapshot's history before it accepts, so that the anti-entropy on admission asks
// the members only for what came after the snapshot). The Node feeds it the session core's
// hand-off events, the seat's INVITE, admissions and link events.

#include "chat/historystore.h"
#include "crypto/linkkeyring.h"
#include "handoff/handoffmachine.h"
#include "identity/presencerecord.h"
#include "identity/sealedenvelope.h"
#include "node/pendingpushfile.h"
#include "protocol/result.h"
#include "session/sessionhost.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <map>

namespace plenum::node {

class NodeChat;

class NodeHandoff : public QObject {
    Q_OBJECT
public:
    struct Deps {
        session::SessionHost& host;
        chat::HistoryStore& history;
        NodeChat& chat;
        const crypto::LinkKeyRing& keys;
        // A control message to a peer whose link is up (else dropped).
        std::function<void(const DeviceId&, const protocol::Message&)> send;
        std::function<bool(const DeviceId&)> linkUp;
        std::function<void(const DeviceId&)> connect;
        // Signs with this device's link key (the snapshot's signature).
        std::function<QByteArray(const QByteArray&)> sign;
        // Carries out what the session core queued (after a call into it).
        std::function<void()> runEffects;
        // This device's place in `sid`'s call (the snapshot carries it).
        std::function<protocol::CallState(const SessionId&)> callState;
        // ---- store and forward (A2 offline, docs/handoff.md) ----
        // Presence: is this account's device online? If so, when its record was published
        // (ms since the epoch, its clock): a newer one shows it alive (onOnline's back-off).
        std::function<std::optional<qint64>(const DeviceId&)> online;
        // Seals `body` to the device and stores it in its DHT mailbox (RequestKind::HandoffNotice).
        std::function<void(const DeviceId&, const QByteArray&, std::function<void(Status)>)> store;
        // This device's link certificate (DER): A2 learns from it the key the snapshot is
        // signed with, as a link's handshake would have taught it.
        std::function<QByteArray()> linkCertificate;
        // Verifies a chain [link, device, account] and learns its link key (LinkKeyRing).
        std::function<Status(const QList<crypto::Certificate>&)> learnChain;
        // ---- the call, make before break (docs/handoff.md "The call at the swap") ----
        // A2: joins `sid`'s call on standby with these members, taking A1's place in it
        // (`call`, its mute and deafen) from device `replaces` (false: it could not).
        std::function<bool(const SessionId&, const QList<DeviceId>&, const protocol::CallState&,
                           const DeviceId& replaces)>
            joinStandby = {};
        std::function<void(const SessionId&)> endStandby = {};
        std::function<bool(const SessionId&)> standbyReady = {};
        // Where A1's hand-offs under way are kept (PendingPushFile); empty: not kept.
        QString pushRecordPath = {};
    };
    // A2 accepts the seat once its standby call streams are up, or after this long anyway
    // (then the gap others hear is the call's set-up, as without a standby).
    static constexpr int kCallWaitMs = 3000;
    // A stored snapshot: the sealed envelope's body must fit (SealedEnvelope::kMaxBody) with
    // the link certificate beside the message.
    static constexpr qsizetype kMaxStoredSnapshotBytes = identity::SealedEnvelope::kMaxBody - 4096;
    static constexpr qsizetype kMaxLinkCertificateBytes = 4096;

    NodeHandoff(Deps deps, handoff::HandoffMachine::Config config = {}, QObject* parent = nullptr);

    // ---- commands ----
    // A1: hands `sid` to `device` (another device of this account); `keep` stays as well.
    // `ttlMs` (0: the default 60 s) is the seat's life, and a stored snapshot's if `device` is
    // offline.
    Status push(const SessionId& sid, const DeviceId& device, bool keep, qint64 ttlMs = 0);
    // A2: asks `devices` (this account's other devices) for `sid`.
    Status pull(const SessionId& sid, const QList<DeviceId>& devices, bool keep);
    // A2: the user's answer to an offer.
    Status answer(const SessionId& sid, bool accept);
    Status cancel(const SessionId& sid);
    std::optional<handoff::HandoffMachine::Stage> stage(const SessionId& sid) const
    {
        return machine_.stage(sid);
    }

    // ---- from the Node ----
    // At start, once the session records are restored: a seat this device asked for before a
    // crash (a quit leaves the session) goes on from the swap (HandoffMachine::resume), and
    // its outcome is reported as if nothing had happened. A push the crash cut short before
    // its seat was committed is reported failed, in words (PendingPushFile), and a seat the SM
    // commits for it afterwards is withdrawn.
    void restore();
    // An INVITE for a hand-off seat (event::Invited with `handoff`).
    void onInvited(const SessionId& sid, const protocol::Reservation& seat);
    void onSeatEvent(const SessionId& sid, const session::event::Handoff& event);
    void onAdmitted(const SessionId& sid);
    void onJoinFailed(const SessionId& sid, const QString& reason);
    void onLinkUp(const DeviceId& peer);
    void onLinkDown(const DeviceId& peer);
    // A2: the standby call of `sid` is ready (NodeCall::standbyReadyChanged).
    void onCallReady(const SessionId& sid);
    // The sessions this device is in changed (a roster committed, it left or was removed):
    // soon, liveSessionsChanged with the new list (coalesced: one presence update per burst).
    void onSessionsChanged();
    // The sessions this device is a member of, titled with the other members' names.
    QList<identity::LiveSession> liveSessions() const;
    // A HandoffNotice from the DHT mailbox: a snapshot A1 stored while this device was offline.
    void onStored(const identity::OpenedEnvelope& envelope);
    // HANDOFF_SNAPSHOT, HANDOFF_PULL or HANDOFF_PULL_ANSWER from a link (isHandoff).
    void onMessage(const DeviceId& from, const protocol::Message& message);
    static bool isHandoff(const protocol::Body& body);

Q_SIGNALS:
    // A2: "Continue here?" — answer with answer().
    void offered(plenum::SessionId sid, plenum::DeviceId from);
    // Either end: done (A2 is in the committed roster); `pushed` = this device was A1.
    // `call`: A1's place in the session's call (in it: A2 joins it, muted or deafened as A1).
    void done(plenum::SessionId sid, plenum::DeviceId device, bool pushed,
              plenum::protocol::CallState call);
    // Either end: failed, the session as it was on A1, the reason in words.
    void failed(plenum::SessionId sid, plenum::DeviceId device, bool pushed, QString reason);
    void warning(QString text);
    void liveSessionsChanged(QList<plenum::identity::LiveSession> sessions);
    // A1: `device` is offline; the snapshot waits in its DHT mailbox until `untilMs` (Unix ms).
    void stored(plenum::SessionId sid, plenum::DeviceId device, qint64 untilMs);
    // A1 at start: a push to `device` was under way when this device stopped; it goes on
    // (restore), and done or failed follows.
    void resumed(plenum::SessionId sid, plenum::DeviceId device);

private:
    static session::Millis now();
    AccountId account() const { return deps_.host.self().account; }
    DeviceId device() const { return deps_.host.self().device; }
    void apply();
    void apply(const handoff::Effect& effect);
    // Writes A1's pushes under way to disk when they changed: before the effects that ask
    // for a seat leave, so a crash after them finds the push there.
    void recordPushes();
    std::optional<protocol::HandoffSnapshot> snapshotFor(const SessionId& sid, const DeviceId& to,
                                                         qsizetype maxBytes);
    void sendSnapshot(const SessionId& sid, const DeviceId& to);
    void storeSnapshot(const SessionId& sid, const DeviceId& to, session::Millis ttl);
    // A HandoffNotice's body: [this device's link certificate, the encoded message].
    QByteArray mailboxBody(const QByteArray& message) const;
    // A1: a stored push that failed (cancelled, refused) is taken back from A2's mailbox.
    void withdrawStored(const SessionId& sid);
    static constexpr int kWithdrawRetryMs = 2000; // doubles: 2, 4, 8 s
    static constexpr int kWithdrawAttempts = 4;
    // A2: A1 took back the push of `sid` it stored before `sentMs`.
    void onWithdrawn(const DeviceId& from, const SessionId& sid, qint64 sentMs);
    void onSnapshot(const DeviceId& from, const SessionId& sid,
                    const protocol::HandoffSnapshot& snapshot);
    void adopt(const SessionId& sid);
    // A2 that just came online (store and forward), make before break: links to the members
    // its JOINs need are opened when the hand-off is offered, and the seat's INVITE is
    // accepted once they are up (or after kLinkWaitMs): the session core gives each JOIN only
    // about a second to find its link, which such a device does not have yet.
    void preconnect(const SessionId& sid);
    bool linksReady(const SessionId& sid) const;
    // Everything the acceptance of `sid` waits for is there (links, the standby call).
    bool readyToAccept(const SessionId& sid) const;
    // A2 accepting a hand-off of a call: the standby, its links, the bounded wait.
    void acceptWithCall(const SessionId& sid);
    void waitThenAccept(const SessionId& sid, int ms);
    bool needsLink(const protocol::HandoffSnapshot& snapshot, const DeviceId& member) const;
    void acceptNow(const SessionId& sid);
    void arm();

    Deps deps_;
    handoff::HandoffMachine machine_;
    QTimer timer_;
    QTimer live_; // coalesces presence updates of the live sessions
    // A1: while a stored push waits, A2 is dialed when presence says it is online and it is
    // not linked (HandoffMachine::onOnline, which backs off while dials bring no link).
    QTimer storedDial_;
    static constexpr int kStoredDialMs = 2000;
    void dialStoredPushes();
    // A2: the verified snapshot, until the hand-off ends.
    std::map<SessionId, protocol::HandoffSnapshot> snapshots_;
    static constexpr int kLinkWaitMs = 10'000;
    // A2: accepted, waiting for the members' links (preconnect).
    QSet<SessionId> accepting_;
    // A2: hand-offs whose snapshot came from the DHT (this device was offline at the push),
    // with when A1 stored it (the envelope's time, A1's clock).
    QHash<SessionId, qint64> stored_;
    // A2: stored pushes A1 took back. A value in the DHT cannot be deleted; a withdrawal A1
    // stores after it voids every snapshot of the session it stored before.
    struct Withdrawal {
        DeviceId from;
        qint64 sentMs = 0;
    };
    std::map<SessionId, Withdrawal> withdrawn_;
    // A1: pushes waiting in A2's mailbox: A2, and the seat's expiry (Unix ms).
    std::map<SessionId, std::pair<DeviceId, qint64>> storedPushes_;
    static constexpr qsizetype kMaxStoredHandoffs = 64;
    // A2: hand-offs whose call runs on standby until the swap.
    QSet<SessionId> standby_;
    // Pulls waiting for their link.
    QList<std::pair<DeviceId, protocol::Message>> waiting_;
    bool applying_ = false;
    // A1: the pushes under way as on disk (PendingPushFile, in the machine's order).
    std::optional<PendingPushFile> pushFile_;
    QList<PendingPush> pushesOnDisk_;
    std::optional<QList<PendingPush>> pushesNotWritten_; // the last one a write failed for
    // A1: pushes a crash cut short, reported failed at the restart: a seat committed for one
    // later is withdrawn without a second message.
    QSet<SessionId> interrupted_;
};

} // namespace plenum::node

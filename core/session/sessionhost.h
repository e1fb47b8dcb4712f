#pragma once
// All sessions of one device: routes messages by sid, answers for sessions it does not know
// (610 to a JOIN, 480 to an INVITE from a blocked account), and shares links between
// sessions (a link closes when no session needs it). The Node and the simulator both use it.

#include "session/session.h"

#include <QHash>

#include <map>
#include <memory>

namespace plenum::session {

class SessionHost : private Outbox {
public:
    static constexpr std::size_t kMaxTombstones = 256;
    // Invitations waiting for the user (or joining), per inviting device and in all: each is a
    // session object, and a stranger must not make us hold unlimited ones (issue 13).
    static constexpr int kMaxInvitesPerSender = 4;
    static constexpr int kMaxPendingInvites = 32;

    SessionHost(const SessionConfig& config, const MemberInfo& self, Outbox& io,
                TicketAuthority& tickets, std::function<std::uint64_t()> random);
    ~SessionHost() override;

    // Creates a session with this device as SM; returns its id.
    SessionId create(Millis now);
    // Sessions from records kept on disk (after a restart).
    void restore(const QList<SessionRecord>& records, Millis now);

    Session* session(const SessionId& sid);
    // The header a message outside the session core (chat, calls) carries: this device's view
    // of the session (§5.1 rule 1), or the sid alone when it has none.
    protocol::Header headerFor(const SessionId& sid) const;
    QList<SessionId> sessionIds() const;
    const MemberInfo& self() const { return self_; }
    SessionConfig& config() { return config_; }

    // Blocking looks like being offline: their invitations get 480 (DESIGN §4).
    void setBlocked(const QSet<AccountId>& accounts) { blocked_ = accounts; }
    bool isLinked(const DeviceId& peer) const { return links_.contains(peer); }
    const QSet<DeviceId>& links() const { return links_; }

    // Commands from the app, routed to one session (Session's methods of the same name).
    void invite(const SessionId& sid, const AccountId& account, const QList<DeviceId>& devices,
                Millis now);
    void accept(const SessionId& sid, Millis now);
    void decline(const SessionId& sid, Millis now);
    void leave(const SessionId& sid, Millis now);
    // The co-browsing baton (Session::requestBaton, passBaton, answerBaton; rule 11).
    void requestBaton(const SessionId& sid, Millis now);
    void passBaton(const SessionId& sid, const DeviceId& to, Millis now);
    void answerBaton(const SessionId& sid, bool grant, Millis now);

    void onMessage(const DeviceId& from, const protocol::Message& message, Millis now);
    void onLinkUp(const DeviceId& peer, Millis now);
    void onLinkDown(const DeviceId& peer, Millis now);
    void onTick(const SessionId& sid, Millis now);

    // Messages a session refused (§5.1 rule 6), since this host started.
    std::uint64_t refusedMessages() const { return refused_; }
    // Some session of this device knows `peer` (member, joiner, invitee, endpoint...).
    bool knowsAnywhere(const DeviceId& peer) const;
    // The PINGs owed to `peer` now, one per session that pings it (Session::pingTo).
    QList<protocol::Message> pingsFor(const DeviceId& peer) const;

private:
    // Outbox, as the sessions see it.
    void send(const DeviceId& to, const protocol::Message& message) override;
    void openLink(const SessionId& sid, const DeviceId& to) override;
    void closeLink(const SessionId& sid, const DeviceId& to) override;
    void setTimer(const SessionId& sid, Millis at) override;
    void cancelTimer(const SessionId& sid) override;
    void persist(const SessionRecord& record) override;
    void forget(const SessionId& sid) override;
    void notify(const SessionId& sid, const SessionEvent& event) override;
    void refused(const SessionId& sid, const DeviceId& from, const QString& reason,
                 bool outsider) override;

    void answerUnknown(const DeviceId& from, const protocol::Message& message, Millis now);
    struct Tombstone;
    bool provesMembership(const SessionId& sid, const Tombstone& t, const DeviceId& from,
                          const protocol::SnapshotRequest& q) const;
    void reap();
    SessionDeps deps();

    SessionConfig config_;
    MemberInfo self_;
    Outbox& io_;
    TicketAuthority& tickets_;
    std::function<std::uint64_t()> random_;
    std::map<SessionId, std::unique_ptr<Session>> sessions_;
    QHash<DeviceId, QSet<SessionId>> wanted_;
    QSet<DeviceId> links_;
    QSet<AccountId> blocked_;
    struct Tombstone {
        protocol::RosterStamp committed;   // named in the reply header
        protocol::RosterSnapshot accepted; // the newest roster it had on disk (ERROR, snapshot)
        std::uint64_t grantedEpoch = 0;    // its newest vote for another device (ERROR)
        QByteArray signature;              // the SM's over `accepted`, relayed with it
        // Who may have the roster it left with: members of its last rosters, and devices a
        // committed roster removed while it watched (they may still count it).
        QSet<DeviceId> told = {};
        static Tombstone of(const SessionRecord& r);
    };
    std::map<SessionId, Tombstone> tombstones_; // sessions this device left
    std::map<SessionId, DeviceId> invitedBy_;   // invitations not yet joined, by sender
    Millis nowHint_ = 0;                        // the time of the input being handled
    std::uint64_t refused_ = 0;
};

} // namespace plenum::session

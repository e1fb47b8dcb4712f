#pragma once
// The simulator's invariants (issue "Session core"), as plain checks named for the property.
// Step invariants are checked as the run goes; the others at quiescence.

#include "simnetwork.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

namespace plenum::sim {

class InvariantChecker : public SimObserver {
public:
    explicit InvariantChecker(SimNetwork& net) : net_(net) {}

    bool failed() const { return !failure_.empty(); }
    const std::string& failure() const { return failure_; }
    Millis failedAt() const { return failedAt_; }

    // At quiescence: one SM per connected majority and agreement (2), full mesh (4).
    void checkQuiescent();

    // Committed rosters per session, in order (for benchmarks and scenario tests).
    struct SessionLog {
        std::map<std::uint64_t, DeviceId> smOfEpoch;
        std::map<protocol::RosterStamp, protocol::RosterSnapshot> committed;
        std::map<protocol::RosterStamp, protocol::RosterStamp> baseOf;
        protocol::RosterSnapshot latest;
        bool any = false;
        std::set<DeviceId> toldIn;
        std::map<std::uint64_t, DeviceId> batonHolderOf; // generation -> holder, as committed
        // BATON_PASS sent: (holder, to, generation) asked for by a holder over the wire.
        std::set<std::tuple<DeviceId, DeviceId, std::uint64_t>> passes;
    };
    const std::map<SessionId, SessionLog>& sessions() const { return sids_; }

    void onSend(int from, int to, const protocol::Message& m, bool overLink) override;
    void onDelivered(int from, int to, const protocol::Message& m, const session::Session* before,
                     const protocol::RosterStamp& prev) override;
    void onEvent(int peer, const SessionId& sid, const session::SessionEvent& e,
                 bool fromSm) override;
    void onStep(Millis now) override;

    // The adversary (adversary.h): `outsider` is in no session. Then, after every step, no
    // honest member follows it as SM or lists it; a member is removed only by a removal some
    // SM proposed; and the outsider is never sent a HELLO or a roster.
    void watchOutsider(int outsider) { outsider_ = outsider; }

private:
    void fail(const std::string& what);
    void atMostOneManagerPerEpoch(int peer, const SessionId& sid, std::uint64_t epoch);
    void committedChangesAreNeverLost(const SessionId& sid, const protocol::RosterSnapshot& roster,
                                      const protocol::RosterStamp& base);
    void membersOnlyApplyCommittedRosters(int peer, const SessionId& sid,
                                          const protocol::RosterSnapshot& roster);
    void rosterVersionsNeverGoBack();
    // Rule 11: one holder per generation (hence per generation and epoch), always a member.
    // Rule 11: a baton move is one its holder asked for (or a free baton granted, or a
    // removed holder's baton given back).
    void batonMovesOnlyByItsHolder(const SessionId& sid, const SessionLog& log,
                                   const protocol::RosterSnapshot& roster);
    void batonHasOneHolderPerGeneration(int peer, const SessionId& sid,
                                        const protocol::RosterSnapshot& roster);
    // Issue 13: a member holds its SM's valid signature over every roster it commits, so any
    // snapshot it relays later is believed.
    void committedRostersCarryTheirSmsSignature(int peer, const SessionId& sid,
                                                const protocol::RosterSnapshot& roster);
    void agreementAtQuiescence(const SessionId& sid, const SessionLog& log);
    void fullMesh(const SessionLog& log);
    bool everyoneLeft(const SessionId& sid, const SessionLog& log);
    // Every deadline a session keeps has a wake-up from its host at or before it (a session
    // that arms a timer without rescheduling would wait for ever). Checked after every step.
    void noLostWakeUp();
    void outsiderGainsNothing();
    // No HELLO or roster to the outsider from a live session (checked when sent).
    void outsiderSent(int from, const protocol::Message& m);
    // The hand-off (DESIGN §8, §5.1 rule 10), on every committed roster after `before`: an
    // account is represented by exactly one device (two only when the user kept the old one),
    // and a device whose seat lives leaves only by the swap, so the others never see the
    // account leave.
    void handoffInvariants(const SessionId& sid, const protocol::RosterSnapshot& before,
                           const protocol::RosterSnapshot& after);
    std::map<SessionId, std::set<AccountId>> kept_; // accounts a keep-A1 swap gave two devices
    void removedOnlyByARemoval(int peer, const SessionId& sid);
    int outsider_ = -1;

    SimNetwork& net_;
    std::string failure_;
    Millis failedAt_ = 0;
    std::map<SessionId, SessionLog> sids_;
    struct Proposal {
        protocol::RosterStamp base;
        protocol::RosterSnapshot roster;
    };
    std::map<SessionId, std::map<protocol::RosterStamp, Proposal>> proposals_;
    struct Seen {
        const session::Session* session = nullptr;
        protocol::RosterStamp accepted;
        protocol::RosterStamp committed;
    };
    std::map<std::pair<int, SessionId>, Seen> lastAccepted_;
    // The incarnation of each device at the last step: a restart is checked against its disk.
    std::map<int, std::uint64_t> incarnation_;
};

std::string describe(const protocol::RosterSnapshot& r);

} // namespace plenum::sim

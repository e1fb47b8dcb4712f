#pragma once
// One device's view of one session: roster sync, admission (at the SM), the invitee's join
// procedure, removal, and the session-manager election. A pure state machine (STYLE §1):
// messages, link events and ticks go in; everything else goes out through the Outbox.
//
// DESIGN §4 (protocol), §5 (election) and every rule of §5.1 are implemented here; the
// comments cite the rule or the seed 004 step they implement.

#include "protocol/messages.h"
#include "protocol/quorum.h"
#include "session/election.h"
#include "session/outbox.h"
#include "session/sessionconfig.h"
#include "session/ticketauthority.h"
#include "session/timers.h"

#include <QHash>
#include <QSet>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace plenum::session {

using protocol::Code;
using protocol::MemberInfo;
using protocol::Message;
using protocol::RosterSnapshot;
using protocol::RosterStamp;

struct SessionDeps {
    Outbox& out;
    TicketAuthority& tickets;
    std::function<std::uint64_t()> random;
};

// Rule 7's answer to a device behind us that is not in our roster: a bare 403 (no epoch, SM or
// stamp, for it may be a stranger). A member answers by showing its proof; a majority of its
// roster answering so, two devices at least, puts it out (Session::notListedByMajority).
protocol::Message notInRoster(const SessionId& sid);

class Session {
public:
    // Admissions waiting at the SM; more are refused with 503 (a member spamming REFERs
    // cannot grow the queue).
    static constexpr std::size_t kMaxQueuedChanges = 64;
    // A device we asked to show a roster that lists it (rule 7's bare 403) keeps its link
    // this long from the first ask, to answer; asks repeated meanwhile do not extend it.
    static constexpr Millis kMembershipAnswerMs = 2000;

    enum class Phase { Invited, Joining, Member, Removed, Gone };

    // A new session with this device as SM, epoch 1, version 1.
    static std::unique_ptr<Session> create(const SessionConfig& config, const MemberInfo& self,
                                           const SessionId& sid, SessionDeps deps, Millis now);
    // A session this device belonged to before a restart.
    static std::unique_ptr<Session> restore(const SessionConfig& config, const MemberInfo& self,
                                            const SessionRecord& record, SessionDeps deps,
                                            Millis now);
    // An incoming INVITE; the app answers with accept() or decline().
    static std::unique_ptr<Session> invited(const SessionConfig& config, const MemberInfo& self,
                                            const DeviceId& from, const Message& invite,
                                            SessionDeps deps, Millis now);

    // ---- commands from the app ----
    // Invite an account's devices (the first to accept joins). The SM queues it; any other
    // member sends a REFER and reports the NOTIFY (seed 004: only the SM invites).
    void invite(const AccountId& account, const QList<DeviceId>& devices, Millis now);
    void accept(Millis now);
    void decline(Millis now);
    void leave(Millis now);
    // The co-browsing baton (§5.1 rule 11; sessionbaton.cpp). Every move is a roster change
    // through the SM's queue. requestBaton asks the holder (or the SM when nobody holds it);
    // passBaton gives it to a member, or back to the SM (`to` null); answerBaton answers the
    // oldest request waiting here (or `asker`'s). Refusals come back as event::BatonRefused.
    void requestBaton(Millis now);
    void passBaton(const DeviceId& to, Millis now);
    void answerBaton(bool grant, Millis now, std::optional<DeviceId> asker = std::nullopt);
    // ---- hand-off (DESIGN §8, §5.1 rule 10; sessionhandoff.cpp) ----
    // Asks the SM for a seat for `device`, another device of this device's account, for `ttl`.
    // The outcome comes as event::Handoff (Reserved, then Done or Failed with a reason).
    void handoff(const DeviceId& device, Millis ttl, bool keep, Millis now);
    // Withdraws the seat this device asked for (the new device declined it, the user changed
    // their mind); the swap wins if it was committed first.
    void cancelHandoff(Millis now);

    // ---- inputs ----
    void onMessage(const DeviceId& from, const Message& message, Millis now);
    void onLinkUp(const DeviceId& peer, Millis now);
    void onLinkDown(const DeviceId& peer, Millis now);
    void onTick(Millis now);

    // ---- getters ----
    const SessionId& sid() const { return sid_; }
    Phase phase() const { return phase_; }
    bool isSm() const { return isSm_; }
    bool smReady() const { return isSm_ && smReady_; }
    // The SM this device follows; null while it has lost it.
    DeviceId sm() const { return lostSm_ ? DeviceId{} : sm_; }
    std::uint64_t epoch() const { return epoch_; }
    const RosterSnapshot& committed() const { return committed_; }
    const RosterSnapshot& accepted() const { return accepted_; }
    // The SM's signature over committed() as committed, which this device relays with it.
    const QByteArray& committedSignature() const { return committedSig_; }
    const protocol::SessionRules& rules() const { return rules_; }
    bool hasLease(Millis now) const;
    bool linkedTo(const DeviceId& peer) const { return links_.contains(peer); }
    const QSet<DeviceId>& links() const { return links_; }
    const Timers& timers() const { return timers_; }
    SessionRecord record() const;
    std::size_t queuedChanges() const { return queue_.size(); }
    // Removed (or its readmission under way), and asking to be readmitted: the UI shows
    // "Connection lost — rejoining…", and chat said meanwhile is held until it is back.
    bool rejoining() const
    {
        return rejoining_ && phase_ != Phase::Member && phase_ != Phase::Gone;
    }
    const MemberInfo& self() const { return self_; }
    const protocol::Baton& baton() const { return committed_.baton; }
    // Members waiting for this holder's answer, oldest first.
    const QList<DeviceId>& batonAskers() const { return batonAskers_; }
    // The session has a reason to hear from this device: a member of its accepted or
    // committed roster, a leaver, a former member, a ticket holder or invitee, a join
    // endpoint (§5.1 rule 6). Everyone else is an outsider to it.
    bool knows(const DeviceId& device) const;
    // The PING this member owes `peer` now (a linked member of its accepted roster, or the
    // SM it follows), for a transport that carries pings itself (SessionConfig::pingsOnLinks);
    // none otherwise.
    std::optional<Message> pingTo(const DeviceId& peer) const;

private:
    struct AdmitRequest {
        AccountId account;
        QList<DeviceId> devices;
        std::optional<DeviceId> referrer; // null: asked by this device's own user
        std::uint32_t referId = 0;
        bool rejoin = false;
        // The admission that completes a hand-off: its commit is a Swap, not an Add.
        std::optional<protocol::Reservation> handoff = std::nullopt;
        // A seat's admission restarted by a new SM: it waits until the SM links to every
        // member A2 must JOIN (the old SM, crashed, is usually one until its removal).
        bool resumed = false;
        // The referrer's signature and moment from its REFER, checked here: the INVITE's
        // referral as the session core knows it (the Node adds the referrer's chain).
        std::optional<protocol::Referral> referral = std::nullopt;
    };
    struct RemoveRequest {
        DeviceId device;
        protocol::RosterChange::Reason reason;
    };
    // A baton move, valid only if the committed baton is still {holder, generation} when its
    // turn comes (conflicting grants: the queue orders them, the later ones are refused).
    struct BatonChange {
        DeviceId asker;  // told if it is refused
        DeviceId holder; // who holds it now (null: nobody, the SM gives it)
        DeviceId to;     // null: back to the SM
        std::uint64_t generation = 0;
    };
    // A hand-off seat reserved (reserve) or ended (with `reason`), through the one queue.
    struct SeatRequest {
        bool reserve = true;
        protocol::Reservation seat;
        protocol::RosterChange::Reason reason = protocol::RosterChange::Reason::Cancelled;
    };
    using Request = std::variant<AdmitRequest, RemoveRequest, BatonChange, SeatRequest>;

    struct Admission {
        AdmitRequest request;
        QSet<DeviceId> refused;
        Code refusal = Code::Offline;
        std::optional<MemberInfo> invitee; // the device that accepted first
        std::optional<protocol::Joined> joined;
    };
    struct Proposal {
        RosterSnapshot next;
        RosterStamp base;
        std::optional<protocol::RosterChange> change; // null: republish after an election
        QSet<DeviceId> voters;                        // the base roster's voters
        QSet<DeviceId> acks;
        QByteArray signature; // ours, over `next` (not committed)
    };
    struct JoinState {
        protocol::Invite invite;
        DeviceId sm;
        QHash<DeviceId, MemberInfo> endpoints;
        QHash<DeviceId, int> attempts;
        QSet<DeviceId> answered;
        QSet<DeviceId> unknown;
        bool joinedSent = false;
        RosterStamp endpointsAt; // the roster our EndPoints describe (ticket, then ENDPOINTS)
        // An SM elected while we joined, whose SET_SM was signed by a majority of the members
        // our inviter named (a joiner holds no roster to check it against).
        std::optional<std::pair<std::uint64_t, DeviceId>> provenSm;
    };
    struct OutstandingRefer {
        AccountId account;
        QList<DeviceId> devices;
        Millis askedAt = 0; // the moment the referral vouches for (re-sent REFERs keep it)
    };
    // A REFER for `account`, with this member's signature that it asked (Invite::referral).
    protocol::Refer referFor(std::uint32_t id, const OutstandingRefer& r);

    Session(const SessionConfig& config, const MemberInfo& self, const SessionId& sid,
            SessionDeps deps);

    // -- plumbing
    protocol::Header header() const;
    void send(const DeviceId& to, protocol::Body body);
    void sendToMembers(const protocol::Body& body, const QSet<DeviceId>& except = {});
    void persist();
    // The record as a tombstone (ended), before telling anyone we are gone.
    void persistEnded();
    void reschedule();
    void emitEvent(const SessionEvent& event) { deps_.out.notify(sid_, event); }
    QSet<DeviceId> voters(const RosterSnapshot& roster) const;
    // voters() for an election of `epoch`: without only the leavers that cannot have voted in it.
    QSet<DeviceId> electionVoters(const RosterSnapshot& roster, std::uint64_t epoch) const;
    // Left, and no longer counted: our accepted roster is at least as new as its own.
    bool dropped(const DeviceId& d) const;
    // `d` left with a roster at least as new as `at`: it cannot lead that roster's epoch.
    bool leftSince(const DeviceId& d, RosterStamp at) const;
    // A roster at `at` lists `d`: a departure of it older than that is stale (it came back).
    void forgetDepartureBefore(const DeviceId& d, RosterStamp at);
    // `signature`: the SM's over `roster` as committed.
    void becomeMember(const RosterSnapshot& roster, Millis now, const QByteArray& signature);
    void finish(Phase phase);

    // -- header checks (§5.1 rules 1, 2)
    bool checkHeader(const DeviceId& from, const Message& message, Millis now);
    // Lost our SM to someone else's round: no SM, and our own round on the retry timer.
    void loseSmElectOnRetry(Millis now);
    bool oldSmsCommittedNews(const DeviceId& from, const protocol::Body& body) const;
    void learnHigherEpoch(const DeviceId& from, const protocol::Header& h, Millis now);
    void stepDown(Millis now);

    // -- authorization (§5.1 rule 6; authorization.cpp): who may send which message. The
    // sender is always the link's (or the DHT envelope's) verified device, never a field.
    struct Refusal {
        QString reason;
        bool outsider = false; // not known to this session: its link may be closed
    };
    std::optional<Refusal> authorize(const DeviceId& from, const Message& m, Millis now) const;
    std::optional<Refusal> authorizeMember(const DeviceId& from, const Message& m,
                                           Millis now) const;
    void refuse(const DeviceId& from, const Message& m, const Refusal& refusal);
    bool inRoster(const DeviceId& device) const; // accepted, committed, or a leaver
    // The SM of `epoch` as far as this device knows (null: an epoch it knows no SM of).
    DeviceId smOfEpoch(std::uint64_t epoch) const;
    // HELLO (which names the session, its epoch and SM) goes to these devices only.
    bool helloTo(const DeviceId& peer) const;

    // -- handlers, one per message
    void onHello(const DeviceId& from, const Message& m, Millis now);
    void onPingHeader(const DeviceId& from, const protocol::Header& h, Millis now);
    void onInvite(const DeviceId& from, const Message& m, Millis now);
    void onInviteAnswer(const DeviceId& from, const protocol::InviteAnswer& a, Millis now);
    void onCancel(const DeviceId& from, const protocol::Cancel& c, Millis now);
    void onRefer(const DeviceId& from, const protocol::Refer& r, Millis now);
    void onNotify(const DeviceId& from, const protocol::Notify& n, Millis now);
    void onJoin(const DeviceId& from, const protocol::Join& j, Millis now);
    void onJoinAnswer(const DeviceId& from, const protocol::JoinAnswer& a, Millis now);
    void onJoined(const DeviceId& from, const protocol::Joined& j, Millis now);
    void onEndpoints(const DeviceId& from, const protocol::Endpoints& e, Millis now);
    void onRoster(const DeviceId& from, const protocol::Roster& r, const protocol::Header& h,
                  Millis now);
    void onRosterAck(const DeviceId& from, const protocol::RosterAck& a, Millis now);
    void onCommit(const DeviceId& from, const protocol::Commit& c, Millis now);
    void onSnapshotRequest(const DeviceId& from, const protocol::SnapshotRequest& q,
                           const protocol::Header& h, Millis now);
    void onBye(const DeviceId& from, const Message& m, Millis now);
    void onRejoin(const DeviceId& from, const protocol::Rejoin& r, Millis now);
    void onLinkReport(const DeviceId& from, const protocol::LinkReport& r, Millis now);
    void onRequestSm(const DeviceId& from, const protocol::RequestSm& r, Millis now);
    void onVote(const DeviceId& from, const protocol::Vote& v, const protocol::Header& header,
                Millis now);
    void onSetSm(const DeviceId& from, const protocol::SetSm& s, Millis now);

    // -- the signed quorum of an epoch's SM (DESIGN §5, §5.1 rule 6; sessionquorum.cpp). A
    // member follows the SM of a newer epoch only once it holds SET_SM's signed votes that
    // make a majority of its own roster: never on a header, a roster or a bare SET_SM.
    QByteArray signVote(std::uint64_t epoch, const DeviceId& candidate) const;
    bool voteSigned(const DeviceId& voter, const protocol::Vote& v) const;
    // Votes checked against the voter's key, through the injected TicketAuthority.
    protocol::SignatureCheck signatureCheck() const;
    // Checks `s` (the SM it elects: `candidate`) and keeps it as the proof of its epoch.
    bool acceptSmProof(const DeviceId& candidate, const protocol::SetSm& s);
    // A joiner's check of SET_SM (sessionquorum.cpp): see JoinState::provenSm.
    void joinerSetSm(const DeviceId& from, const protocol::SetSm& s);
    // The SM of `epoch` is proven here (or the check is off in a test).
    bool smProven(std::uint64_t epoch, const DeviceId& sm) const;
    // The proof that `sm` leads `epoch`, if we hold it, to a member that may be behind.
    void sendSmProof(const DeviceId& to, std::uint64_t epoch, const DeviceId& sm);
    protocol::SetSm ownSmProof(std::uint64_t epoch) const;
    // Asks `from` for the proof (a snapshot request), at most once per kProofAskInterval per
    // device: an SM that cannot show one (it restarted, or our roster is too old to check it)
    // answers with a roster that makes us ask again, and each answer carries two rosters.
    void askSmProof(const DeviceId& from, Millis now);
    // A committed snapshot of an epoch newer than ours, handed to us by a member of our
    // roster, is that member's word for who leads that epoch; the word of a majority of the
    // others (two at least) proves it as its signed votes would (docs/security.md).
    void noteSmAttestation(const DeviceId& from, const protocol::Roster& r);
    // Who was asked (or shown a proof) when: `last` is the rate limit (kProofAskInterval),
    // `first` opens the answer window of a membership ask (kMembershipAnswerMs).
    struct Asked {
        Millis first = 0;
        Millis last = 0;
    };
    using AskLog = QHash<DeviceId, Asked>; // bounded like formerMembers_
    // Records `now` for `d` unless it holds a time within kProofAskInterval: the rate limit of
    // the proof asks and answers below. A device quiet for five answer windows opens a new one.
    bool dueAgain(AskLog& log, const DeviceId& d, Millis now);
    // -- membership proofs (§5.1 rule 7, sessionquorum.cpp): a device behind us that we never
    // saw as a member is told it was removed only once it shows a roster that lists it, signed
    // by its SM; a stranger's made-up stamp earns it a bare 403 and nothing about the session.
    std::optional<protocol::Roster> membershipProof() const;
    bool provesMembership(const DeviceId& from, const protocol::SnapshotRequest& q) const;
    // `sm` signed rosters here as far as this device knows (itself, a member or former
    // member, or the SM it knows for `epoch`).
    bool vouchesFor(const DeviceId& sm, std::uint64_t epoch) const;
    void askMembershipProof(const DeviceId& from, Millis now); // the bare 403
    void showMembershipProof(const DeviceId& to, Millis now);  // our answer to one
    // The committed roster that left `to` out, then BYE{removed} (rule 7).
    void tellRemoved(const DeviceId& to);
    // More than half of the other members of our roster answered our heartbeat with rule 7's
    // 403 (a newer committed roster without us): we are out, roster or not.
    bool notListedByMajority() const;
    void leftOut();
    // -- the SM's signature on rosters (§5.1 rule 6, sessionquorum.cpp): an SM signs each
    // roster it proposes and each it commits; members keep and relay the signature, and a
    // full snapshot from anyone but its SM is believed only with it.
    QByteArray signRoster(const RosterSnapshot& roster, bool committed) const;
    bool rosterSigned(const protocol::Roster& r) const;
    // Why the SM that committed snapshot `r` names is a claim we cannot check (null: it is not).
    const char* unprovenSmClaim(const DeviceId& from, const protocol::Roster& r) const;
    // A full snapshot from anyone but the SM it names, without that SM's signature over it.
    bool unsignedRelay(const DeviceId& from, const protocol::Roster& r) const;
    // The signature this device holds for its accepted roster as `committed` says (signed
    // now if it is that roster's SM and has none), for a snapshot it hands out.
    QByteArray heldSignature(const RosterSnapshot& roster, bool committed) const;
    // A committed roster added or removed `device`: every ticket of it older than that roster
    // is spent (§5.1 rule 6: a ticket is bound to its roster stamp, not only its epoch).
    void spendTickets(const DeviceId& device);
    bool ticketSpent(const protocol::Ticket& ticket) const;
    // Past its expiry (and the margin below): refused like a spent one (issue 13).
    bool ticketExpired(const protocol::Ticket& ticket, Millis now) const;
    static constexpr Millis kTicketClockMargin = 30000;

    // -- roster replication (DESIGN §4 "Roster sync", §5.1 rule 4)
    // `signature`: the SM's, over `roster` as `committed` says (kept, relayed later).
    void acceptRoster(const RosterSnapshot& roster, bool committed, Millis now,
                      const QByteArray& signature);
    void markCommitted(const RosterSnapshot& roster, const RosterStamp& base, Millis now,
                       const QByteArray& signature);
    // The newly committed roster's members, and whom it removed or added since `before`.
    struct MemberChange {
        QSet<DeviceId> members;
        QSet<DeviceId> gone;
        QSet<DeviceId> added;
    };
    void noteFormerMembers(const MemberChange& change); // formerMembers_
    void applyCommittedEffects(const RosterSnapshot& before, const MemberChange& change,
                               Millis now);
    void requestSnapshot(const DeviceId& from);
    // A joiner is in when it receives this (§5.1 rule 4); laggards cross gaps with it.
    void sendCommittedRoster(const DeviceId& to);
    // `roster` as a committed full snapshot with the SM's `signature` over it.
    void sendCommittedSnapshot(const DeviceId& to, const RosterSnapshot& roster,
                               const QByteArray& signature);

    // -- SM duties: one queue for every roster change (§5.1 rule 5)
    void enqueue(Request request, Millis now);
    void pump(Millis now);
    void startAdmission(AdmitRequest request, Millis now);
    void finishAdmission(Code code, const DeviceId& device, Millis now);
    void checkJoined(Millis now);
    void propose(const RosterSnapshot& next, const RosterStamp& base,
                 std::optional<protocol::RosterChange> change, Millis now);
    void sendProposal(const DeviceId& to);
    void maybeCommit(Millis now);
    std::optional<Code> admissionRefusal(const AdmitRequest& request, Millis now) const;
    void evaluateSuspect(const DeviceId& peer, Millis now);
    bool removalStillWanted(const RemoveRequest& request, Millis now) const;

    // -- invitee (seed 004 JOIN procedure)
    void startJoining(Millis now);
    void sendJoin(const DeviceId& endpoint, Millis now);
    void maybeSendJoined(Millis now);
    // A rejoining device goes back to asking (REJOIN, with backoff) unless `refused`: only the
    // group's refusal in words, or the user, ends a rejoin.
    void failJoin(Code code, const QString& reason, Millis now, bool refused = false);

    // -- election (DESIGN §5)
    // Opens a round unless one is under way (a round, its retry, or the wait for a new SM's
    // link): lost with none of these, nothing else would ever elect.
    void loseSm(Millis now);
    bool electionUnderWay() const;
    void regainSm(const DeviceId& sm, std::uint64_t epoch, Millis now);
    void openRound(std::uint64_t epoch, Millis now);
    void castVote(Millis now);
    // `last`: the round's time is up (no winner by the election timeout). Until then a win
    // needs a majority of the committed roster too, when a change is pending.
    void checkWin(Millis now, bool last = false);
    void becomeSm(std::uint64_t epoch, Millis now);
    void resendRefers();
    void reportLinks();

    // -- removal and rejoin (§5.1 rule 7)
    void onErrorReply(const DeviceId& from, const protocol::ErrorReply& e,
                      const protocol::Header& h, Millis now);
    void departedFrom(const DeviceId& from, const protocol::Header& h,
                      std::optional<RosterStamp> accepted, std::optional<std::uint64_t> votedIn,
                      Millis now);
    void catchUp(); // a snapshot request to every linked member
    void markDeparted(const DeviceId& from, const RosterStamp& accepted,
                      std::optional<std::uint64_t> votedIn, Millis now);
    void beRemoved(const DeviceId& from, const protocol::Header& h, Millis now);
    std::optional<DeviceId> chooseSuccessor() const;
    bool votesForSuccessor(const DeviceId& candidate);
    void sendRejoin(Millis now);
    void rejoinLater(Millis now);
    void rejoinRefused(Code code, const QString& reason);
    void onRejoinAnswer(const DeviceId& from, const Message& m, Millis now);
    void resendSeatInvite(const DeviceId& peer, Millis now);
    void sendInvite(const DeviceId& to, const AdmitRequest& request, Millis now);

    // -- the baton (sessionbaton.cpp)
    void onBatonRequest(const DeviceId& from, const protocol::BatonRequest& r, Millis now);
    void onBatonPass(const DeviceId& from, const protocol::BatonPass& p, Millis now);
    void onBatonRefused(const DeviceId& from, const protocol::BatonRefused& r);
    void startBatonChange(const BatonChange& change, Millis now);
    void refuseBatonChange(const BatonChange& change, protocol::BatonRefused::Reason reason);
    void batonRefused(protocol::BatonRefused::Reason reason, const QString& text);
    void batonCommitted(const protocol::Baton& before);
    void dropBatonAsks(); // an election started or the SM changed (rule 11)
    // -- hand-off (sessionhandoff.cpp; §5.1 rule 10)
    void onHandoffReserve(const DeviceId& from, const protocol::HandoffReserve& r, Millis now);
    void onHandoffAnswer(const DeviceId& from, const protocol::HandoffAnswer& a, Millis now);
    void onHandoffCancel(const DeviceId& from, const protocol::HandoffCancel& c, Millis now);
    std::optional<Code> reserveRefusal(const DeviceId& from, const protocol::HandoffReserve& r,
                                       Millis now, QString& why) const;
    void startSeatChange(const SeatRequest& request, Millis now);
    // Ends a live seat: its admission (if any) is withdrawn, and an Unreserve is queued.
    void endSeat(const DeviceId& device, protocol::RosterChange::Reason reason, Millis now);
    // A removal of a device whose seat is live waits: its departure is folded into the swap.
    bool held(const Request& request) const;
    void onReservationTimer(Millis now);
    void armReservationTimer(Millis now);
    // A live hand-off seat (rule 10) outlives the admission of its device, which an SM that
    // is new, or restarted, no longer runs: it is started again for every seat of `roster`.
    void readmitSeats(const RosterSnapshot& roster, Millis now);
    // After a commit: the SM admits reserved devices; the asker hears how its hand-off went.
    void seatsCommitted(const RosterSnapshot& before, Millis now);
    // Out of the committed roster because another device of our account took our place.
    bool handedOff(Millis now);
    void noteHandoffChange(const RosterStamp& at, const protocol::RosterChange& change);
    static protocol::RosterChange::Reason seatEndReason(Code code);

    // -- timers
    void onTimer(TimerKind kind, const DeviceId& peer, Millis now);
    void onPingTimer(Millis now);
    bool pings(const DeviceId& peer) const;
    void scheduleRelink(const DeviceId& peer, Millis now);

    SessionConfig config_;
    MemberInfo self_;
    SessionId sid_;
    SessionDeps deps_;
    Phase phase_ = Phase::Invited;

    RosterSnapshot accepted_;
    RosterSnapshot committed_;
    protocol::SessionRules rules_;
    std::uint64_t epoch_ = 0;
    DeviceId sm_;
    bool lostSm_ = false;
    std::optional<DeviceId> successor_; // named by our SM's BYE, for the round that follows
    bool isSm_ = false;
    bool smReady_ = false;

    QSet<DeviceId> links_; // links that are up (the host's view; closing one is only a wish)
    QHash<DeviceId, Millis> lastHeard_; // last message from a member following us as SM
    QHash<DeviceId, int> relinkAttempts_;
    // A member that left (BYE, or a 610/404 from its tombstone).
    struct Departure {
        // The newest roster it had on disk: it stops counting in majorities only once our
        // accepted roster is at least as new (DESIGN §5: a leaver that may hold a newer
        // roster than the voters still counts).
        RosterStamp accepted;
        // The newest epoch in which it voted for another device, where it told us (BYE, its
        // tombstone's 404): an election of a newer epoch may leave it out; one of that epoch
        // or older may not (it may have voted there). Unknown: it counts.
        std::optional<std::uint64_t> votedIn;
    };
    QHash<DeviceId, Departure> departed_;
    QHash<DeviceId, Millis> pendingJoiners_;
    QHash<DeviceId, Millis> leaverAskedAt_; // we asked a leaver for its roster (rate limit)
    // Devices a committed roster removed while we watched: only they (and members) may
    // REJOIN (§5.1 rule 6) and be told they are out (rule 7). Bounded; kept in the record.
    QSet<DeviceId> formerMembers_;
    static constexpr qsizetype kMaxFormerMembers = 1024;

    Election election_;
    // The newest SET_SM this device checked (or, as SM, made): relayed to members behind.
    std::optional<SmProof> smProof_;
    // Who vouched (noteSmAttestation) for which SM of an epoch newer than ours; bounded.
    QHash<QPair<std::uint64_t, DeviceId>, QSet<DeviceId>> attestations_;
    static constexpr qsizetype kMaxAttestedClaims = 16;
    std::optional<QPair<std::uint64_t, DeviceId>> smAttested_; // a majority vouched for it
    // The SM's signatures over accepted_ (as a proposal; empty when it came committed) and
    // over committed_ (as committed): what this device relays with them.
    QByteArray acceptedSig_;
    QByteArray committedSig_;
    // The last roster we committed of the epoch before committed_'s, with its SM's signature:
    // a member still in that epoch checks the new SM's votes against it, not against the
    // older roster it holds (its voters may be members it never heard of). Not on disk.
    RosterSnapshot priorCommitted_;
    QByteArray priorCommittedSig_;
    static constexpr Millis kProofAskInterval = 250;
    AskLog proofAsked_;
    AskLog membershipAsked_;     // rule 7's 403s
    AskLog membershipShown_;     // our proofs, one per kProofAskInterval
    QSet<DeviceId> notListedBy_; // rule 7's 403s since our committed roster last changed
    // Per device, the committed roster that last added or removed it (bounded like
    // formerMembers_): its tickets from before are spent.
    QHash<DeviceId, RosterStamp> ticketFloor_;
    Timers timers_;
    std::optional<Millis> scheduled_;

    // SM state
    std::deque<Request> queue_;
    std::optional<Admission> admission_;
    std::optional<Proposal> proposal_;
    QHash<DeviceId, QSet<DeviceId>> downReports_;
    QHash<DeviceId, Millis> smLinkDownSince_;
    QHash<DeviceId, Millis> unreachableSince_;

    // member state
    std::uint32_t nextReferId_ = 1;
    std::map<std::uint32_t, OutstandingRefer> refers_;
    // invitee state
    std::optional<JoinState> join_;
    // rejoin state: whom we ask (the SM as far as we know), how often we asked, and the
    // members of our last roster that answered that they are no longer in the session, with
    // the newest epoch we knew when they said so
    bool rejoining_ = false;
    int rejoinAttempts_ = 0;
    DeviceId rejoinVia_;
    // The committed roster that removed us, when the SM told us (BYE{removed}): a committed
    // roster older than it that still lists us is history, not a way back.
    protocol::RosterStamp removedAt_;
    QHash<DeviceId, std::uint64_t> rejoinGone_;
    // baton state: our request (to whom, at which generation), our pass waiting at the SM,
    // and the members asking us while we hold it (bounded by the roster)
    struct BatonAsk {
        DeviceId asked;
        std::uint64_t generation = 0;
        DeviceId to; // a pass: to whom
    };
    std::optional<BatonAsk> batonAsked_;
    std::optional<BatonAsk> batonPassing_;
    QList<DeviceId> batonAskers_;
    // hand-off: the seat this device asked for and has not seen reserved or refused yet, and
    // the hand-off changes of rosters not yet committed here (their reasons, for the events)
    std::optional<DeviceId> askedSeat_;
    std::map<RosterStamp, protocol::RosterChange> seatChanges_;
};

} // namespace plenum::session

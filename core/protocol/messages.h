#pragma once
// Every wire message of Plenum's session protocol, in the order of DESIGN §4–§5.
// Read this file to learn the protocol (over 600 lines on purpose: all of it in one place). The
// CBOR encoding and its limits live beside it (codec.h, limits.h); handlers live in core/session.
//
// Seed 004 = US 7,987,233 (dynamically designated session manager), in ../shared/seeds.

#include "protocol/ids.h"

#include <QList>
#include <QString>

#include <compare>
#include <cstdint>
#include <optional>
#include <variant>

namespace plenum::protocol {

inline constexpr std::uint32_t kProtocolVersion = 6;

// A roster's place in history. Compared lexicographically: epoch first (DESIGN §5).
struct RosterStamp {
    std::uint64_t epoch = 0;
    std::uint64_t version = 0;
    friend constexpr auto operator<=>(const RosterStamp&, const RosterStamp&) = default;
};

// Self-declared capability class; the high bits of an election bid (DESIGN §5).
enum class DeviceClass : std::uint8_t { Phone = 0, Laptop = 1, Desktop = 2, Wired = 3 };

// Status codes (DESIGN §4, seed 004). Every failure reaches the person who asked, in words.
enum class Code : std::uint16_t {
    Ok = 200,
    Accepted = 202,        // REFER taken; NOTIFY follows
    Forbidden = 403,       // access rules (invite-only, block list) or a bad ticket
    NotFound = 404,        // no such session
    Timeout = 408,         // the invitee or an endpoint did not answer in time
    Offline = 480,         // offline, or blocked (blocking looks like offline)
    AlreadyHere = 486,     // already in the session
    OneToOneOnly = 488,    // a downlevel peer (no `multiparty`) is in, or is the invitee
    Full = 503,            // capacity reached, or the SM has lost its lease (§5.1 rule 3)
    Declined = 603,        // the invitee said no
    SessionNotKnown = 610, // an endpoint does not know the session (it left)
};

// One roster entry: an account and the device that currently represents it.
struct MemberInfo {
    DeviceId device;
    AccountId account;
    QString name;
    DeviceClass deviceClass = DeviceClass::Desktop;
    bool multiparty = true; // a downlevel device gets one-to-one sessions only
    friend bool operator==(const MemberInfo&, const MemberInfo&) = default;
};

// The co-browsing baton (DESIGN §9, §5.1 rule 11): who leads, and how many times it moved.
// A roster field, changed only through the SM's queue, so it survives elections. Every
// navigation is stamped with `generation`; a null holder means the SM keeps it to give.
struct Baton {
    DeviceId holder;
    std::uint64_t generation = 0;
    friend bool operator==(const Baton&, const Baton&) = default;
};
// A seat reserved for a hand-off (DESIGN §8, §5.1 rule 10): `device` of `account` may take
// over from `replaces` until `expiresAtMs`. A roster field, changed only through the SM's queue,
// so it survives elections; it counts against capacity while it lives.
struct Reservation {
    DeviceId device;               // the new device (A2)
    DeviceId replaces;             // the member device it takes over from (A1)
    AccountId account;             // both devices' account (A)
    std::uint64_t expiresAtMs = 0; // on the clock of the SM that committed it
    bool keep = false;             // the user keeps A1 as a second device of A
    friend bool operator==(const Reservation&, const Reservation&) = default;
};

// A full roster at one stamp.
struct RosterSnapshot {
    RosterStamp at;
    DeviceId sm;
    QList<MemberInfo> members;
    Baton baton;
    QList<Reservation> reservations = {}; // live hand-off seats (sorted by device)
    friend bool operator==(const RosterSnapshot&, const RosterSnapshot&) = default;
};

// One roster change, as ROSTER carries it (DESIGN §4 "Roster sync").
// Kinds 3.. are the hand-off's (§5.1 rule 10): Reserve adds `reservation`, Unreserve ends it
// (the reason says why: declined, unreachable, expired, cancelled), Swap ends it by replacing
// `reservation->replaces` with `member` in one change (or adding it, when `keep`).
struct RosterChange {
    // Baton: `member.device` is the new holder (null: back to the SM), generation + 1.
    enum class Kind : std::uint8_t {
        Add = 0,
        Remove = 1,
        Baton = 2,
        Reserve = 3,
        Unreserve = 4,
        Swap = 5
    };
    enum class Reason : std::uint8_t {
        Joined = 0,
        Left = 1,
        Crashed = 2,
        Unreachable = 3,
        Expired = 4,   // a reservation's TTL passed
        Declined = 5,  // the new device said no
        Cancelled = 6, // the asking device withdrew it (or left the session)
    };
    Kind kind = Kind::Add;
    Reason reason = Reason::Joined;
    MemberInfo member;
    std::optional<Reservation> reservation = {}; // with Reserve, Unreserve and Swap
    friend bool operator==(const RosterChange&, const RosterChange&) = default;
};

// The SM's rule set (DESIGN §4): travels in INVITE so any member can become SM and keep it.
struct SessionRules {
    std::uint32_t capacity = 8; // seats, counting reserved ones
    bool inviteOnly = false;    // only the creator's account may invite (REFERs get 403)
    QList<AccountId> allow;     // when not empty: only these accounts may be admitted
    QList<AccountId> block;     // never admitted (403)
    std::uint64_t endsAtMs = 0; // maximum duration: no admission after this time (0 = none)
    AccountId owner;            // the creator's account
    friend bool operator==(const SessionRules&, const SessionRules&) = default;
};

// Admission ticket signed by the SM over (sid, epoch, version, joiner) (§5.1 rule 6).
struct Ticket {
    SessionId sid;
    RosterStamp at;
    DeviceId joiner;
    DeviceId sm;
    QByteArray signature;
    // Unix ms after which members refuse it (with a margin for clocks that differ): a ticket
    // is good for one admission, not for the rest of its epoch (issue 13). Signed.
    std::uint64_t expiresAtMs = 0;
    friend bool operator==(const Ticket&, const Ticket&) = default;
};

// The bytes an SM signs for a ticket: a fixed layout, independent of CBOR.
QByteArray ticketSigningBytes(const Ticket& ticket);

// ---- message bodies -------------------------------------------------------------------

// HELLO: first message on every link; announces capabilities and liveness (§5.1 rule 2).
struct Hello {
    MemberInfo self;
    std::uint32_t pingIntervalMs = 250;
};
// PING: liveness; its header lets a stale peer notice a newer epoch (§5.1 rule 1).
struct Ping {};
// Who asked for an invitation, in their own words (issue 13): the member's device-key signature
// over referralSigningBytes (as its tickets and votes), and the certificate chain [link, device,
// account] the invitee checks it with (it has no link to that member yet). The SM passes on the
// signature it got in the REFER; the SM's Node adds the chain it verified on its link to the
// member.
struct Referral {
    QByteArray signature;
    QByteArray linkCert;
    QByteArray deviceCert;
    QByteArray accountCert;
    std::uint64_t issuedAtMs = 0; // when the member asked (Refer::issuedAtMs)
    friend bool operator==(const Referral&, const Referral&) = default;
};
// The bytes a member signs when it asks the SM to invite `invitee` into `sid`: bound to the
// session, the account invited, the member and the moment it asked (Unix ms, its clock), so
// it vouches for nothing else, and not for an invitation long after (crypto::verifyReferral).
QByteArray referralSigningBytes(const SessionId& sid, const AccountId& invitee,
                                const DeviceId& referrer, std::uint64_t issuedAtMs);
// INVITE: SM -> invitee, with the exact current EndPoints and the SM (seed 004, INVITE).
struct Invite {
    QList<MemberInfo> endpoints;
    Ticket ticket;
    std::optional<DeviceId> referredBy; // the member whose REFER caused this invite
    QString inviterName;                // who the invitee sees as asking
    SessionRules rules;
    // A hand-off: the invitee takes over this reservation's seat. Its endpoints leave out the
    // device it replaces (unless kept): that one is not waited for (§5.1 rule 10).
    std::optional<Reservation> handoff = {};
    // `referredBy`'s own word that it asked (extension key 1160): without it, or when it does
    // not verify, the invitee treats `referredBy` as the SM's claim and does not show it.
    std::optional<Referral> referral = {};
};
// Invitee -> SM: 200 accept, 603 declined, 480 offline/blocked, 488 one-to-one only.
struct InviteAnswer {
    Code code = Code::Ok;
    MemberInfo invitee;
};
// CANCEL: SM -> invitee; the invitation is withdrawn (another device accepted, or it timed out).
struct Cancel {
    Code code = Code::Timeout;
};
// REFER: a member asks the SM to invite someone (seed 004); only the SM ever invites.
struct Refer {
    std::uint32_t referId = 0;
    AccountId account;
    QList<DeviceId> devices; // every online device of the account rings; the first to accept joins
    // The member's signature over referralSigningBytes(sid, account, member, issuedAtMs)
    // (extension keys 1161, 1162): the SM hands both to the invitee in the INVITE's referral.
    QByteArray signature = {};
    std::uint64_t issuedAtMs = 0; // when the member's user asked (the session's clock)
};
// 202: the SM took the REFER; a NOTIFY with the result follows.
struct ReferAccepted {
    std::uint32_t referId = 0;
};
// NOTIFY: the result of a REFER, sent only after the outcome is committed (§5.1 rule 4).
struct Notify {
    std::uint32_t referId = 0;
    Code code = Code::Ok;
    DeviceId device; // the device that joined (on 200) or the one that failed
};
// JOIN: invitee -> each endpoint, with the SM's ticket (seed 004 JOIN; §5.1 rule 6).
struct Join {
    Ticket ticket;
    MemberInfo joiner;
};
// 200 / 610 Session Not Known / 403 bad ticket.
struct JoinAnswer {
    Code code = Code::Ok;
};
// JOINED: invitee -> SM once every endpoint answered; `linked` = who it linked to (§5.1 rule 5).
struct Joined {
    RosterStamp endpointsAt;
    QList<DeviceId> linked;
    QList<DeviceId> unknown; // endpoints that answered 610
};
// ENDPOINTS: SM -> invitee, a delta when the roster changed during its admission.
struct Endpoints {
    RosterStamp at;
    QList<MemberInfo> add;
    QList<DeviceId> remove;
};
// ROSTER: a proposed change (delta on `base`) or a full snapshot (DESIGN §4 "Roster sync").
struct Roster {
    RosterStamp base; // for a delta: the roster it applies to
    RosterStamp at;   // the stamp after applying it
    DeviceId sm;
    bool full = false;
    bool committed = false;    // a full snapshot of a roster that a majority acknowledged
    RosterChange change;       // when !full
    QList<MemberInfo> members; // when full
    // When full: the snapshot's baton (extension key 1100; absent = nobody, generation 0).
    std::optional<Baton> baton;
    std::optional<QList<Reservation>> reservations = {}; // when full and any is live
    // The SM's link-key signature over rosterSigningBytes(sid, the roster after this message,
    // committed): for a delta, over the snapshot it yields. A member keeps it with the roster
    // and relays it with every snapshot it hands out; a snapshot from anyone but its SM is
    // believed only with it (docs/security.md). Empty when the sender holds none.
    QByteArray signature = {};
    friend bool operator==(const Roster&, const Roster&) = default;
};
// Member -> SM: the ROSTER at `at` is on disk here (§5.1 rule 4).
struct RosterAck {
    RosterStamp at;
};
// COMMIT: SM -> members; the roster at `at` is committed. `signature` is the SM's over
// rosterSigningBytes(sid, that roster, true): what a member relays with it as committed.
struct Commit {
    RosterStamp at;
    QByteArray signature = {};
};
// The bytes an SM signs for a roster: a fixed prefix, the session, whether it says the roster
// is committed, and every field of the snapshot in canonical order (members and seats sorted
// by device, as every copy holds them).
QByteArray rosterSigningBytes(const SessionId& sid, const RosterSnapshot& roster, bool committed);
// A peer that sees a gap asks any member for a full snapshot (DESIGN §4).
struct SnapshotRequest {
    // A device that is not in the answerer's roster proves it was a member: a full roster it
    // holds that lists it, with its SM's signature (issue 13: rule 7 tells only such a device
    // that it was removed, so a stranger's made-up stamp earns it nothing). Version 6.
    std::optional<Roster> proof = {};
};
// BYE: leave (to all), removal told (§5.1 rule 7), or a failed join cancelling partial links.
struct Bye {
    enum class Reason : std::uint8_t { Leave = 0, Removed = 1, JoinFailed = 2 };
    Reason reason = Reason::Leave;
    // The leaver's newest roster on disk (DESIGN §5: a leaver that may hold a newer roster
    // than the voters is never dropped from the count). Absent from older peers.
    std::optional<RosterStamp> accepted;
    // A leaving SM names the member it hands over to (Raft's leadership transfer): that member
    // bids at once and the others vote for it as soon as its bid arrives, instead of waiting
    // out the bid window. Only a hint: the vote's up-to-date check still applies.
    std::optional<DeviceId> successor;
    // The newest epoch in which the leaver voted for another device (0: never). Members drop
    // it from an election's count only for a newer epoch: a vote it cast before its BYE may
    // have elected someone else (--crash-points seed 199416: two SMs of one epoch). Absent
    // from older peers: it counts.
    std::optional<std::uint64_t> votedIn = {};
};
// REJOIN: a restarted or removed device asks the SM to readmit it (DESIGN §4).
struct Rejoin {
    MemberInfo self;
};
// A member tells the SM that its link to `peer` went down or came back (failure suspicion).
struct LinkReport {
    DeviceId peer;
    bool down = true;
};
// REQUEST_SM: a member that lost the SM bids for epoch+1 (seed 004 REQUESTRM; DESIGN §5).
struct RequestSm {
    std::uint64_t epoch = 0; // the epoch it wants to lead
    std::uint64_t bid = 0;   // capability class in the high bits, random low bits
    RosterStamp accepted;    // its newest roster on disk, for the up-to-date check
};
// The answer to REQUEST_SM. allow=true at most once per epoch, written to disk first.
struct Vote {
    enum class Refusal : std::uint8_t {
        None = 0,
        SmAlive,          // the voter still hears the SM
        AlreadyVoted,     // its one vote for this epoch went elsewhere
        OutOfDate,        // the candidate's roster is older than the voter's
        NotMember,        // the voter does not know the session (it left): see the header
        StaleEpoch,       // the epoch asked for is not above the voter's
        UnknownCandidate, // the candidate is not in the voter's roster
    };
    std::uint64_t epoch = 0;
    bool allow = false;
    Refusal refusal = Refusal::None;
    // DESIGN §5: with allow=true, the voter's link-key signature over voteSigningBytes(sid,
    // epoch, candidate = the device asked, voter = itself); empty for a refusal. The
    // candidate forwards it in SET_SM so every member can check the quorum.
    QByteArray signature = {};
};
// One allow=true vote as SET_SM carries it: who voted, and its signature (the epoch is
// SET_SM's, the candidate is SET_SM's sender).
struct SignedVote {
    DeviceId voter;
    QByteArray signature;
    friend bool operator==(const SignedVote&, const SignedVote&) = default;
};
// SET_SM: the winner announces itself for the epoch (seed 004 SETRM), with the signed votes
// that make its majority (DESIGN §5: a member that just applies a claimed SM can be hijacked).
struct SetSm {
    std::uint64_t epoch = 0;
    QList<SignedVote> votes = {};
    // A relayed proof (extension key 1400): the SM these votes elected, when the sender is a
    // member handing the proof on to one that is behind (absent: the sender is the SM).
    std::optional<DeviceId> candidate = {};
};
// The bytes a voter signs when it allows `candidate` to lead `epoch` of session `sid`.
QByteArray voteSigningBytes(const SessionId& sid, std::uint64_t epoch, const DeviceId& candidate,
                            const DeviceId& voter);
// STALE: the answer to a control message from an older epoch; the header names the SM (rule 1).
struct Stale {};
// A failure answer in words (404 no such session, 503 full or no lease, 403 forbidden).
struct ErrorReply {
    Code code = Code::NotFound;
    QString reason;
    // From a device that left the session: the newest roster it had on disk (as in BYE).
    std::optional<RosterStamp> accepted;
    std::optional<std::uint64_t> votedIn = {}; // as in BYE
};

// ---- chat (DESIGN §6, §5.1 rule 8): not gated by epoch --------------------------------

// CHAT: one chat message. (sender, seq) identifies it (dedup); every peer orders by
// (lamport, sender). A side-chat (recipients non-empty) travels in full only to its
// recipients; other members get a stub (same ids, empty text) so that their per-sender
// sequence has no hole (docs/chat.md).
struct ChatMessage {
    DeviceId sender;
    std::uint64_t seq = 0;      // the sender's counter, from 1, no gaps
    std::uint64_t lamport = 0;  // Lamport clock; strictly increases with seq
    AccountId author;           // the account the sender device speaks for
    QString text;               // empty only in a side-chat stub
    QList<DeviceId> recipients; // empty = everyone; else the side-chat's other devices
    // DESIGN §6: the author device's Ed25519 link-key signature over chatSigningBytes(), so
    // any copy (relayed, pulled, joiner history) is checked against its author. Empty in a
    // side-chat stub, which carries no text to sign and is never shown.
    QByteArray signature = {};
    friend bool operator==(const ChatMessage&, const ChatMessage&) = default;
};
// The bytes a chat author signs: a fixed layout, independent of CBOR, bound to the session.
QByteArray chatSigningBytes(const SessionId& sid, const ChatMessage& message);
// CHAT_ACK: the recipient has (sender, seq) on disk (DESIGN §6 receipts).
struct ChatAck {
    DeviceId sender;
    std::uint64_t seq = 0;
};
// TYPING: live text as it is typed, or plain "typing…" (plain=true, text empty).
// Empty text with plain=false means "stopped typing".
struct Typing {
    QString text;
    bool plain = false;
};
// One sender's sequence number in HIGH_WATER.
struct SenderMark {
    DeviceId sender;
    std::uint64_t seq = 0;
    friend bool operator==(const SenderMark&, const SenderMark&) = default;
};
// HIGH_WATER: per sender, the highest seq up to which this peer holds every message
// (§5.1 rule 8). `floors` goes to a joiner: seqs <= floor are before its Lamport cut.
struct HighWater {
    QList<SenderMark> marks;
    QList<SenderMark> floors;
};
// CHAT_PULL: send me sender's messages fromSeq..toSeq (inclusive) that I may see.
struct ChatPull {
    DeviceId sender;
    std::uint64_t fromSeq = 0;
    std::uint64_t toSeq = 0;
};

// ---- calls (DESIGN §7, docs/media.md "Call control"): not gated by epoch ------------------

// CALL_STATE: the sender's own place in the session's call, sent to every member when it
// changes and again when a link comes up or a member is added. Each member owns its state, so
// this is not a roster change: it keeps working while the SM fails over. Only accepted from a
// member about itself (the link's device); the newest counter wins, so a late copy is ignored.
struct CallState {
    bool inCall = false;
    bool muted = false;
    bool deafened = false;
    std::uint64_t counter = 0; // from 1, increases with every change (survives restarts)
    friend bool operator==(const CallState&, const CallState&) = default;
};
// CALL_PROBE: round-trip time of a call peer (call_stats): the receiver sends it back with
// reply=true and the same stamp.
struct CallProbe {
    std::uint64_t stampUs = 0; // the asker's clock; opaque to the other end
    bool reply = false;
};

// ---- co-browsing (DESIGN §9, docs/cobrowse.md): not gated by epoch, gated by the baton ------

// BROWSE_NAVIGATE: the leader went to a page (pushed=false), or any member shows everyone a
// page without taking the baton (pushed=true). `generation` is the baton generation the
// sender knows; `seq` counts the sender's browse events (navigations, pushes and scrolls)
// in the session, from 1, so a repeat or a late event is recognised.
struct BrowseNavigate {
    std::uint64_t generation = 0;
    std::uint64_t seq = 0;
    QString url;
    QString title;
    bool pushed = false;
    friend bool operator==(const BrowseNavigate&, const BrowseNavigate&) = default;
};
// BROWSE_SCROLL: the leader's scroll position on its current page, as fractions of the page
// (0..10000 = 0..100 %), so screens of any size land on the same place.
struct BrowseScroll {
    std::uint64_t generation = 0;
    std::uint64_t seq = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    friend bool operator==(const BrowseScroll&, const BrowseScroll&) = default;
};

// ---- the baton (DESIGN §9, §5.1 rule 11): roster changes through the SM's queue --------------

// BATON_REQUEST: a member asks the holder for the baton (or the SM, when nobody holds it).
// `generation` is the one the asker saw; the holder answers with BATON_PASS to the SM
// (grant) or BATON_REFUSED to the asker.
struct BatonRequest {
    std::uint64_t generation = 0;
};
// BATON_PASS: the holder of `generation` asks the SM to give the baton to `to` (a pass or
// a grant), or back to the SM (`to` null). The SM queues it; one that no longer matches the
// committed holder and generation when its turn comes is refused (conflicting grants).
struct BatonPass {
    DeviceId to;
    std::uint64_t generation = 0;
};
// BATON_REFUSED: a request or a pass did not happen, and why.
struct BatonRefused {
    enum class Reason : std::uint8_t {
        Declined = 0,  // the holder said no
        NotHolder = 1, // the sender does not hold the current generation (it moved on)
        NotMember = 2, // the device to pass to is not a member
        Dropped = 3,   // an election started: pending requests are dropped (rule 11)
    };
    std::uint64_t generation = 0;
    Reason reason = Reason::Declined;
};

// ---- hand-off (DESIGN §8, §5.1 rule 10; wire types 40-42) -------------------------------

// HANDOFF_RESERVE: a member (A1) asks the SM for a seat for another device of its own account.
// The SM queues it like any roster change (rule 5); the committed roster shows the seat.
struct HandoffReserve {
    DeviceId device;             // A2
    std::uint32_t ttlMs = 60000; // the seat lives this long (at most limits::kMaxHandoffTtlMs)
    bool keep = false;           // A1 stays as a second device after the swap
};
// HANDOFF_ANSWER: SM -> asker, a reservation refused before it was queued (403 not your
// account's device, 486 already in or a hand-off under way, 503 full), in words.
struct HandoffAnswer {
    DeviceId device;
    Code code = Code::Full;
    QString reason;
};
// HANDOFF_CANCEL: the asker withdraws its reservation (A2 declined the snapshot, the user
// changed their mind). The SM commits its end (reason Cancelled), unless the swap won.
struct HandoffCancel {
    DeviceId device;
};
// HANDOFF_SNAPSHOT: A1 -> A2 over their own link (DESIGN §8 step 2): what A2 needs to continue
// the session. Signed by A1's device (link key) over handoffSnapshotSigningBytes; A2 accepts it
// only from a device of its own account, for its own seat. The chat messages keep their
// authors' signatures (DESIGN §6), so A1 cannot put words in anyone's mouth.
struct HandoffSnapshot {
    Reservation seat; // A2's seat: the session's part of the hand-off
    RosterStamp at;   // the roster below, as A1 holds it committed
    DeviceId sm;
    std::uint64_t epoch = 0;
    QList<MemberInfo> members;
    QList<ChatMessage> history; // the newest messages, oldest first (bounded)
    QList<SenderMark> lastSeqs; // per author: the highest seq up to which A1 holds all
    CallState call;             // A1's place in the call (A2 takes it over)
    bool plainTyping = false;   // preferences: "typing…" instead of live text
    std::uint32_t priority = 0; // the user's priority for this session (seed 001)
    QByteArray signature = {};  // A1's link-key signature; empty while signing
};
// The bytes A1 signs: a fixed prefix and the canonical encoding of the snapshot without its
// signature, bound to the session.
QByteArray handoffSnapshotSigningBytes(const SessionId& sid, const HandoffSnapshot& snapshot);

// HANDOFF_PULL (44): A2 -> A1, another device of the same account, over their link: "hand me
// this session" (DESIGN §8 "Continue here"). A1 answers with a push (the seat's INVITE and the
// snapshot) or with HANDOFF_PULL_ANSWER.
struct HandoffPull {
    bool keep = false; // A1 stays as a second device after the swap
};
// HANDOFF_PULL_ANSWER (45): A1 -> A2, a pull refused or a push that failed, in words
// (404: not in that session; a hand-off already under way; the SM's refusal).
struct HandoffPullAnswer {
    Code code = Code::NotFound;
    QString reason;
};

// Wire types 37-39 are not assigned yet: their numbers decode as unknown (codec.cpp), never
// as these empty bodies.
template <int N> struct Unassigned {
};

// Relayed signaling (DESIGN §3, issue 11): a joiner's ICE offers and answers travel over a
// device both ends are linked to (the SM), not the DHT. `sealed` is a DHT mailbox envelope
// (identity::SealedEnvelope): encrypted to the final recipient and signed by the sender, with
// a nonce and a send time, so the relay can neither read, forge nor usefully replay it. The
// header's sid names the session that justifies the relay; the relay forwards only between
// devices that session knows, within size and rate limits (docs/security.md).
// RELAY_SIGNAL: to the relay (`delivered` false), `peer` is the recipient; from the relay
// (`delivered` true), the sender the relay's link peer claims (the envelope's signature decides).
struct RelaySignal {
    DeviceId peer;
    QByteArray sealed;
    bool delivered = false;
};
// RELAY_KEY_REQUEST: asks the relay for `device`'s certificates (to seal for it).
struct RelayKeyRequest {
    DeviceId device;
};
// RELAY_KEY: `device`'s certificates as its TLS link presented them. Self-certifying: the
// asker checks the chain and that the device id is the hash of the key.
struct RelayKey {
    DeviceId device;
    QByteArray deviceCert;  // DER
    QByteArray accountCert; // DER
};
// RELAY_FAILED: the relay cannot reach `peer` (no link, refused, over a limit): the sender
// falls back to the DHT at once instead of waiting for a timeout.
struct RelayFailed {
    DeviceId peer;
    QString reason;
};

using Body =
    std::variant<Hello, Ping, Invite, InviteAnswer, Cancel, Refer, ReferAccepted, Notify, Join,
                 JoinAnswer, Joined, Endpoints, Roster, RosterAck, Commit, SnapshotRequest, Bye,
                 Rejoin, LinkReport, RequestSm, Vote, SetSm, Stale, ErrorReply,
                 // chat, appended (wire types 25-29)
                 ChatMessage, ChatAck, Typing, HighWater, ChatPull,
                 // calls, appended (wire types 30-31)
                 CallState, CallProbe,
                 // co-browsing, appended (wire types 32-33)
                 BrowseNavigate, BrowseScroll,
                 // the baton, appended (wire types 34-36)
                 BatonRequest, BatonPass, BatonRefused,
                 // wire types 37-39: not assigned in this build
                 Unassigned<37>, Unassigned<38>, Unassigned<39>,
                 // hand-off, appended (wire types 40-42)
                 HandoffReserve, HandoffAnswer, HandoffCancel,
                 // wire type 43
                 HandoffSnapshot,
                 // device-to-device hand-off, appended (wire types 44-45)
                 HandoffPull, HandoffPullAnswer,
                 // wire types 46-49: not assigned in this build
                 Unassigned<46>, Unassigned<47>, Unassigned<48>, Unassigned<49>,
                 // relayed signaling, appended (wire types 50-53)
                 RelaySignal, RelayKeyRequest, RelayKey, RelayFailed>;

// Every message header carries (sid, epoch, version) and the SM the sender follows
// (§5.1 rule 1). `at` is the sender's committed roster stamp; `epoch` its current epoch.
struct Header {
    SessionId sid;
    std::uint64_t epoch = 0;
    std::uint64_t version = 0;
    DeviceId sm;
};

struct Message {
    Header header;
    Body body;
};

// The wire name of a body type ("INVITE", "REQUEST_SM", ...), for logs and errors.
const char* messageName(const Body& body);
// A sentence for a status code ("declined", "is offline", "the group is full", ...).
QString codeText(Code code);

} // namespace plenum::protocol

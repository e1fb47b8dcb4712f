// The wire codec: one describe() per message body, and the bounded CBOR reader and writer
// they share. Over 600 lines on purpose: every message's field list sits beside the others,
// so a reader checks a field's number and bound against its neighbours in one place.
#include "protocol/codec.h"

#include "protocol/cbornode.h"
#include "protocol/limits.h"

#include <QCborStreamWriter>

#include <algorithm>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

namespace plenum::protocol {

// Wire type numbers are Body indices + 1; pin them so that reordering Body fails to build.
template <std::size_t I, typename T> constexpr bool typeIs()
{
    return std::is_same_v<std::variant_alternative_t<I - 1, Body>, T>;
}
static_assert(typeIs<1, Hello>() && typeIs<2, Ping>() && typeIs<3, Invite>() &&
              typeIs<4, InviteAnswer>() && typeIs<5, Cancel>() && typeIs<6, Refer>() &&
              typeIs<7, ReferAccepted>() && typeIs<8, Notify>() && typeIs<9, Join>() &&
              typeIs<10, JoinAnswer>() && typeIs<11, Joined>() && typeIs<12, Endpoints>() &&
              typeIs<13, Roster>() && typeIs<14, RosterAck>() && typeIs<15, Commit>() &&
              typeIs<16, SnapshotRequest>() && typeIs<17, Bye>() && typeIs<18, Rejoin>() &&
              typeIs<19, LinkReport>() && typeIs<20, RequestSm>() && typeIs<21, Vote>() &&
              typeIs<22, SetSm>() && typeIs<23, Stale>() && typeIs<24, ErrorReply>() &&
              typeIs<25, ChatMessage>() && typeIs<26, ChatAck>() && typeIs<27, Typing>() &&
              typeIs<28, HighWater>() && typeIs<29, ChatPull>() && typeIs<30, CallState>() &&
              typeIs<31, CallProbe>() && typeIs<32, BrowseNavigate>() &&
              typeIs<33, BrowseScroll>() && typeIs<34, BatonRequest>() && typeIs<35, BatonPass>() &&
              typeIs<36, BatonRefused>() && typeIs<40, HandoffReserve>() &&
              typeIs<41, HandoffAnswer>() && typeIs<42, HandoffCancel>() &&
              typeIs<43, HandoffSnapshot>() && typeIs<44, HandoffPull>() &&
              typeIs<45, HandoffPullAnswer>() && typeIs<50, RelaySignal>() &&
              typeIs<51, RelayKeyRequest>() && typeIs<52, RelayKey>() && typeIs<53, RelayFailed>());

namespace {

using namespace limits;

// ---- field tables -----------------------------------------------------------------------
// One table per struct, shared by the encoder and the decoder, so a field cannot be written
// without being read. Keys and meanings are documented in docs/protocol.md.

template <typename V> void describe(V& v, RosterStamp& s)
{
    v.field(0, s.epoch, "epoch");
    v.field(1, s.version, "version");
}
template <typename V> void describe(V& v, MemberInfo& m)
{
    v.field(0, m.device, "device");
    v.field(1, m.account, "account");
    v.field(2, m.name, "name", kMaxNameBytes);
    v.field(3, m.deviceClass, "device class");
    v.field(4, m.multiparty, "multiparty flag");
}
template <typename V> void describe(V& v, Ticket& t)
{
    v.field(0, t.sid, "session id");
    v.field(1, t.at, "stamp");
    v.field(2, t.joiner, "joiner");
    v.field(3, t.sm, "session manager");
    v.field(4, t.signature, "signature", kMaxSignatureBytes);
    v.field(5, t.expiresAtMs, "expiry");
}
template <typename V> void describe(V& v, SessionRules& r)
{
    v.field(0, r.capacity, "capacity");
    v.field(1, r.inviteOnly, "invite-only flag");
    v.field(2, r.allow, "allow list", kMaxRuleAccounts);
    v.field(3, r.block, "block list", kMaxRuleAccounts);
    v.field(4, r.endsAtMs, "end time");
    v.field(5, r.owner, "owner");
}
template <typename V> void describe(V& v, Baton& b)
{
    v.field(0, b.holder, "holder");
    v.field(1, b.generation, "generation");
}

template <typename V> void describe(V& v, Reservation& r)
{
    v.field(0, r.device, "device");
    v.field(1, r.replaces, "replaced device");
    v.field(2, r.account, "account");
    v.field(3, r.expiresAtMs, "expiry");
    v.field(4, r.keep, "keep flag");
}
template <typename V> void describe(V& v, Referral& m)
{
    v.field(0, m.signature, "signature", kMaxSignatureBytes);
    v.field(1, m.linkCert, "link certificate", kMaxCertificateBytes);
    v.field(2, m.deviceCert, "device certificate", kMaxCertificateBytes);
    v.field(3, m.accountCert, "account certificate", kMaxCertificateBytes);
    v.field(4, m.issuedAtMs, "issue time");
}
template <typename V> void describe(V& v, RosterChange& c)
{
    v.field(0, c.kind, "change kind");
    v.field(1, c.reason, "change reason");
    v.field(2, c.member, "member");
    v.field(1150, c.reservation, "reservation");
}
template <typename V> void describe(V& v, Header& h)
{
    v.field(key::kSid, h.sid, "session id");
    v.field(key::kEpoch, h.epoch, "epoch");
    v.field(key::kVersion, h.version, "roster version");
    v.field(key::kSm, h.sm, "session manager");
}

template <typename V> void describe(V& v, Hello& m)
{
    v.field(10, m.self, "sender");
    v.field(11, m.pingIntervalMs, "ping interval");
}
template <typename V> void describe(V&, Ping&) {}
template <typename V> void describe(V& v, Invite& m)
{
    v.field(10, m.endpoints, "endpoint list", kMaxMembers);
    v.field(11, m.ticket, "ticket");
    v.field(12, m.referredBy, "referrer");
    v.field(13, m.inviterName, "inviter name", kMaxNameBytes);
    v.field(14, m.rules, "rules");
    v.field(1152, m.handoff, "hand-off reservation");
    v.field(1160, m.referral, "referral"); // an extension: older peers skip it
}
template <typename V> void describe(V& v, HandoffReserve& m)
{
    v.field(10, m.device, "device");
    v.field(11, m.ttlMs, "time to live");
    v.field(12, m.keep, "keep flag");
}
template <typename V> void describe(V& v, HandoffAnswer& m)
{
    v.field(10, m.device, "device");
    v.field(11, m.code, "code");
    v.field(12, m.reason, "reason", kMaxReasonBytes);
}
template <typename V> void describe(V& v, HandoffCancel& m)
{
    v.field(10, m.device, "device");
}
template <typename V> void describe(V& v, ChatMessage& m);
template <typename V> void describe(V& v, SenderMark& m);
template <typename V> void describe(V& v, CallState& m);
template <typename V> void describe(V& v, HandoffSnapshot& m)
{
    v.field(10, m.seat, "seat");
    v.field(11, m.at, "stamp");
    v.field(12, m.sm, "session manager");
    v.field(13, m.epoch, "epoch");
    v.field(14, m.members, "member list", kMaxMembers);
    v.field(15, m.history, "history", kMaxSnapshotMessages);
    v.field(16, m.lastSeqs, "last seq list", kMaxHighWaterSenders);
    v.field(17, m.call, "call state");
    v.field(18, m.plainTyping, "plain typing flag");
    v.field(19, m.priority, "priority");
    v.field(20, m.signature, "signature", kMaxSignatureBytes);
}
template <typename V> void describe(V& v, HandoffPull& m)
{
    v.field(10, m.keep, "keep flag");
}
template <typename V> void describe(V& v, HandoffPullAnswer& m)
{
    v.field(10, m.code, "code");
    v.field(11, m.reason, "reason", kMaxReasonBytes);
}
template <int N> void describe(auto&, Unassigned<N>&) {}
template <typename V> void describe(V& v, RelaySignal& m)
{
    v.field(10, m.peer, "peer");
    v.field(11, m.sealed, "sealed signal", kMaxRelaySealedBytes);
    v.field(12, m.delivered, "delivered flag");
}
template <typename V> void describe(V& v, RelayKeyRequest& m)
{
    v.field(10, m.device, "device");
}
template <typename V> void describe(V& v, RelayKey& m)
{
    v.field(10, m.device, "device");
    v.field(11, m.deviceCert, "device certificate", kMaxCertificateBytes);
    v.field(12, m.accountCert, "account certificate", kMaxCertificateBytes);
}
template <typename V> void describe(V& v, RelayFailed& m)
{
    v.field(10, m.peer, "peer");
    v.field(11, m.reason, "reason", kMaxReasonBytes);
}
template <typename V> void describe(V& v, InviteAnswer& m)
{
    v.field(10, m.code, "code");
    v.field(11, m.invitee, "invitee");
}
template <typename V> void describe(V& v, Cancel& m)
{
    v.field(10, m.code, "code");
}
template <typename V> void describe(V& v, Refer& m)
{
    v.field(10, m.referId, "refer id");
    v.field(11, m.account, "account");
    v.field(12, m.devices, "device list", kMaxDevicesPerAccount);
    v.field(1161, m.signature, "signature", kMaxSignatureBytes); // an extension, as above
    v.field(1162, m.issuedAtMs, "issue time");
}
template <typename V> void describe(V& v, ReferAccepted& m)
{
    v.field(10, m.referId, "refer id");
}
template <typename V> void describe(V& v, Notify& m)
{
    v.field(10, m.referId, "refer id");
    v.field(11, m.code, "code");
    v.field(12, m.device, "device");
}
template <typename V> void describe(V& v, Join& m)
{
    v.field(10, m.ticket, "ticket");
    v.field(11, m.joiner, "joiner");
}
template <typename V> void describe(V& v, JoinAnswer& m)
{
    v.field(10, m.code, "code");
}
template <typename V> void describe(V& v, Joined& m)
{
    v.field(10, m.endpointsAt, "endpoints stamp");
    v.field(11, m.linked, "linked list", kMaxMembers);
    v.field(12, m.unknown, "unknown list", kMaxMembers);
}
template <typename V> void describe(V& v, Endpoints& m)
{
    v.field(10, m.at, "stamp");
    v.field(11, m.add, "added list", kMaxMembers);
    v.field(12, m.remove, "removed list", kMaxMembers);
}
template <typename V> void describe(V& v, Roster& m)
{
    v.field(10, m.base, "base stamp");
    v.field(11, m.at, "stamp");
    v.field(12, m.sm, "session manager");
    v.field(13, m.full, "full flag");
    v.field(14, m.committed, "committed flag");
    v.field(15, m.change, "change");
    v.field(16, m.members, "member list", kMaxMembers);
    v.field(17, m.signature, "signature", kMaxSignatureBytes); // version 5
    v.field(1100, m.baton, "baton");                           // an extension: older peers skip it
    v.field(1151, m.reservations, "reservation list", kMaxReservations);
}
template <typename V> void describe(V& v, RosterAck& m)
{
    v.field(10, m.at, "stamp");
}
template <typename V> void describe(V& v, Commit& m)
{
    v.field(10, m.at, "stamp");
    v.field(11, m.signature, "signature", kMaxSignatureBytes); // version 5
}
template <typename V> void describe(V& v, SnapshotRequest& m)
{
    v.field(10, m.proof, "membership proof"); // version 6
}
template <typename V> void describe(V& v, Bye& m)
{
    v.field(10, m.reason, "reason");
    v.field(1000, m.accepted, "accepted stamp");
    v.field(1001, m.successor, "successor");
    v.field(1002, m.votedIn, "voted in");
}
template <typename V> void describe(V& v, Rejoin& m)
{
    v.field(10, m.self, "sender");
}
template <typename V> void describe(V& v, LinkReport& m)
{
    v.field(10, m.peer, "peer");
    v.field(11, m.down, "down flag");
}
template <typename V> void describe(V& v, RequestSm& m)
{
    v.field(10, m.epoch, "epoch");
    v.field(11, m.bid, "bid");
    v.field(12, m.accepted, "accepted stamp");
}
template <typename V> void describe(V& v, Vote& m)
{
    v.field(10, m.epoch, "epoch");
    v.field(11, m.allow, "allow flag");
    v.field(12, m.refusal, "refusal");
    v.field(13, m.signature, "signature", kMaxSignatureBytes);
}
template <typename V> void describe(V& v, SignedVote& m)
{
    v.field(0, m.voter, "voter");
    v.field(1, m.signature, "signature", kMaxSignatureBytes);
}
template <typename V> void describe(V& v, SetSm& m)
{
    v.field(10, m.epoch, "epoch");
    v.field(11, m.votes, "vote list", kMaxMembers);
    v.field(1400, m.candidate, "candidate"); // an extension: older peers skip it
}
template <typename V> void describe(V&, Stale&) {}
template <typename V> void describe(V& v, ErrorReply& m)
{
    v.field(10, m.code, "code");
    v.field(11, m.reason, "reason", kMaxReasonBytes);
    v.field(1000, m.accepted, "accepted stamp");
    v.field(1001, m.votedIn, "voted in");
}

template <typename V> void describe(V& v, SenderMark& m)
{
    v.field(0, m.sender, "sender");
    v.field(1, m.seq, "seq");
}
template <typename V> void describe(V& v, ChatMessage& m)
{
    v.field(10, m.sender, "sender");
    v.field(11, m.seq, "seq");
    v.field(12, m.lamport, "lamport clock");
    v.field(13, m.author, "author");
    v.field(14, m.text, "text", kMaxChatTextBytes);
    v.field(15, m.recipients, "recipient list", kMaxRecipients);
    v.field(16, m.signature, "signature", kMaxSignatureBytes);
}
template <typename V> void describe(V& v, ChatAck& m)
{
    v.field(10, m.sender, "sender");
    v.field(11, m.seq, "seq");
}
template <typename V> void describe(V& v, Typing& m)
{
    v.field(10, m.text, "text", kMaxChatTextBytes);
    v.field(11, m.plain, "plain flag");
}
template <typename V> void describe(V& v, HighWater& m)
{
    v.field(10, m.marks, "mark list", kMaxHighWaterSenders);
    v.field(11, m.floors, "floor list", kMaxHighWaterSenders);
}
template <typename V> void describe(V& v, ChatPull& m)
{
    v.field(10, m.sender, "sender");
    v.field(11, m.fromSeq, "first seq");
    v.field(12, m.toSeq, "last seq");
}
template <typename V> void describe(V& v, CallState& m)
{
    v.field(10, m.inCall, "in-call flag");
    v.field(11, m.muted, "muted flag");
    v.field(12, m.deafened, "deafened flag");
    v.field(13, m.counter, "counter");
}
template <typename V> void describe(V& v, CallProbe& m)
{
    v.field(10, m.stampUs, "stamp");
    v.field(11, m.reply, "reply flag");
}
template <typename V> void describe(V& v, BrowseNavigate& m)
{
    v.field(10, m.generation, "baton generation");
    v.field(11, m.seq, "seq");
    v.field(12, m.url, "url", kMaxUrlBytes);
    v.field(13, m.title, "title", kMaxPageTitleBytes);
    v.field(14, m.pushed, "pushed flag");
}
template <typename V> void describe(V& v, BrowseScroll& m)
{
    v.field(10, m.generation, "baton generation");
    v.field(11, m.seq, "seq");
    v.field(12, m.x, "x");
    v.field(13, m.y, "y");
}
template <typename V> void describe(V& v, BatonRequest& m)
{
    v.field(10, m.generation, "baton generation");
}
template <typename V> void describe(V& v, BatonPass& m)
{
    v.field(10, m.to, "to");
    v.field(11, m.generation, "baton generation");
}
template <typename V> void describe(V& v, BatonRefused& m)
{
    v.field(10, m.generation, "baton generation");
    v.field(11, m.reason, "reason");
}

// ---- rules across fields ----------------------------------------------------------------
// Checked after the fields decoded; an empty string means the body is fine.

template <typename T> QString crossCheck(const T&)
{
    return {};
}
template <typename T> bool hasDuplicates(const QList<T>& xs)
{
    for (qsizetype i = 0; i < xs.size(); ++i)
        for (qsizetype j = i + 1; j < xs.size(); ++j)
            if (xs[i] == xs[j]) return true;
    return false;
}
QString crossCheck(const ChatMessage& m)
{
    if (m.seq == 0 || m.lamport == 0)
        return QStringLiteral("seq and lamport clock start at 1, but one of them is 0.");
    if (m.seq >= kMaxChatCounter || m.lamport >= kMaxChatCounter)
        return QStringLiteral("seq or lamport clock is 2^62 or more.");
    if (hasDuplicates(m.recipients)) return QStringLiteral("the recipient list repeats a device.");
    if (m.text.isEmpty() && !m.signature.isEmpty())
        return QStringLiteral("a stub (no text) carries a signature.");
    return {};
}
QString crossCheck(const BrowseNavigate& m)
{
    if (m.seq == 0 || m.seq >= kMaxChatCounter)
        return QStringLiteral("the browse seq is 0 or 2^62 or more.");
    if (m.url.isEmpty()) return QStringLiteral("the page address is empty.");
    return {};
}
QString crossCheck(const BrowseScroll& m)
{
    if (m.seq == 0 || m.seq >= kMaxChatCounter)
        return QStringLiteral("the browse seq is 0 or 2^62 or more.");
    if (m.x > kScrollFull || m.y > kScrollFull)
        return QStringLiteral("the scroll position is beyond 100 % of the page.");
    return {};
}
QString crossCheck(const Roster& m)
{
    const bool handoffKind = m.change.kind >= RosterChange::Kind::Reserve;
    if (!m.full && handoffKind != m.change.reservation.has_value())
        return QStringLiteral("a hand-off change needs its reservation, and only it has one.");
    if (m.reservations && (!m.full || m.reservations->isEmpty()))
        return QStringLiteral("a reservation list travels only, and not empty, in a full roster.");
    // A generation counts baton moves, which are roster changes: it stays below the version
    // bound a roster can reach (2^62, like every counter a hostile peer might push).
    if (!m.baton) return {};
    if (!m.full) return QStringLiteral("a roster delta carries a baton (only snapshots do).");
    if (m.baton->generation >= kMaxChatCounter)
        return QStringLiteral("the baton generation is 2^62 or more.");
    if (!m.baton->holder.isNull() &&
        std::none_of(m.members.cbegin(), m.members.cend(),
                     [&](const MemberInfo& x) { return x.device == m.baton->holder; }))
        return QStringLiteral("the baton holder is not among the members.");
    return {};
}
QString crossCheck(const Vote& m)
{
    if (!m.allow && !m.signature.isEmpty()) return QStringLiteral("a refusal carries a signature.");
    return {};
}
QString crossCheck(const SetSm& m)
{
    for (qsizetype i = 0; i < m.votes.size(); ++i)
        for (qsizetype j = i + 1; j < m.votes.size(); ++j)
            if (m.votes[i].voter == m.votes[j].voter)
                return QStringLiteral("the vote list repeats a voter.");
    return {};
}
QString crossCheck(const HandoffReserve& m)
{
    if (m.ttlMs == 0 || m.ttlMs > kMaxHandoffTtlMs)
        return QStringLiteral("the time to live is 0 or more than %1 ms.").arg(kMaxHandoffTtlMs);
    return {};
}
QString crossCheck(const HandoffSnapshot& m)
{
    for (const ChatMessage& c : m.history)
        if (const QString broken = crossCheck(c); !broken.isEmpty())
            return QStringLiteral("history: ") + broken;
    if (m.seat.device == m.seat.replaces)
        return QStringLiteral("the seat replaces the device it is for.");
    return {};
}
QString crossCheck(const ChatAck& m)
{
    return m.seq == 0 ? QStringLiteral("seq starts at 1, but it is 0.") : QString();
}
QString crossCheck(const HighWater& m)
{
    auto repeats = [](const QList<SenderMark>& list) {
        for (qsizetype i = 0; i < list.size(); ++i)
            for (qsizetype j = i + 1; j < list.size(); ++j)
                if (list[i].sender == list[j].sender) return true;
        return false;
    };
    if (repeats(m.marks) || repeats(m.floors))
        return QStringLiteral("a sender appears twice in one list.");
    for (const auto* list : {&m.marks, &m.floors})
        for (const auto& mark : *list)
            if (mark.seq >= kMaxChatCounter) return QStringLiteral("a seq is 2^62 or more.");
    return {};
}
QString crossCheck(const ChatPull& m)
{
    if (m.fromSeq == 0 || m.fromSeq > m.toSeq)
        return QStringLiteral("the range %1..%2 is empty or starts at 0.")
            .arg(m.fromSeq)
            .arg(m.toSeq);
    if (m.toSeq >= kMaxChatCounter) return QStringLiteral("the last seq is 2^62 or more.");
    if (m.toSeq - m.fromSeq >= kMaxPullSpan)
        return QStringLiteral("the range %1..%2 spans more than %3 messages.")
            .arg(m.fromSeq)
            .arg(m.toSeq)
            .arg(kMaxPullSpan);
    return {};
}

QString crossCheck(const CallState& m)
{
    if (m.counter == 0) return QStringLiteral("the call state counter starts at 1, but it is 0.");
    if (m.counter >= kMaxCallCounter)
        return QStringLiteral("the call state counter is 2^62 or more.");
    return {};
}

// ---- enum checks ------------------------------------------------------------------------

bool isValid(DeviceClass c)
{
    return c <= DeviceClass::Wired;
}
bool isValid(RosterChange::Kind k)
{
    return k <= RosterChange::Kind::Swap;
}
bool isValid(RosterChange::Reason r)
{
    return r <= RosterChange::Reason::Cancelled;
}
bool isValid(BatonRefused::Reason r)
{
    return r <= BatonRefused::Reason::Dropped;
}
bool isValid(Bye::Reason r)
{
    return r <= Bye::Reason::JoinFailed;
}
bool isValid(Vote::Refusal r)
{
    return r <= Vote::Refusal::UnknownCandidate;
}
bool isValid(Code c)
{
    switch (c) {
    case Code::Ok:
    case Code::Accepted:
    case Code::Forbidden:
    case Code::NotFound:
    case Code::Timeout:
    case Code::Offline:
    case Code::AlreadyHere:
    case Code::OneToOneOnly:
    case Code::Full:
    case Code::Declined:
    case Code::SessionNotKnown:
        return true;
    }
    return false;
}

template <typename T> struct IsOptional : std::false_type {
};
template <typename T> struct IsOptional<std::optional<T>> : std::true_type {
};
template <typename T> struct IsId : std::false_type {
};
template <std::size_t N, typename Tag> struct IsId<FixedId<N, Tag>> : std::true_type {
};

// ---- encoder ----------------------------------------------------------------------------

// Counts the fields a struct will write, for definite-length maps.
struct FieldCounter {
    std::size_t count = 0;
    template <typename T> void field(std::uint64_t, const T& x, const char*, std::size_t = 0)
    {
        if constexpr (IsOptional<T>::value)
            count += x.has_value() ? 1 : 0;
        else
            ++count;
    }
};

template <typename S> std::size_t fieldCount(const S& s)
{
    FieldCounter c;
    describe(c, const_cast<S&>(s)); // describe() only reads through an encoding visitor
    return c.count;
}

class Encoder {
public:
    explicit Encoder(QCborStreamWriter& w) : w_(w) {}

    template <typename T> void field(std::uint64_t key, const T& x, const char*, std::size_t = 0)
    {
        if constexpr (IsOptional<T>::value) {
            if (!x) return;
            w_.append(quint64(key));
            value(*x);
        } else {
            w_.append(quint64(key));
            value(x);
        }
    }

    template <typename T> void value(const T& x)
    {
        if constexpr (std::is_same_v<T, bool>)
            w_.append(x);
        else if constexpr (std::is_enum_v<T>)
            w_.append(quint64(std::underlying_type_t<T>(x)));
        else if constexpr (std::is_integral_v<T>)
            w_.append(quint64(x));
        else if constexpr (IsId<T>::value)
            w_.append(x.toBytes());
        else if constexpr (std::is_same_v<T, QString>)
            w_.append(QStringView(x));
        else if constexpr (std::is_same_v<T, QByteArray>)
            w_.append(x);
        else
            map(x);
    }
    template <typename T> void value(const QList<T>& xs)
    {
        w_.startArray(quint64(xs.size()));
        for (const T& x : xs)
            value(x);
        w_.endArray();
    }
    template <typename S> void map(const S& s)
    {
        w_.startMap(quint64(fieldCount(s)));
        fields(s);
        w_.endMap();
    }
    // Writes the fields of `s` into the map that is open now.
    template <typename S> void fields(const S& s)
    {
        describe(*this, const_cast<S&>(s)); // describe() only reads through an encoder
    }

private:
    QCborStreamWriter& w_;
};

// ---- decoder ----------------------------------------------------------------------------

// A field's name for error sentences; turned into text only when an error happens, so
// that decoding a valid message allocates no strings for it.
struct Name {
    const char* what;
    qsizetype index = -1; // entry of a list
    QString text() const
    {
        if (index < 0) return QLatin1String(what);
        return QStringLiteral("%1 entry %2").arg(QLatin1String(what)).arg(index);
    }
};

// Reads one CBOR map into a struct through its field table. Errors are prefixed with the
// path to the map ("ROSTER: change: member: ") so that they read as sentences.
class Decoder {
public:
    Decoder(const CborNode& map, QString context, QString& error)
        : map_(map), used_(map.entries().size(), false), context_(std::move(context)), error_(error)
    {
    }
    Decoder(const CborNode& map, const Decoder* parent, Name name, QString& error)
        : map_(map), used_(map.entries().size(), false), parent_(parent), name_(name), error_(error)
    {
    }

    bool failed() const { return !error_.isEmpty(); }
    void setContext(QString context) { context_ = std::move(context); }

    template <typename T>
    void field(std::uint64_t key, T& x, const char* what, std::size_t limit = 0)
    {
        if (failed()) return;
        const CborNode* node = take(key);
        if constexpr (IsOptional<T>::value) {
            x.reset();
            if (!node) return;
            typename T::value_type inner{};
            if (read(*node, inner, Name{what}, limit)) x = std::move(inner);
        } else {
            if (!node) {
                fail(QStringLiteral("the required field \"%1\" (key %2) is missing")
                         .arg(QLatin1String(what))
                         .arg(key));
                return;
            }
            read(*node, x, Name{what}, limit);
        }
    }

    // Every key not read must be an optional extension (>= kFirstExtensionKey).
    bool finish()
    {
        if (failed()) return false;
        for (std::size_t i = 0; i < used_.size(); ++i) {
            const std::uint64_t k = map_.entries()[i].first;
            if (!used_[i] && k < kFirstExtensionKey)
                return fail(QStringLiteral("has an unknown required field with key %1 (keys "
                                           "from %2 up are optional extensions)")
                                .arg(k)
                                .arg(kFirstExtensionKey));
        }
        return true;
    }

    bool fail(const QString& what)
    {
        if (error_.isEmpty()) error_ = prefix() + what + QLatin1Char('.');
        return false;
    }

private:
    QString prefix() const
    {
        return parent_ ? parent_->prefix() + name_.text() + QLatin1String(": ") : context_;
    }

    const CborNode* take(std::uint64_t key)
    {
        const auto& entries = map_.entries();
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (entries[i].first == key) {
                used_[i] = true;
                return &entries[i].second;
            }
        return nullptr;
    }

    bool expect(const CborNode& n, CborNode::Kind kind, const Name& what)
    {
        if (n.kind() == kind) return true;
        return fail(QStringLiteral("%1 should be %2, not %3")
                        .arg(what.text(), QLatin1String(CborNode::kindName(kind)),
                             QLatin1String(CborNode::kindName(n.kind()))));
    }
    bool tooLong(const Name& what, qsizetype size, std::size_t limit, const char* unit)
    {
        return fail(QStringLiteral("%1 has %2 %3, the limit is %4")
                        .arg(what.text())
                        .arg(size)
                        .arg(QLatin1String(unit))
                        .arg(limit));
    }

    template <typename T> bool read(const CborNode& n, T& x, const Name& what, std::size_t limit)
    {
        if constexpr (std::is_same_v<T, bool>) {
            if (!expect(n, CborNode::Kind::Bool, what)) return false;
            x = n.boolean();
            return true;
        } else if constexpr (std::is_enum_v<T>) {
            if (!expect(n, CborNode::Kind::Unsigned, what)) return false;
            using U = std::underlying_type_t<T>;
            if (n.number() > std::numeric_limits<U>::max() || !isValid(T(U(n.number()))))
                return fail(
                    QStringLiteral("%1 has the invalid value %2").arg(what.text()).arg(n.number()));
            x = T(U(n.number()));
            return true;
        } else if constexpr (std::is_integral_v<T>) {
            if (!expect(n, CborNode::Kind::Unsigned, what)) return false;
            if (n.number() > std::numeric_limits<T>::max())
                return fail(QStringLiteral("%1 is %2, more than the largest allowed value %3")
                                .arg(what.text())
                                .arg(n.number())
                                .arg(std::numeric_limits<T>::max()));
            x = T(n.number());
            return true;
        } else if constexpr (IsId<T>::value) {
            if (!expect(n, CborNode::Kind::Bytes, what)) return false;
            auto id = T::fromBytes(n.bytes());
            if (!id)
                return fail(QStringLiteral("%1 must be exactly %2 bytes, not %3")
                                .arg(what.text())
                                .arg(T::size)
                                .arg(n.bytes().size()));
            x = *id;
            return true;
        } else if constexpr (std::is_same_v<T, QString>) {
            if (!expect(n, CborNode::Kind::Text, what)) return false;
            if (std::size_t(n.bytes().size()) > limit)
                return tooLong(what, n.bytes().size(), limit, "UTF-8 bytes");
            x = QString::fromUtf8(n.bytes());
            return true;
        } else if constexpr (std::is_same_v<T, QByteArray>) {
            if (!expect(n, CborNode::Kind::Bytes, what)) return false;
            if (std::size_t(n.bytes().size()) > limit)
                return tooLong(what, n.bytes().size(), limit, "bytes");
            x = n.bytes();
            return true;
        } else {
            if (!expect(n, CborNode::Kind::Map, what)) return false;
            Decoder inner(n, this, what, error_);
            describe(inner, x);
            return inner.finish();
        }
    }

    template <typename T>
    bool read(const CborNode& n, QList<T>& xs, const Name& what, std::size_t limit)
    {
        if (!expect(n, CborNode::Kind::Array, what)) return false;
        if (n.items().size() > limit) return tooLong(what, n.items().size(), limit, "entries");
        xs.clear();
        xs.reserve(qsizetype(n.items().size()));
        for (std::size_t i = 0; i < n.items().size(); ++i) {
            T x{};
            if (!read(n.items()[i], x, Name{what.what, qsizetype(i)}, 0)) return false;
            xs.append(std::move(x));
        }
        return true;
    }

    const CborNode& map_;
    std::vector<bool> used_;
    QString context_;                 // the prefix of a top-level decoder
    const Decoder* parent_ = nullptr; // else: the decoder of the enclosing map
    Name name_{""};
    QString& error_;
};

template <typename T> constexpr bool kIsUnassigned = false;
template <int N> constexpr bool kIsUnassigned<Unassigned<N>> = true;

// Whether Body alternative `index` is a placeholder for a wire type this build does not have
// (derived from the variant, so a merge that assigns one cannot leave a stale range here).
bool isUnassigned(std::size_t index)
{
    return [index]<std::size_t... I>(std::index_sequence<I...>)
    {
        return ((I == index && kIsUnassigned<std::variant_alternative_t<I, Body>>) || ...);
    }
    (std::make_index_sequence<std::variant_size_v<Body>>());
}

// Body alternative number `index`, default-constructed.
Body makeBody(std::size_t index)
{
    return [index]<std::size_t... I>(std::index_sequence<I...>)
    {
        Body body;
        ((I == index ? (body.emplace<I>(), 0) : 0), ...);
        return body;
    }
    (std::make_index_sequence<std::variant_size_v<Body>>());
}

} // namespace

std::uint32_t messageType(const Body& body)
{
    return std::uint32_t(body.index() + 1);
}

QByteArray encode(const Message& message)
{
    QByteArray out;
    QCborStreamWriter w(&out);
    const std::size_t bodyFields =
        std::visit([](const auto& b) { return fieldCount(b); }, message.body);
    w.startMap(quint64(2 + fieldCount(message.header) + bodyFields));
    w.append(quint64(key::kProtocol));
    w.append(quint64(kProtocolVersion));
    w.append(quint64(key::kType));
    w.append(quint64(messageType(message.body)));
    Encoder e(w);
    e.fields(message.header);
    std::visit([&e](const auto& b) { e.fields(b); }, message.body);
    w.endMap();
    return out;
}

Result<Message> decode(const QByteArray& bytes)
{
    auto root = CborNode::parse(bytes);
    if (!root) return fail(root.error());
    if (root->kind() != CborNode::Kind::Map)
        return fail(QStringLiteral("The message is %1, not a CBOR map.")
                        .arg(QLatin1String(CborNode::kindName(root->kind()))));
    QString error;
    Decoder d(root.value(), QStringLiteral("Message header: "), error);
    std::uint64_t protocol = 0, type = 0;
    d.field(key::kProtocol, protocol, "protocol version");
    d.field(key::kType, type, "message type");
    if (d.failed()) return fail(error);
    if (protocol != kProtocolVersion)
        return fail(QStringLiteral("The message uses protocol version %1; this device speaks "
                                   "version %2.")
                        .arg(protocol)
                        .arg(kProtocolVersion));
    if (type == 0 || type > std::variant_size_v<Body> || isUnassigned(std::size_t(type - 1)))
        return fail(QStringLiteral("The message type %1 is unknown.").arg(type));
    Message message{Header{}, makeBody(std::size_t(type - 1))};
    d.setContext(QLatin1String(messageName(message.body)) + QLatin1String(": "));
    describe(d, message.header);
    std::visit([&d](auto& b) { describe(d, b); }, message.body);
    if (!d.finish()) return fail(error);
    const QString broken = std::visit([](const auto& b) { return crossCheck(b); }, message.body);
    if (!broken.isEmpty())
        return fail(QLatin1String(messageName(message.body)) + QLatin1String(": ") + broken);
    return message;
}

} // namespace plenum::protocol

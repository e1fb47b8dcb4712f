#include "protocol/messages.h"

#include "protocol/codec.h"

#include <QtEndian>

#include <iterator>

namespace plenum::protocol {

namespace {
void appendU64(QByteArray& out, std::uint64_t v)
{
    char buf[8];
    qToBigEndian(v, buf);
    out.append(buf, 8);
}

} // namespace

QByteArray ticketSigningBytes(const Ticket& t)
{
    QByteArray out("plenum-ticket-v2");
    out += t.sid.toBytes();
    appendU64(out, t.at.epoch);
    appendU64(out, t.at.version);
    out += t.joiner.toBytes();
    out += t.sm.toBytes();
    appendU64(out, t.expiresAtMs);
    return out;
}

QByteArray referralSigningBytes(const SessionId& sid, const AccountId& invitee,
                                const DeviceId& referrer, std::uint64_t issuedAtMs)
{
    QByteArray out("plenum-referral-v2");
    out += sid.toBytes();
    out += invitee.toBytes();
    out += referrer.toBytes();
    appendU64(out, issuedAtMs);
    return out;
}

QByteArray rosterSigningBytes(const SessionId& sid, const RosterSnapshot& r, bool committed)
{
    QByteArray out("plenum-roster-v1");
    out += sid.toBytes();
    out += char(committed ? 1 : 0);
    appendU64(out, r.at.epoch);
    appendU64(out, r.at.version);
    out += r.sm.toBytes();
    appendU64(out, std::uint64_t(r.members.size()));
    for (const MemberInfo& m : r.members) {
        const QByteArray name = m.name.toUtf8();
        out += m.device.toBytes();
        out += m.account.toBytes();
        appendU64(out, std::uint64_t(name.size()));
        out += name;
        out += char(m.deviceClass);
        out += char(m.multiparty ? 1 : 0);
    }
    out += r.baton.holder.toBytes();
    appendU64(out, r.baton.generation);
    appendU64(out, std::uint64_t(r.reservations.size()));
    for (const Reservation& s : r.reservations) {
        out += s.device.toBytes();
        out += s.replaces.toBytes();
        out += s.account.toBytes();
        appendU64(out, s.expiresAtMs);
        out += char(s.keep ? 1 : 0);
    }
    return out;
}

QByteArray voteSigningBytes(const SessionId& sid, std::uint64_t epoch, const DeviceId& candidate,
                            const DeviceId& voter)
{
    QByteArray out("plenum-vote-v1");
    out += sid.toBytes();
    appendU64(out, epoch);
    out += candidate.toBytes();
    out += voter.toBytes();
    return out;
}

QByteArray handoffSnapshotSigningBytes(const SessionId& sid, const HandoffSnapshot& snapshot)
{
    HandoffSnapshot unsigned_ = snapshot;
    unsigned_.signature.clear();
    // The codec's encoding is canonical (codec_roundtrip_test), so A2 re-creates these bytes
    // exactly from what it decoded.
    return QByteArrayLiteral("plenum handoff snapshot v1") + QByteArray(1, '\0') +
           encode(Message{Header{sid, 0, 0, {}}, unsigned_});
}

QByteArray chatSigningBytes(const SessionId& sid, const ChatMessage& m)
{
    const QByteArray text = m.text.toUtf8();
    QByteArray out("plenum-chat-v1");
    out.reserve(out.size() + 16 + 32 + 8 + 8 + 32 + 8 + 32 * m.recipients.size() + 8 + text.size());
    out += sid.toBytes();
    out += m.sender.toBytes();
    appendU64(out, m.seq);
    appendU64(out, m.lamport);
    out += m.author.toBytes();
    appendU64(out, std::uint64_t(m.recipients.size()));
    for (const DeviceId& r : m.recipients)
        out += r.toBytes();
    appendU64(out, std::uint64_t(text.size()));
    out += text;
    return out;
}

const char* messageName(const Body& body)
{
    // In the order of Body's alternatives (the wire type is the index + 1).
    static constexpr const char* kNames[] = {"HELLO",
                                             "PING",
                                             "INVITE",
                                             "INVITE_ANSWER",
                                             "CANCEL",
                                             "REFER",
                                             "202",
                                             "NOTIFY",
                                             "JOIN",
                                             "JOIN_ANSWER",
                                             "JOINED",
                                             "ENDPOINTS",
                                             "ROSTER",
                                             "ROSTER_ACK",
                                             "COMMIT",
                                             "SNAPSHOT_REQUEST",
                                             "BYE",
                                             "REJOIN",
                                             "LINK_REPORT",
                                             "REQUEST_SM",
                                             "VOTE",
                                             "SET_SM",
                                             "STALE",
                                             "ERROR",
                                             "CHAT",
                                             "CHAT_ACK",
                                             "TYPING",
                                             "HIGH_WATER",
                                             "CHAT_PULL",
                                             "CALL_STATE",
                                             "CALL_PROBE",
                                             "BROWSE_NAVIGATE",
                                             "BROWSE_SCROLL",
                                             "BATON_REQUEST",
                                             "BATON_PASS",
                                             "BATON_REFUSED",
                                             "UNASSIGNED_37",
                                             "UNASSIGNED_38",
                                             "UNASSIGNED_39",
                                             "HANDOFF_RESERVE",
                                             "HANDOFF_ANSWER",
                                             "HANDOFF_CANCEL",
                                             "HANDOFF_SNAPSHOT",
                                             "HANDOFF_PULL",
                                             "HANDOFF_PULL_ANSWER",
                                             "UNASSIGNED_46",
                                             "UNASSIGNED_47",
                                             "UNASSIGNED_48",
                                             "UNASSIGNED_49",
                                             "RELAY_SIGNAL",
                                             "RELAY_KEY_REQUEST",
                                             "RELAY_KEY",
                                             "RELAY_FAILED"};
    static_assert(std::size(kNames) == std::variant_size_v<Body>,
                  "every message needs a wire name");
    return kNames[body.index()];
}

QString codeText(Code code)
{
    switch (code) {
    case Code::Ok:
        return QStringLiteral("joined");
    case Code::Accepted:
        return QStringLiteral("request accepted");
    case Code::Forbidden:
        return QStringLiteral("is not allowed in this group");
    case Code::NotFound:
        return QStringLiteral("the group no longer exists");
    case Code::Timeout:
        return QStringLiteral("did not answer in time");
    case Code::Offline:
        return QStringLiteral("is offline");
    case Code::AlreadyHere:
        return QStringLiteral("is already here");
    case Code::OneToOneOnly:
        return QStringLiteral("can only take one-to-one conversations");
    case Code::Full:
        return QStringLiteral("the group is full");
    case Code::Declined:
        return QStringLiteral("declined");
    case Code::SessionNotKnown:
        return QStringLiteral("has left the group");
    }
    return QStringLiteral("failed (code %1)").arg(static_cast<int>(code));
}

} // namespace plenum::protocol

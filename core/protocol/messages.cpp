#include "protocol/messages.h"

#include <QtEndian>

namespace plenum::protocol {

namespace {
void appendU64(QByteArray& out, std::uint64_t v)
{
    char buf[8];
    qToBigEndian(v, buf);
    out.append(buf, 8);
}

template <typename> inline constexpr bool kAlwaysFalse = false;
} // namespace

QByteArray ticketSigningBytes(const Ticket& t)
{
    QByteArray out("plenum-ticket-v1");
    out += t.sid.toBytes();
    appendU64(out, t.at.epoch);
    appendU64(out, t.at.version);
    out += t.joiner.toBytes();
    out += t.sm.toBytes();
    return out;
}

const char* messageName(const Body& body)
{
    return std::visit(
        [](const auto& m) -> const char* {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Hello>) return "HELLO";
            else if constexpr (std::is_same_v<T, Ping>) return "PING";
            else if constexpr (std::is_same_v<T, Invite>) return "INVITE";
            else if constexpr (std::is_same_v<T, InviteAnswer>) return "INVITE_ANSWER";
            else if constexpr (std::is_same_v<T, Cancel>) return "CANCEL";
            else if constexpr (std::is_same_v<T, Refer>) return "REFER";
            else if constexpr (std::is_same_v<T, ReferAccepted>) return "202";
            else if constexpr (std::is_same_v<T, Notify>) return "NOTIFY";
            else if constexpr (std::is_same_v<T, Join>) return "JOIN";
            else if constexpr (std::is_same_v<T, JoinAnswer>) return "JOIN_ANSWER";
            else if constexpr (std::is_same_v<T, Joined>) return "JOINED";
            else if constexpr (std::is_same_v<T, Endpoints>) return "ENDPOINTS";
            else if constexpr (std::is_same_v<T, Roster>) return "ROSTER";
            else if constexpr (std::is_same_v<T, RosterAck>) return "ROSTER_ACK";
            else if constexpr (std::is_same_v<T, Commit>) return "COMMIT";
            else if constexpr (std::is_same_v<T, SnapshotRequest>) return "SNAPSHOT_REQUEST";
            else if constexpr (std::is_same_v<T, Bye>) return "BYE";
            else if constexpr (std::is_same_v<T, Rejoin>) return "REJOIN";
            else if constexpr (std::is_same_v<T, LinkReport>) return "LINK_REPORT";
            else if constexpr (std::is_same_v<T, RequestSm>) return "REQUEST_SM";
            else if constexpr (std::is_same_v<T, Vote>) return "VOTE";
            else if constexpr (std::is_same_v<T, SetSm>) return "SET_SM";
            else if constexpr (std::is_same_v<T, Stale>) return "STALE";
            else if constexpr (std::is_same_v<T, ErrorReply>) return "ERROR";
            else if constexpr (std::is_same_v<T, ChatMessage>) return "CHAT";
            else if constexpr (std::is_same_v<T, ChatAck>) return "CHAT_ACK";
            else if constexpr (std::is_same_v<T, Typing>) return "TYPING";
            else if constexpr (std::is_same_v<T, HighWater>) return "HIGH_WATER";
            else if constexpr (std::is_same_v<T, ChatPull>) return "CHAT_PULL";
            else static_assert(kAlwaysFalse<T>, "every message needs a wire name");
        },
        body);
}

QString codeText(Code code)
{
    switch (code) {
    case Code::Ok: return QStringLiteral("joined");
    case Code::Accepted: return QStringLiteral("request accepted");
    case Code::Forbidden: return QStringLiteral("is not allowed in this group");
    case Code::NotFound: return QStringLiteral("the group no longer exists");
    case Code::Timeout: return QStringLiteral("did not answer in time");
    case Code::Offline: return QStringLiteral("is offline");
    case Code::AlreadyHere: return QStringLiteral("is already here");
    case Code::OneToOneOnly: return QStringLiteral("can only take one-to-one conversations");
    case Code::Full: return QStringLiteral("the group is full");
    case Code::Declined: return QStringLiteral("declined");
    case Code::SessionNotKnown: return QStringLiteral("has left the group");
    }
    return QStringLiteral("failed (code %1)").arg(static_cast<int>(code));
}

} // namespace plenum::protocol

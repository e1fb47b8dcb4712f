#include "protocol/claims.h"

namespace plenum::protocol {

const MemberInfo* selfClaim(const Body& body)
{
    if (const auto* h = std::get_if<Hello>(&body)) return &h->self;
    if (const auto* a = std::get_if<InviteAnswer>(&body)) return &a->invitee;
    if (const auto* j = std::get_if<Join>(&body)) return &j->joiner;
    if (const auto* r = std::get_if<Rejoin>(&body)) return &r->self;
    return nullptr;
}

QString checkSelfClaim(const Body& body, const DeviceId& from, const AccountId& account)
{
    const MemberInfo* claim = selfClaim(body);
    if (!claim) return {};
    // A refusal may leave the invitee empty: it claims nothing then.
    if (std::holds_alternative<InviteAnswer>(body) && claim->device.isNull()) return {};
    if (claim->device != from)
        return QStringLiteral("%1 names the device %2, but came from %3")
            .arg(QLatin1String(messageName(body)), claim->device.shortHex(), from.shortHex());
    if (claim->account != account)
        return QStringLiteral("%1 claims the account %2, but the device belongs to %3")
            .arg(QLatin1String(messageName(body)), claim->account.shortHex(), account.shortHex());
    return {};
}

QString checkInviterClaim(const Invite& invite, const DeviceId& from, const AccountId& account)
{
    for (const MemberInfo& e : invite.endpoints)
        if (e.device == from && e.account != account)
            return QStringLiteral("INVITE claims the account %1 for its sender, but the device "
                                  "belongs to %2")
                .arg(e.account.shortHex(), account.shortHex());
    return {};
}

} // namespace plenum::protocol

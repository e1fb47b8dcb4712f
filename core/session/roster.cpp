#include "session/roster.h"

#include <algorithm>

namespace plenum::session {

bool contains(const RosterSnapshot& roster, const DeviceId& device)
{
    return std::any_of(roster.members.begin(), roster.members.end(),
                       [&](const MemberInfo& m) { return m.device == device; });
}

std::optional<MemberInfo> member(const RosterSnapshot& roster, const DeviceId& device)
{
    for (const MemberInfo& m : roster.members)
        if (m.device == device) return m;
    return std::nullopt;
}

QSet<DeviceId> deviceSet(const RosterSnapshot& roster)
{
    QSet<DeviceId> out;
    for (const MemberInfo& m : roster.members)
        out.insert(m.device);
    return out;
}

void normalize(RosterSnapshot& roster)
{
    std::sort(roster.members.begin(), roster.members.end(),
              [](const MemberInfo& a, const MemberInfo& b) { return a.device < b.device; });
}

RosterSnapshot applyChange(const RosterSnapshot& roster, const RosterChange& change, RosterStamp at,
                           const DeviceId& sm)
{
    RosterSnapshot next = roster;
    next.at = at;
    next.sm = sm;
    if (change.kind == RosterChange::Kind::Baton) {
        // §5.1 rule 11: the baton moves only by a roster change; each move is a generation.
        next.baton = protocol::Baton{change.member.device, roster.baton.generation + 1};
        return next;
    }
    next.members.removeIf([&](const MemberInfo& m) { return m.device == change.member.device; });
    if (change.kind == RosterChange::Kind::Add) next.members.append(change.member);
    // A holder who leaves or is removed gives the baton back to the SM in the same change.
    if (change.kind == RosterChange::Kind::Remove && !next.baton.holder.isNull() &&
        next.baton.holder == change.member.device)
        next.baton = protocol::Baton{DeviceId{}, roster.baton.generation + 1};
    normalize(next);
    return next;
}

std::optional<RosterChange> addedTo(const RosterSnapshot& from, const RosterSnapshot& to)
{
    if (to.members.size() != from.members.size() + 1) return std::nullopt;
    std::optional<RosterChange> change;
    for (const MemberInfo& m : to.members) {
        if (contains(from, m.device)) continue;
        if (change) return std::nullopt;
        change = RosterChange{RosterChange::Kind::Add, RosterChange::Reason::Joined, m};
    }
    return change;
}

int majorityOf(int voters)
{
    return voters / 2 + 1;
}

} // namespace plenum::session

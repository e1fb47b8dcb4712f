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
    std::sort(roster.reservations.begin(), roster.reservations.end(),
              [](const protocol::Reservation& a, const protocol::Reservation& b) {
                  return a.device < b.device;
              });
}

std::optional<MemberInfo> memberOfAccount(const RosterSnapshot& roster, const AccountId& account)
{
    for (const MemberInfo& m : roster.members)
        if (m.account == account) return m;
    return std::nullopt;
}

RosterSnapshot snapshotOf(const protocol::Roster& full)
{
    RosterSnapshot snap{full.at, full.sm, full.members, full.baton.value_or(protocol::Baton{})};
    if (full.reservations) snap.reservations = *full.reservations;
    normalize(snap);
    return snap;
}

void fillFull(protocol::Roster& full, const RosterSnapshot& roster)
{
    full.full = true;
    full.at = roster.at;
    full.sm = roster.sm;
    full.members = roster.members;
    full.baton = roster.baton;
    full.reservations.reset();
    if (!roster.reservations.isEmpty()) full.reservations = roster.reservations;
}

std::optional<protocol::Reservation> reservationFor(const RosterSnapshot& roster,
                                                    const DeviceId& device)
{
    for (const protocol::Reservation& r : roster.reservations)
        if (r.device == device) return r;
    return std::nullopt;
}

std::optional<protocol::Reservation> reservationReplacing(const RosterSnapshot& roster,
                                                          const DeviceId& replaces)
{
    for (const protocol::Reservation& r : roster.reservations)
        if (r.replaces == replaces) return r;
    return std::nullopt;
}

RosterSnapshot applyChange(const RosterSnapshot& roster, const RosterChange& change, RosterStamp at,
                           const DeviceId& sm)
{
    RosterSnapshot next = roster;
    next.at = at;
    next.sm = sm;
    const auto dropSeat = [&] {
        if (!change.reservation) return;
        next.reservations.removeIf(
            [&](const protocol::Reservation& r) { return r.device == change.reservation->device; });
    };
    switch (change.kind) {
    case RosterChange::Kind::Baton:
        // §5.1 rule 11: the baton moves only by a roster change; each move is a generation.
        next.baton = protocol::Baton{change.member.device, roster.baton.generation + 1};
        break;
    case RosterChange::Kind::Add:
    case RosterChange::Kind::Remove:
        next.members.removeIf(
            [&](const MemberInfo& m) { return m.device == change.member.device; });
        if (change.kind == RosterChange::Kind::Add) next.members.append(change.member);
        // A holder who leaves or is removed gives the baton back to the SM in the same change.
        if (change.kind == RosterChange::Kind::Remove && !next.baton.holder.isNull() &&
            next.baton.holder == change.member.device)
            next.baton = protocol::Baton{DeviceId{}, roster.baton.generation + 1};
        break;
    case RosterChange::Kind::Reserve:
        dropSeat();
        if (change.reservation) next.reservations.append(*change.reservation);
        break;
    case RosterChange::Kind::Unreserve:
        dropSeat();
        break;
    case RosterChange::Kind::Swap:
        // One change: account A, device A1 -> A2 (or A2 beside A1, when the user keeps A1).
        dropSeat();
        next.members.removeIf([&](const MemberInfo& m) {
            return m.device == change.member.device ||
                   (change.reservation && !change.reservation->keep &&
                    m.device == change.reservation->replaces);
        });
        next.members.append(change.member);
        // The person leading the browsing goes on leading from the new device.
        if (change.reservation && !change.reservation->keep &&
            next.baton.holder == change.reservation->replaces)
            next.baton = protocol::Baton{change.member.device, roster.baton.generation + 1};
        break;
    }
    normalize(next);
    return next;
}

std::optional<RosterChange> addedTo(const RosterSnapshot& from, const RosterSnapshot& to)
{
    // Only a plain admission: a swap that keeps the old device adds a member too, but it also
    // ends a seat, and the baton may have moved.
    if (to.members.size() != from.members.size() + 1 || to.reservations != from.reservations ||
        to.baton != from.baton)
        return std::nullopt;
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

bool signedBySm(const protocol::Roster& full, const SessionId& sid, TicketAuthority& tickets)
{
    return !full.signature.isEmpty() &&
           tickets.verify(full.sm,
                          protocol::rosterSigningBytes(sid, snapshotOf(full), full.committed),
                          full.signature);
}

} // namespace plenum::session

#pragma once
// Roster arithmetic on protocol::RosterSnapshot: membership, deltas and majorities.

#include "protocol/messages.h"
#include "session/ticketauthority.h"

#include <QSet>

#include <optional>

namespace plenum::session {

using protocol::MemberInfo;
using protocol::RosterChange;
using protocol::RosterSnapshot;
using protocol::RosterStamp;

bool contains(const RosterSnapshot& roster, const DeviceId& device);
std::optional<MemberInfo> member(const RosterSnapshot& roster, const DeviceId& device);
QSet<DeviceId> deviceSet(const RosterSnapshot& roster);
// The member of `account` (at most one device per account is listed, §5.1 rule 10).
std::optional<MemberInfo> memberOfAccount(const RosterSnapshot& roster, const AccountId& account);
// The roster after `change`, at `at` (members kept sorted by DeviceId so every copy is equal).
RosterSnapshot applyChange(const RosterSnapshot& roster, const RosterChange& change, RosterStamp at,
                           const DeviceId& sm);
// The Add change that makes `to` from `from` when `to` has exactly one more member, else none.
std::optional<RosterChange> addedTo(const RosterSnapshot& from, const RosterSnapshot& to);
// Sorts members (and reservations) by DeviceId: the canonical form every copy of a roster uses.
void normalize(RosterSnapshot& roster);
// A full ROSTER's snapshot, and a full ROSTER carrying a snapshot (members and live seats).
RosterSnapshot snapshotOf(const protocol::Roster& full);
void fillFull(protocol::Roster& full, const RosterSnapshot& roster);
// Whether a full ROSTER carries the signature of the SM it names (rosterSigningBytes, checked
// against that SM's link key): what a member relays, or a device shows as rule 7's proof.
bool signedBySm(const protocol::Roster& full, const SessionId& sid, TicketAuthority& tickets);
// The live hand-off seat of `device` (the new device), or the one replacing `replaces`.
std::optional<protocol::Reservation> reservationFor(const RosterSnapshot& roster,
                                                    const DeviceId& device);
std::optional<protocol::Reservation> reservationReplacing(const RosterSnapshot& roster,
                                                          const DeviceId& replaces);
// More than half of `voters` (DESIGN §5: a majority of the latest roster, leavers excluded).
int majorityOf(int voters);

} // namespace plenum::session

#pragma once
// Identity binding (DESIGN §5.1 rule 6): the MemberInfo a device sends about itself (HELLO,
// INVITE_ANSWER, JOIN, REJOIN) must name that device and the account of its verified
// certificate chain, never another: otherwise Mallory's device joins a roster "as Alice".
// The receiver knows both facts from the link (or the DHT envelope) the message came by.

#include "protocol/messages.h"

namespace plenum::protocol {

// The member a message asserts about its sender, if it carries one.
const MemberInfo* selfClaim(const Body& body);

// Empty if `body`'s self-claim (if any) names `from` and `account`; else a sentence.
QString checkSelfClaim(const Body& body, const DeviceId& from, const AccountId& account);

// An INVITE lists its sender among the endpoints (the SM is a member). That entry's account
// must be the one of the sender's verified chain: a stranger's INVITE that lists itself under
// Alice's account is refused (issue 13), rather than shown or joined. Empty if it matches or
// the INVITE does not list its sender; else a sentence. (The name shown to the user never
// comes from the INVITE: node/inviters.h.)
QString checkInviterClaim(const Invite& invite, const DeviceId& from, const AccountId& account);

} // namespace plenum::protocol

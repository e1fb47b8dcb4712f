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

} // namespace plenum::protocol

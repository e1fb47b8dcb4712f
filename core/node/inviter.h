#pragma once
// Who an invitation is from, as this device verified it (issue 13, docs/security.md): the
// device the INVITE came from and the account of that device's verified certificate chain
// (the link's, or the signed DHT envelope's), with the name that account is known by here.
// None of it is the INVITE's word: a stranger whose INVITE says "Alice invites you" is shown
// under its own account and the name its own signed record gives.

#include "node/nodeaccount.h"

#include <optional>

namespace plenum::node {

struct Inviter {
    DeviceId device;   // the device the INVITE came from (the session's SM)
    AccountId account; // the account of its verified chain
    // The contact entry's name, else the account's signed presence record's; empty (source
    // None) until one is known: then the short account id is all that may be shown.
    QString name;
    NodeAccount::NameSource source = NodeAccount::NameSource::None;
    // The member that asked for it (a REFER), when its own signed referral verified against
    // its certificate chain (Invite::referral), and that chain's account. The SM's word alone
    // (an INVITE that names a member without its signature) gives neither.
    std::optional<DeviceId> referredBy;
    std::optional<AccountId> referrerAccount;
    QString referrerName; // as `name` and `source`, for the referrer's account
    NodeAccount::NameSource referrerSource = NodeAccount::NameSource::None;
};

} // namespace plenum::node

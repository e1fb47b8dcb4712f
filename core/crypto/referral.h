#pragma once
// Checks a referral (protocol::Referral, issue 13): the member `referrer` asked for an
// invitation of `invitee` into `sid`, in its own words. The invitee has no link to that member,
// so it checks the whole chain [link, device, account] the SM passed on, that the chain is
// `referrer`'s (a DeviceId is its device key's hash), and the device key's signature over
// referralSigningBytes. One function for the Node and for what signature_bench measures.

#include "crypto/linkkeyring.h"
#include "protocol/messages.h"

namespace plenum::crypto {

// How long a referral speaks for its member: a REFER waits in the SM's queue and an
// invitation rings for at most minutes, so an older one is a signature kept for a later
// invitation the member never asked for. Clocks of two devices may disagree by the skew.
inline constexpr qint64 kMaxReferralAgeMs = 10 * 60 * 1000;
inline constexpr qint64 kReferralSkewMs = 2 * 60 * 1000;

// Ok, or why the referral is not believed, in words; `nowMs` is this device's clock (Unix
// ms). A chain that verifies is learned into `ring` (the invitee may meet that member's link
// key later).
Status verifyReferral(const protocol::Referral& referral, const DeviceId& referrer,
                      const SessionId& sid, const AccountId& invitee, qint64 nowMs,
                      LinkKeyRing& ring, const QSet<DeviceId>& revoked = {});

} // namespace plenum::crypto

#pragma once
// The referrals this device has shown (issue 13). A referral is a member's signature over
// "invite this account into this session, asked at this moment": it speaks for one
// invitation. Within the minutes it is believed (crypto::kMaxReferralAgeMs), an SM could show
// it again after the invitee declined, or after it joined and left, as if the member had
// asked twice. Copies of the invitation still pending here (the SM sending it again, a new SM
// retrying the member's REFER) are that same invitation and keep it. Kept in memory only: a
// restarted device forgets what it showed (docs/security.md).

#include "protocol/ids.h"

#include <map>
#include <optional>

namespace plenum::node {

class ShownReferrals {
public:
    struct Key {
        SessionId sid;
        DeviceId referrer;
        qint64 issuedAtMs = 0;
        auto operator<=>(const Key&) const = default;
    };

    // Every INVITE this device takes, with the referral that verified on it (if any: its
    // moment is then within minutes of `nowMs`), and whether its session's invitation was
    // pending here before it. Returns whether that referral may name its member: not when an
    // earlier invitation showed it already.
    bool onInvite(const SessionId& sid, const std::optional<Key>& referral, bool pending,
                  qint64 nowMs);

    std::size_t size() const { return shown_.size(); }

    static constexpr std::size_t kMaxRemembered = 256;

private:
    void forgetExpired(qint64 nowMs);

    std::map<Key, qint64> shown_; // -> the last moment it could be believed
    // The invitations shown with a referral (each one's newest showing), while it lasts.
    std::map<SessionId, Key> invitations_;
};

} // namespace plenum::node

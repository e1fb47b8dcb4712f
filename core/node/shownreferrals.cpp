#include "node/shownreferrals.h"

#include "crypto/referral.h"

#include <algorithm>

namespace plenum::node {

bool ShownReferrals::onInvite(const SessionId& sid, const std::optional<Key>& referral,
                              bool pending, qint64 nowMs)
{
    forgetExpired(nowMs);
    // A copy of the invitation shown now, with the referral its showing came with.
    const auto it = invitations_.find(sid);
    if (pending && referral && it != invitations_.end() && it->second == *referral) return true;
    // Otherwise a new showing: of this referral only if no earlier one showed it.
    if (it != invitations_.end()) invitations_.erase(it);
    if (!referral || shown_.contains(*referral)) return false;
    if (shown_.size() >= kMaxRemembered) {
        // Full of referrals still believable: the one nearest its end goes first.
        const auto first = std::min_element(shown_.begin(), shown_.end(),
                                            [](auto& a, auto& b) { return a.second < b.second; });
        shown_.erase(first);
        forgetExpired(nowMs);
    }
    shown_.emplace(*referral,
                   referral->issuedAtMs + crypto::kMaxReferralAgeMs + crypto::kReferralSkewMs);
    invitations_[sid] = *referral;
    return true;
}

void ShownReferrals::forgetExpired(qint64 nowMs)
{
    std::erase_if(shown_, [nowMs](const auto& e) { return e.second < nowMs; });
    // An invitation's referral forgotten: nothing of it is left to keep.
    std::erase_if(invitations_, [this](const auto& e) { return !shown_.contains(e.second); });
}

} // namespace plenum::node

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
    remember(*referral);
    invitations_[sid] = *referral;
    return true;
}

QList<ShownReferrals::Key> ShownReferrals::keys() const
{
    QList<Key> out;
    for (const auto& [key, end] : shown_)
        out.append(key);
    return out;
}

void ShownReferrals::restore(const QList<Key>& keys, qint64 nowMs)
{
    for (const Key& k : keys) {
        if (shown_.size() >= kMaxRemembered) break;
        remember(k);
        forgetExpired(nowMs); // an expired one takes no room
    }
}

void ShownReferrals::remember(const Key& referral)
{
    // The last moment verifyReferral could believe it.
    shown_.emplace(referral,
                   referral.issuedAtMs + crypto::kMaxReferralAgeMs + crypto::kReferralSkewMs);
    ++revision_;
}

void ShownReferrals::forgetExpired(qint64 nowMs)
{
    std::erase_if(shown_, [nowMs](const auto& e) { return e.second < nowMs; });
    // An invitation's referral forgotten: nothing of it is left to keep.
    std::erase_if(invitations_, [this](const auto& e) { return !shown_.contains(e.second); });
}

} // namespace plenum::node

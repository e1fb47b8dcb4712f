#include "node/shownreferrals.h"

#include "crypto/referral.h"

#include <algorithm>

namespace plenum::node {

bool ShownReferrals::onInvite(const std::optional<Key>& referral,
                              const std::optional<Key>& pendingShowing, qint64 nowMs)
{
    forgetExpired(nowMs);
    if (!referral) return false;
    const bool shownBefore = shown_.contains(*referral);
    // A copy of the invitation pending here, with the referral its showing came with.
    if (shownBefore) return pendingShowing == referral;
    if (shown_.size() >= kMaxRemembered) {
        // Full of referrals still believable: the one nearest its end goes first.
        const auto first = std::min_element(shown_.begin(), shown_.end(),
                                            [](auto& a, auto& b) { return a.second < b.second; });
        shown_.erase(first);
    }
    remember(*referral);
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
        if (const qint64 end = endOf(k); end >= nowMs) shown_.emplace(k, end); // not expired
    }
}

qint64 ShownReferrals::endOf(const Key& referral)
{
    // The last moment verifyReferral could believe it.
    return referral.issuedAtMs + crypto::kMaxReferralAgeMs + crypto::kReferralSkewMs;
}

void ShownReferrals::remember(const Key& referral)
{
    shown_.emplace(referral, endOf(referral));
    ++revision_;
}

void ShownReferrals::forgetExpired(qint64 nowMs)
{
    std::erase_if(shown_, [nowMs](const auto& e) { return e.second < nowMs; });
}

} // namespace plenum::node

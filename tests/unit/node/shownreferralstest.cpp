// Each referral names its member on one invitation (node/shownreferrals.h, issue 13): copies
// of the invitation pending here keep it; a later showing (after a decline, or after the
// invitee joined and left) does not; and it is forgotten once no one would believe it.
#include "node/shownreferrals.h"

#include "crypto/referral.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::node;

namespace {

constexpr qint64 kAsked = 1'800'000'000'000; // the member's moment (Unix ms)
const SessionId kSid = SessionId::fromNumber(7);

ShownReferrals::Key carols(qint64 at = kAsked, SessionId sid = kSid)
{
    return {sid, DeviceId::fromNumber(3), at};
}

// The Node's side, as Node::admitInvite does it: the referral each session's invitation was
// shown with (its InviteChain), passed back while that invitation is pending.
class Invitee {
public:
    bool onInvite(const SessionId& sid, const std::optional<ShownReferrals::Key>& referral,
                  bool pending, qint64 nowMs)
    {
        std::optional<ShownReferrals::Key> pendingShowing;
        if (auto it = showing_.find(sid); pending && it != showing_.end())
            pendingShowing = it->second;
        const bool named = referrals_.onInvite(referral, pendingShowing, nowMs);
        showing_[sid] = named ? referral : std::nullopt;
        return named;
    }
    std::size_t size() const { return referrals_.size(); }
    QList<ShownReferrals::Key> keys() const { return referrals_.keys(); }
    void restore(const QList<ShownReferrals::Key>& keys, qint64 nowMs)
    {
        referrals_.restore(keys, nowMs); // a restarted Node notes no pending invitation
        showing_.clear();
    }

private:
    ShownReferrals referrals_;
    std::map<SessionId, std::optional<ShownReferrals::Key>> showing_;
};

} // namespace

TEST(ShownReferrals, CopiesOfThePendingInvitationKeepItsReferral)
{
    Invitee shown;
    EXPECT_TRUE(shown.onInvite(kSid, carols(), false, kAsked + 1000));
    // The SM sends it again while it rings, then a new SM retries the REFER while we join.
    EXPECT_TRUE(shown.onInvite(kSid, carols(), true, kAsked + 5000));
    EXPECT_TRUE(shown.onInvite(kSid, carols(), true, kAsked + 60'000));
}

TEST(ShownReferrals, AnInvitationAfterTheFirstEndedDoesNotShowItAgain)
{
    Invitee shown;
    EXPECT_TRUE(shown.onInvite(kSid, carols(), false, kAsked + 1000));
    // Declined (or joined and left): the SM invites again with the member's old signature.
    EXPECT_FALSE(shown.onInvite(kSid, carols(), false, kAsked + 30'000));
    // Nor does a copy of that second invitation make it the member's.
    EXPECT_FALSE(shown.onInvite(kSid, carols(), true, kAsked + 31'000));
    // A new ask of the member (a new moment) is its own.
    EXPECT_TRUE(shown.onInvite(kSid, carols(kAsked + 40'000), false, kAsked + 41'000));
}

TEST(ShownReferrals, APendingInvitationShownWithoutItCannotTakeItLater)
{
    Invitee shown;
    EXPECT_TRUE(shown.onInvite(kSid, carols(), false, kAsked + 1000));
    EXPECT_FALSE(shown.onInvite(kSid, std::nullopt, false, kAsked + 2000)); // the SM's own
    EXPECT_FALSE(shown.onInvite(kSid, carols(), true, kAsked + 3000));
}

TEST(ShownReferrals, OneReferralPerSessionAndMoment)
{
    Invitee shown;
    EXPECT_TRUE(shown.onInvite(kSid, carols(), false, kAsked + 1000));
    const SessionId other = SessionId::fromNumber(8);
    EXPECT_TRUE(shown.onInvite(other, carols(kAsked, other), false, kAsked + 1000));
    // A second member asking for the same pending invitation is news, not a copy.
    const ShownReferrals::Key dave{kSid, DeviceId::fromNumber(4), kAsked + 500};
    EXPECT_TRUE(shown.onInvite(kSid, dave, true, kAsked + 2000));
    EXPECT_FALSE(shown.onInvite(kSid, carols(), true, kAsked + 3000));
}

TEST(ShownReferrals, ForgetsWhatNoOneWouldBelieveAndStaysBounded)
{
    Invitee shown;
    const qint64 end = kAsked + crypto::kMaxReferralAgeMs + crypto::kReferralSkewMs;
    EXPECT_TRUE(shown.onInvite(kSid, carols(), false, kAsked));
    EXPECT_FALSE(shown.onInvite(kSid, carols(), false, end)); // still believable: remembered
    EXPECT_EQ(shown.size(), 1u);
    // Past its end verifyReferral refuses it anyway, so it need not be remembered.
    shown.onInvite(SessionId::fromNumber(9), std::nullopt, false, end + 1);
    EXPECT_EQ(shown.size(), 0u);

    for (std::uint64_t n = 0; n < ShownReferrals::kMaxRemembered + 50; ++n) {
        const SessionId sid = SessionId::fromNumber(100 + n);
        EXPECT_TRUE(shown.onInvite(sid, carols(kAsked + qint64(n), sid), false, kAsked + 1000));
    }
    EXPECT_EQ(shown.size(), ShownReferrals::kMaxRemembered);
    // The ones nearest their end went first; the newest are still remembered.
    const SessionId newest = SessionId::fromNumber(100 + ShownReferrals::kMaxRemembered + 49);
    EXPECT_FALSE(
        shown.onInvite(newest, carols(kAsked + qint64(ShownReferrals::kMaxRemembered) + 49, newest),
                       false, kAsked + 2000));
    // The first one was forgotten to make room: it could be shown once more.
    const SessionId oldest = SessionId::fromNumber(100);
    EXPECT_TRUE(shown.onInvite(oldest, carols(kAsked, oldest), false, kAsked + 2000));
}

// A restart (the record on disk) does not let the SM show a referral once more; what no one
// would believe any more is not brought back.
TEST(ShownReferrals, WhatWasShownOutlivesARestart)
{
    Invitee before;
    EXPECT_TRUE(before.onInvite(kSid, carols(), false, kAsked + 1000));
    const SessionId old = SessionId::fromNumber(9);
    EXPECT_TRUE(before.onInvite(old, carols(kAsked - 700'000, old), false, kAsked + 1000));
    EXPECT_EQ(before.size(), 2u);

    auto keys = ShownReferrals::decode(ShownReferrals::encode(before.keys()));
    ASSERT_TRUE(keys) << keys.error().toStdString();
    Invitee after;
    after.restore(keys.value(), kAsked + 30'000);
    EXPECT_EQ(after.size(), 1u) << "the old one is past its end";
    // Even a copy of the invitation pending before the restart: nothing is pending after it.
    EXPECT_FALSE(after.onInvite(kSid, carols(), true, kAsked + 31'000));
    EXPECT_TRUE(after.onInvite(kSid, carols(kAsked + 40'000), false, kAsked + 41'000));
}

TEST(ShownReferrals, RestoreKeepsItsBound)
{
    QList<ShownReferrals::Key> keys;
    for (std::uint64_t n = 0; n < ShownReferrals::kMaxRemembered + 10; ++n)
        keys.append(carols(kAsked, SessionId::fromNumber(100 + n)));
    keys.prepend(carols(kAsked - 3'600'000, SessionId::fromNumber(99))); // past its end
    Invitee shown;
    shown.restore(keys, kAsked + 1000);
    EXPECT_EQ(shown.size(), ShownReferrals::kMaxRemembered);
    EXPECT_LE(ShownReferrals::encode(shown.keys()).size(), ShownReferrals::kMaxFileBytes);
    EXPECT_FALSE(shown.onInvite(SessionId::fromNumber(100),
                                carols(kAsked, SessionId::fromNumber(100)), false, kAsked + 2000));
}

TEST(ShownReferrals, ABadRecordIsRefusedInWords)
{
    Invitee shown;
    shown.onInvite(kSid, carols(), false, kAsked);
    shown.onInvite(SessionId::fromNumber(8), carols(kAsked, SessionId::fromNumber(8)), false,
                   kAsked);
    const QByteArray good = ShownReferrals::encode(shown.keys());
    ASSERT_TRUE(ShownReferrals::decode(good));
    QByteArray format = good;
    format[7] = 2;
    const std::pair<QByteArray, const char*> bad[] = {
        {good.left(good.size() - 1), "truncated"},
        {good + QByteArray(1, '\1'), "bytes after its end"},
        {format, "unknown format"},
        {QByteArray("not a record"), "not a Plenum record"},
        {QByteArray(ShownReferrals::kMaxFileBytes + 1, '\0'), "too large"},
    };
    for (const auto& [bytes, why] : bad) {
        auto keys = ShownReferrals::decode(bytes);
        ASSERT_FALSE(keys) << why;
        EXPECT_TRUE(keys.error().contains(QLatin1String(why))) << keys.error().toStdString();
    }
}

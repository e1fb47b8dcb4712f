// A referral (issue 13) is believed only as what it was signed for: this member, this session,
// this invited account, this moment, with the member's own chain.
#include "crypto/referral.h"
#include "testchain.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::crypto;

namespace {

const SessionId kSid = SessionId::fromNumber(13);
const qint64 kAsked = 1'800'000'000'000; // when Carol asked (Unix ms)
const qint64 kNow = kAsked + 5'000;      // the invitation, 5 s later

struct Signed {
    test::TestChain member{QStringLiteral("carol")};
    AccountId invitee = test::TestChain(QStringLiteral("dave")).accountId();
    protocol::Referral referral;

    Signed()
    {
        referral.issuedAtMs = kAsked;
        referral.signature = member.deviceKey.sign(
            protocol::referralSigningBytes(kSid, invitee, member.id(), kAsked));
        referral.linkCert = member.link.toDer();
        referral.deviceCert = member.device.toDer();
        referral.accountCert = member.account.toDer();
    }
};

QString why(const Status& s)
{
    return s ? QStringLiteral("<believed>") : s.error();
}

} // namespace

TEST(Referral, TheMembersOwnWordsAreBelievedAndItsLinkKeyLearned)
{
    Signed s;
    LinkKeyRing ring;
    EXPECT_TRUE(verifyReferral(s.referral, s.member.id(), kSid, s.invitee, kNow, ring));
    EXPECT_TRUE(ring.knows(s.member.id()));
}

TEST(Referral, ItVouchesForNothingElse)
{
    Signed s;
    LinkKeyRing ring;
    const AccountId other = test::TestChain(QStringLiteral("eve")).accountId();
    EXPECT_EQ(why(verifyReferral(s.referral, s.member.id(), kSid, other, kNow, ring)),
              "its signature is not that device's");
    EXPECT_EQ(why(verifyReferral(s.referral, s.member.id(), SessionId::fromNumber(14), s.invitee,
                                 kNow, ring)),
              "its signature is not that device's");
    // Another member's name on Carol's chain and signature.
    const DeviceId bob = test::TestChain(QStringLiteral("bob")).id();
    EXPECT_EQ(why(verifyReferral(s.referral, bob, kSid, s.invitee, kNow, ring)),
              "its certificate chain is another device's");
}

TEST(Referral, AForgedOrBrokenChainIsRefusedInWords)
{
    Signed s;
    LinkKeyRing ring;
    protocol::Referral r = s.referral;
    r.signature[5] = char(r.signature[5] ^ 1);
    EXPECT_EQ(why(verifyReferral(r, s.member.id(), kSid, s.invitee, kNow, ring)),
              "its signature is not that device's");
    r = s.referral;
    r.deviceCert.chop(10);
    EXPECT_EQ(why(verifyReferral(r, s.member.id(), kSid, s.invitee, kNow, ring)),
              "its certificates do not parse");
    // A chain whose account did not certify the device (Mallory's account cert beside it).
    r = s.referral;
    r.accountCert = test::TestChain(QStringLiteral("mallory")).account.toDer();
    LinkKeyRing fresh;
    EXPECT_FALSE(verifyReferral(r, s.member.id(), kSid, s.invitee, kNow, fresh));
    EXPECT_FALSE(fresh.knows(s.member.id()));
    // A revoked device's referral.
    EXPECT_FALSE(
        verifyReferral(s.referral, s.member.id(), kSid, s.invitee, kNow, ring, {s.member.id()}));
}

// Bound to the moment: a referral kept for a later invitation the member never asked for is
// not believed, nor one dated ahead of this device's clock beyond the skew two clocks may have.
TEST(Referral, ItSpeaksOnlyForTheMomentItWasMade)
{
    Signed s;
    LinkKeyRing ring;
    const qint64 lastMoment = kAsked + kMaxReferralAgeMs + kReferralSkewMs;
    EXPECT_TRUE(verifyReferral(s.referral, s.member.id(), kSid, s.invitee, lastMoment, ring));
    EXPECT_EQ(why(verifyReferral(s.referral, s.member.id(), kSid, s.invitee,
                                 kAsked + 60 * 60 * 1000, ring)),
              "it was made 60 min ago, too long before this invitation");
    EXPECT_TRUE(
        verifyReferral(s.referral, s.member.id(), kSid, s.invitee, kAsked - kReferralSkewMs, ring));
    EXPECT_EQ(why(verifyReferral(s.referral, s.member.id(), kSid, s.invitee, kAsked - 5 * 60 * 1000,
                                 ring)),
              "it is dated 5 min ahead of this device's clock");
    // The date is signed: moved forward to look fresh, the signature no longer holds.
    protocol::Referral moved = s.referral;
    moved.issuedAtMs = kAsked + 60 * 60 * 1000;
    EXPECT_EQ(
        why(verifyReferral(moved, s.member.id(), kSid, s.invitee, kAsked + 60 * 60 * 1000, ring)),
        "its signature is not that device's");
}

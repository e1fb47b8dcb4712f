// A referral (issue 13) is believed only as what it was signed for: this member, this session,
// this invited account, with the member's own chain.
#include "crypto/referral.h"
#include "testchain.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::crypto;

namespace {

const SessionId kSid = SessionId::fromNumber(13);

struct Signed {
    test::TestChain member{QStringLiteral("carol")};
    AccountId invitee = test::TestChain(QStringLiteral("dave")).accountId();
    protocol::Referral referral;

    Signed()
    {
        referral.signature =
            member.deviceKey.sign(protocol::referralSigningBytes(kSid, invitee, member.id()));
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
    EXPECT_TRUE(verifyReferral(s.referral, s.member.id(), kSid, s.invitee, ring));
    EXPECT_TRUE(ring.knows(s.member.id()));
}

TEST(Referral, ItVouchesForNothingElse)
{
    Signed s;
    LinkKeyRing ring;
    const AccountId other = test::TestChain(QStringLiteral("eve")).accountId();
    EXPECT_EQ(why(verifyReferral(s.referral, s.member.id(), kSid, other, ring)),
              "its signature is not that device's");
    EXPECT_EQ(
        why(verifyReferral(s.referral, s.member.id(), SessionId::fromNumber(14), s.invitee, ring)),
        "its signature is not that device's");
    // Another member's name on Carol's chain and signature.
    const DeviceId bob = test::TestChain(QStringLiteral("bob")).id();
    EXPECT_EQ(why(verifyReferral(s.referral, bob, kSid, s.invitee, ring)),
              "its certificate chain is another device's");
}

TEST(Referral, AForgedOrBrokenChainIsRefusedInWords)
{
    Signed s;
    LinkKeyRing ring;
    protocol::Referral r = s.referral;
    r.signature[5] = char(r.signature[5] ^ 1);
    EXPECT_EQ(why(verifyReferral(r, s.member.id(), kSid, s.invitee, ring)),
              "its signature is not that device's");
    r = s.referral;
    r.deviceCert.chop(10);
    EXPECT_EQ(why(verifyReferral(r, s.member.id(), kSid, s.invitee, ring)),
              "its certificates do not parse");
    // A chain whose account did not certify the device (Mallory's account cert beside it).
    r = s.referral;
    r.accountCert = test::TestChain(QStringLiteral("mallory")).account.toDer();
    LinkKeyRing fresh;
    EXPECT_FALSE(verifyReferral(r, s.member.id(), kSid, s.invitee, fresh));
    EXPECT_FALSE(fresh.knows(s.member.id()));
    // A revoked device's referral.
    EXPECT_FALSE(verifyReferral(s.referral, s.member.id(), kSid, s.invitee, ring, {s.member.id()}));
}

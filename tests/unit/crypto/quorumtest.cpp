// Signed votes (DESIGN §5): SET_SM is applied only with a quorum of votes signed by the
// voters' Ed25519 link keys, checked against their verified chains.

#include "protocol/quorum.h"
#include "crypto/linkkeyring.h"
#include "protocol/codec.h"
#include "testchain.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace plenum;
using namespace plenum::protocol;

namespace {

struct Member : crypto::test::TestChain {
    SignedVote voteFor(const SessionId& sid, std::uint64_t epoch, const DeviceId& candidate) const
    {
        return signVote(sid, epoch, candidate, id(),
                        [this](const QByteArray& d) { return linkKey.sign(d); });
    }
};

const SessionId kSid = SessionId::fromNumber(4);

struct Group {
    std::vector<std::unique_ptr<Member>> members;
    crypto::LinkKeyRing ring;
    QList<DeviceId> roster;
    explicit Group(int n)
    {
        for (int i = 0; i < n; ++i) {
            members.push_back(std::make_unique<Member>());
            ring.learn(members.back()->chain);
            roster.append(members.back()->id());
        }
    }
    SignatureCheck check() const
    {
        return [this](const DeviceId& s, const QByteArray& d, const QByteArray& sig) {
            return ring.verify(s, d, sig);
        };
    }
    const Member& operator[](int i) const { return *members[std::size_t(i)]; }
};

} // namespace

TEST(SetSmQuorum, MajorityOfSignedVotesIsAccepted)
{
    Group g(5);
    const DeviceId candidate = g[0].id();
    SetSm s{7, {g[1].voteFor(kSid, 7, candidate), g[2].voteFor(kSid, 7, candidate)}};
    // It survives the wire.
    auto decoded = decode(encode({{kSid, 7, 3, candidate}, s}));
    ASSERT_TRUE(decoded.ok()) << decoded.error().toStdString();
    const auto v =
        checkSetSmQuorum(kSid, std::get<SetSm>(decoded->body), candidate, g.roster, g.check());
    EXPECT_TRUE(v.ok) << v.reason.toStdString();
    EXPECT_EQ(v.valid, 3);
    EXPECT_EQ(v.needed, 3);
}

// Attack: a member (or a stranger linked to a member) sent SET_SM{epoch+1} and everyone
// applied it: it became SM. Now it needs a majority of signed votes.
TEST(SetSmAttack, MemberWithoutAQuorumCannotMakeItselfSm)
{
    Group g(5);
    const DeviceId mallory = g[4].id();
    EXPECT_FALSE(checkSetSmQuorum(kSid, SetSm{9}, mallory, g.roster, g.check()).ok);
    // One real vote is not enough.
    SetSm one{9, {g[1].voteFor(kSid, 9, mallory)}};
    auto v = checkSetSmQuorum(kSid, one, mallory, g.roster, g.check());
    EXPECT_FALSE(v.ok);
    EXPECT_TRUE(v.reason.contains("2 valid votes of the 3")) << v.reason.toStdString();
    // A stranger with real-looking votes is not in the roster at all.
    Member stranger;
    EXPECT_FALSE(
        checkSetSmQuorum(
            kSid,
            SetSm{9, {g[1].voteFor(kSid, 9, stranger.id()), g[2].voteFor(kSid, 9, stranger.id())}},
            stranger.id(), g.roster, g.check())
            .ok);
}

// Attack: Mallory forges votes in others' names, repeats one voter, signs them herself, or
// reuses votes cast for another epoch, another candidate or another session.
TEST(SetSmAttack, ForgedRepeatedAndReusedVotesDoNotCount)
{
    Group g(5);
    const DeviceId mallory = g[4].id();
    const auto forged = [&](int voter) {
        return SignedVote{g[voter].id(),
                          g[4].linkKey.sign(voteSigningBytes(kSid, 9, mallory, g[voter].id()))};
    };
    EXPECT_FALSE(
        checkSetSmQuorum(kSid, SetSm{9, {forged(1), forged(2)}}, mallory, g.roster, g.check()).ok);
    EXPECT_FALSE(
        checkSetSmQuorum(kSid,
                         SetSm{9, {g[4].voteFor(kSid, 9, mallory), g[4].voteFor(kSid, 9, mallory)}},
                         mallory, g.roster, g.check())
            .ok)
        << "her own vote counts once";
    // Votes for epoch 8, for candidate 0, in another session.
    const SetSm reused{9,
                       {g[1].voteFor(kSid, 8, mallory), g[2].voteFor(kSid, 9, g[0].id()),
                        g[3].voteFor(SessionId::fromNumber(5), 9, mallory)}};
    const auto v = checkSetSmQuorum(kSid, reused, mallory, g.roster, g.check());
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.valid, 1);
    // The codec refuses a list that repeats a voter.
    SetSm repeated{9, {g[1].voteFor(kSid, 9, mallory), g[1].voteFor(kSid, 9, mallory)}};
    EXPECT_FALSE(decode(encode({{kSid, 9, 3, mallory}, repeated})).ok());
}

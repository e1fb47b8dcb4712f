// Issue 13, one test per attack (DESIGN §5.1 rule 6): a group of four on the simulator, A
// (peer 0) its SM, and Mallory, either an outsider (peer 4, in no session) or a malicious
// member (peer 3). Each forgery is sent as Mallory's device would put it on the wire; the
// honest members must not apply it. Every test here failed before rule 6 was checked (and
// fails with session::Rule::Authorization switched off).
#include "invariants.h"
#include "randomrun.h"

#include "session/roster.h"

#include <gtest/gtest.h>

#include <QHashSeed>

using namespace plenum;
using namespace plenum::sim;
using namespace plenum::protocol;
using session::Session;

namespace {

constexpr int kSm = 0, kAlice = 1, kBob = 2, kMember = 3, kOutsider = 4;

class Forgery : public ::testing::Test {
protected:
    void SetUp() override
    {
        QHashSeed::setDeterministicGlobalSeed();
        SimConfig cfg;
        cfg.peers = 5;
        cfg.latencyMin = 5;
        cfg.latencyMax = 5;
        cfg.session.testDisabledRules = disabledRules;
        net = std::make_unique<SimNetwork>(1, cfg);
        check = std::make_unique<InvariantChecker>(*net);
        net->setObserver(check.get());
        net->setAutoAnswer(1.0);
        net->setTap([this](int from, int to, const Message& m) {
            if (to == kOutsider) toOutsider.push_back(m);
            if (to == kMember) toMember.push_back(m);
        });
        sid = net->peer(kSm).host()->create(0);
        for (int who : {kAlice, kBob, kMember}) {
            const auto& info = net->peer(who).info();
            net->peer(kSm).host()->invite(sid, info.account, {info.device}, net->now());
            net->runFor(1000);
            ASSERT_TRUE(isMember(who));
        }
        ASSERT_TRUE(runToQuiescence(*net, 30000));
        check->watchOutsider(kOutsider);
    }
    void TearDown() override
    {
        // Honest liveness: the group settles as one, with A still its SM.
        ASSERT_TRUE(runToQuiescence(*net, 30000));
        check->checkQuiescent();
        EXPECT_FALSE(check->failed()) << check->failure();
        for (int i : {kSm, kAlice, kBob}) {
            if (!isMember(i)) continue;
            EXPECT_EQ(s(i)->sm(), device(kSm)) << "peer" << i;
        }
    }
    Session* s(int i) { return net->peer(i).session(sid); }
    bool isMember(int i) { return s(i) && s(i)->phase() == Session::Phase::Member; }
    DeviceId device(int i) { return net->peer(i).info().device; }
    Header smHeader()
    {
        return Header{sid, s(kSm)->epoch(), s(kSm)->committed().at.version, device(kSm)};
    }
    // Mallory sends `m` to `to` (linking first, as a stranger may), then time passes.
    void forge(int mallory, int to, const Message& m, Millis settle = 200)
    {
        net->inject(mallory, to, m);
        net->runFor(settle);
    }
    Roster removeBob()
    {
        const RosterSnapshot& r = s(kAlice)->accepted();
        Roster out;
        out.base = r.at;
        out.at = RosterStamp{r.at.epoch, r.at.version + 1};
        out.sm = device(kSm);
        out.change = RosterChange{RosterChange::Kind::Remove, RosterChange::Reason::Crashed,
                                  *session::member(r, device(kBob))};
        return out;
    }
    // Alice leaves; Bob acknowledges the SM's roster without her, and the SM's COMMIT to him is
    // held back: Bob holds an acknowledged, uncommitted roster.
    void holdCommitAtBob()
    {
        net->peer(kAlice).host()->leave(sid, net->now());
        while (s(kBob)->accepted().at == s(kBob)->committed().at && net->now() < 5000)
            net->runFor(1);
        net->setExtraDelay(kSm, kBob, 3000);
        ASSERT_GT(s(kBob)->accepted().at, s(kBob)->committed().at);
    }
    bool outsiderHeard(const char* type) const
    {
        for (const Message& m : toOutsider)
            if (m.header.sid == sid && std::string(messageName(m.body)) == type) return true;
        return false;
    }

    // SET_SM in Mallory's name for the next epoch, with a "vote" from every other member:
    // it cannot sign in their names (DESIGN §5), so the signatures are bytes of its own.
    void claimSmBySetSm(int mallory, int to, Millis settle = 200)
    {
        const std::uint64_t epoch = s(to)->epoch() + 1;
        SetSm claim{epoch, {}};
        for (int voter : {kSm, kAlice, kBob})
            if (voter != mallory) claim.votes.append(SignedVote{device(voter), QByteArray(8, 'v')});
        forge(mallory, to,
              Message{Header{sid, epoch, s(to)->committed().at.version, device(mallory)}, claim},
              settle);
    }

    // A committed roster of an epoch five after `to`'s, naming Mallory its SM, without Bob
    // (and listing `extra`, if any), signed with Mallory's own key: a signature proves who
    // wrote a roster, not that its writer won that epoch.
    Message newerEpochInMallorysName(int mallory, int to, std::optional<MemberInfo> extra = {})
    {
        const RosterSnapshot& r = s(to) ? s(to)->committed() : s(kSm)->committed();
        Roster snap;
        session::fillFull(snap, r);
        snap.committed = true;
        snap.at = RosterStamp{r.at.epoch + 5, r.at.version + 5};
        snap.sm = device(mallory);
        snap.members.removeIf([&](const MemberInfo& m) { return m.device == device(kBob); });
        if (extra && !session::contains(r, extra->device)) snap.members.append(*extra);
        snap.signature = net->peer(mallory).tickets().sign(
            rosterSigningBytes(sid, session::snapshotOf(snap), true));
        return Message{Header{sid, snap.at.epoch, snap.at.version, device(mallory)}, snap};
    }

    std::uint32_t disabledRules = 0; // set by a derived fixture's constructor
    std::unique_ptr<SimNetwork> net;
    std::unique_ptr<InvariantChecker> check;
    SessionId sid;
    std::vector<Message> toOutsider, toMember;
};

} // namespace

TEST_F(Forgery, OutsiderLinkGetsNoHelloNamingTheSession)
{
    net->inject(kOutsider, kAlice, Message{Header{}, Ping{}}); // any excuse to link
    net->runFor(500);
    ASSERT_TRUE(net->linkUp(kOutsider, kAlice));
    EXPECT_FALSE(outsiderHeard("HELLO")) << "a stranger learnt the session id, epoch and SM";
}

TEST_F(Forgery, OutsiderRosterIsRefused)
{
    const RosterStamp before = s(kAlice)->accepted().at;
    forge(kOutsider, kAlice, Message{smHeader(), removeBob()});
    EXPECT_EQ(s(kAlice)->accepted().at, before);
    EXPECT_TRUE(session::contains(s(kAlice)->accepted(), device(kBob)));
    EXPECT_GT(net->peer(kAlice).refusals(), 0u);
    EXPECT_FALSE(net->linkUp(kOutsider, kAlice)) << "the outsider's link stays open";
}

TEST_F(Forgery, OutsiderCommittedSnapshotAddingItselfIsRefused)
{
    const RosterSnapshot& r = s(kBob)->committed();
    Roster snap;
    snap.full = true;
    snap.committed = true;
    snap.at = RosterStamp{r.at.epoch + 1, r.at.version + 1};
    snap.sm = device(kOutsider);
    snap.members = r.members;
    snap.members.append(net->peer(kOutsider).info());
    Header h{sid, snap.at.epoch, snap.at.version, device(kOutsider)};
    forge(kOutsider, kBob, Message{h, snap});
    EXPECT_FALSE(session::contains(s(kBob)->committed(), device(kOutsider)));
    EXPECT_EQ(s(kBob)->sm(), device(kSm));
}

TEST_F(Forgery, OutsiderCommitIsRefused)
{
    holdCommitAtBob();
    const RosterStamp committed = s(kBob)->committed().at;
    forge(kOutsider, kBob, Message{smHeader(), Commit{s(kBob)->accepted().at}}, 50);
    EXPECT_EQ(s(kBob)->committed().at, committed) << "Bob committed on a stranger's word";
}

TEST_F(Forgery, OutsiderSetSmIsRefused)
{
    const std::uint64_t epoch = s(kAlice)->epoch();
    Header h{sid, epoch + 1, s(kAlice)->committed().at.version, device(kOutsider)};
    forge(kOutsider, kAlice, Message{h, SetSm{epoch + 1}});
    EXPECT_EQ(s(kAlice)->sm(), device(kSm));
    EXPECT_EQ(s(kAlice)->epoch(), epoch);
}

TEST_F(Forgery, OutsiderByeRemovedIsRefused)
{
    forge(kOutsider, kBob,
          Message{smHeader(), Bye{Bye::Reason::Removed, std::nullopt, std::nullopt}});
    EXPECT_TRUE(isMember(kBob)) << "a stranger kicked Bob";
}

TEST_F(Forgery, OutsiderHigherEpochHeaderIsNotAdopted)
{
    const std::uint64_t epoch = s(kSm)->epoch();
    Header h{sid, epoch + 5, s(kSm)->committed().at.version + 5, device(kOutsider)};
    forge(kOutsider, kSm, Message{h, Hello{net->peer(kOutsider).info(), 250}});
    forge(kOutsider, kSm, Message{h, Ping{}});
    EXPECT_TRUE(s(kSm)->isSm()) << "the SM stepped down for a stranger's epoch";
    EXPECT_EQ(s(kSm)->epoch(), epoch);
}

TEST_F(Forgery, OutsiderRejoinInAMembersNameIsRefused)
{
    MemberInfo claim = net->peer(kOutsider).info();
    claim.account = net->peer(kBob).info().account;
    forge(kOutsider, kSm, Message{Header{sid, s(kSm)->epoch(), 0, device(kSm)}, Rejoin{claim}},
          2000);
    EXPECT_FALSE(outsiderHeard("INVITE")) << "the SM invited a stranger back in";
    EXPECT_FALSE(session::contains(s(kSm)->committed(), device(kOutsider)));
}

TEST_F(Forgery, OutsiderSnapshotRequestLearnsNoRoster)
{
    forge(kOutsider, kAlice, Message{Header{sid, 0, 0, {}}, SnapshotRequest{}});
    EXPECT_FALSE(outsiderHeard("ROSTER"));
}

// §5.1 rule 7 tells a device that is behind that it was removed, with the committed roster.
// A stranger's heartbeat naming a made-up old stamp got that roster (--adversary seeds 158439,
// 228167): now only a device seen removed gets it, anyone else a bare 403.
TEST_F(Forgery, OutsiderHeartbeatWithAnOldStampLearnsNoRoster)
{
    const Header old{sid, 1, 1, device(kSm)};
    forge(kOutsider, kAlice, Message{old, Hello{net->peer(kOutsider).info(), 250}});
    forge(kOutsider, kAlice, Message{old, Ping{}}, 1000);
    EXPECT_FALSE(outsiderHeard("ROSTER")) << "a stranger's old stamp bought it the roster";
    EXPECT_FALSE(outsiderHeard("SET_SM"));
    bool toldNothing = false;
    for (const Message& m : toOutsider)
        if (const auto* e = std::get_if<ErrorReply>(&m.body); e && e->code == Code::Forbidden)
            toldNothing = m.header.epoch == 0 && m.header.sm.isNull() && !e->accepted;
    EXPECT_TRUE(toldNothing) << "the 403 names no epoch, SM or stamp";
}

// A device asked to show a roster that lists it (the 403 above) keeps its link while it may
// answer (plain seed 159117), not for ever: a stranger repeating old-stamped heartbeats (each
// one asks again) held a member's link open as long as it liked.
TEST_F(Forgery, OutsiderAskedForItsMembershipKeepsItsLinkOnlyWhileItMayAnswer)
{
    const Header old{sid, 1, 1, device(kSm)};
    forge(kOutsider, kAlice, Message{old, Hello{net->peer(kOutsider).info(), 250}});
    forge(kOutsider, kAlice, Message{old, SnapshotRequest{}});
    ASSERT_TRUE(net->linkUp(kOutsider, kAlice)) << "closed before it could answer the 403";
    // Three seconds of old-stamped pings, each a new ask, then a message it may not send.
    static_assert(Session::kMembershipAnswerMs < 2800, "the window must end within the pings");
    for (Millis t = 0; t < 3000; t += 200)
        forge(kOutsider, kAlice, Message{old, Ping{}});
    forge(kOutsider, kAlice, Message{old, SnapshotRequest{}});
    EXPECT_FALSE(net->linkUp(kOutsider, kAlice)) << "a stranger that never answered kept its link";
}

// Asked to show a roster that lists it, a stranger can only sign one itself: as its SM, or in
// the real SM's name. Neither is a proof.
TEST_F(Forgery, OutsiderSignedRosterProvesNoMembership)
{
    for (const int signedAs : {kOutsider, kSm}) {
        Roster proof;
        proof.at = RosterStamp{1, 1};
        proof.base = proof.at;
        proof.sm = device(signedAs);
        proof.full = true;
        proof.committed = true;
        proof.members = s(kAlice)->committed().members;
        proof.members.append(net->peer(kOutsider).info());
        RosterSnapshot snapshot = session::snapshotOf(proof);
        proof.members = snapshot.members; // in the canonical order the signature covers
        proof.signature =
            net->peer(kOutsider).tickets().sign(rosterSigningBytes(sid, snapshot, true));
        forge(kOutsider, kAlice, Message{Header{sid, 1, 1, {}}, SnapshotRequest{proof}}, 500);
    }
    EXPECT_FALSE(outsiderHeard("ROSTER")) << "a self-signed roster passed for membership";
}

// A removed device that nobody left can vouch for learns it is out from a majority of its
// roster's 403s (rule 7). One member's 403s, however many, do not push another member out.
TEST_F(Forgery, MemberAloneCannotPushAnotherOutWith403s)
{
    for (int i = 0; i < 5; ++i)
        forge(kMember, kAlice, session::notInRoster(sid), 300);
    EXPECT_TRUE(isMember(kAlice)) << "one member's word put Alice out";
    EXPECT_TRUE(session::contains(s(kAlice)->committed(), device(kAlice)));
}

TEST_F(Forgery, MemberRosterInTheSmsNameIsRefused)
{
    const RosterStamp before = s(kAlice)->accepted().at;
    forge(kMember, kAlice, Message{smHeader(), removeBob()});
    EXPECT_EQ(s(kAlice)->accepted().at, before);
    EXPECT_TRUE(session::contains(s(kAlice)->committed(), device(kBob)));
}

TEST_F(Forgery, MemberCommittedSnapshotNamingItselfSmIsRefused)
{
    const RosterSnapshot& r = s(kAlice)->committed();
    Roster snap;
    snap.full = true;
    snap.committed = true;
    snap.at = RosterStamp{r.at.epoch, r.at.version + 1};
    snap.sm = device(kMember);
    for (const MemberInfo& m : r.members)
        if (m.device != device(kBob)) snap.members.append(m);
    forge(kMember, kAlice, Message{smHeader(), snap});
    EXPECT_TRUE(session::contains(s(kAlice)->committed(), device(kBob)));
    EXPECT_EQ(s(kAlice)->committed().sm, device(kSm));
}

TEST_F(Forgery, MemberCommitIsRefused)
{
    holdCommitAtBob();
    const RosterStamp committed = s(kBob)->committed().at;
    forge(kMember, kBob, Message{smHeader(), Commit{s(kBob)->accepted().at}}, 50);
    EXPECT_EQ(s(kBob)->committed().at, committed) << "Bob committed on a member's word";
}

TEST_F(Forgery, MemberByeRemovedIsRefused)
{
    forge(kMember, kBob,
          Message{smHeader(), Bye{Bye::Reason::Removed, std::nullopt, std::nullopt}});
    EXPECT_TRUE(isMember(kBob)) << "a member kicked Bob";
}

TEST_F(Forgery, MemberAloneWithItsSmCannotRemoveItWithA403)
{
    // Alice and Bob leave: the SM and Mallory are a two-member roster, where Mallory is all of
    // "the others" the SM would ask. A 403 ("you are not in this session's roster") is a vote
    // that one was left out; one device's word alone must not put the SM out.
    for (int who : {kAlice, kBob})
        net->peer(who).host()->leave(sid, net->now());
    ASSERT_TRUE(runToQuiescence(*net, 30000));
    ASSERT_EQ(s(kSm)->committed().members.size(), 2);
    forge(kMember, kSm, Message{smHeader(), Bye{Bye::Reason::Removed, std::nullopt, std::nullopt}});
    forge(kMember, kSm,
          Message{smHeader(), ErrorReply{Code::Forbidden, QStringLiteral("no"), std::nullopt}});
    EXPECT_TRUE(isMember(kSm)) << "the other member of a two-member roster put the SM out";
    EXPECT_EQ(s(kSm)->sm(), device(kSm));
}

TEST_F(Forgery, MemberReplayOfTheSmsRosterIsRefused)
{
    // Mallory keeps the SM's proposal for Alice's leave and plays it to Bob after Bob has
    // moved on: it must not come from Mallory's link as if the SM had sent it.
    net->peer(kAlice).host()->leave(sid, net->now());
    net->runFor(1000);
    std::optional<Message> captured;
    for (const Message& m : toMember)
        if (std::holds_alternative<Roster>(m.body)) captured = m;
    ASSERT_TRUE(captured);
    const std::uint64_t refusedBefore = net->peer(kBob).refusals();
    forge(kMember, kBob, *captured);
    EXPECT_GT(net->peer(kBob).refusals(), refusedBefore);
    EXPECT_EQ(s(kBob)->committed().at, s(kSm)->committed().at);
}

// A member relays the SM's committed snapshot with Bob removed, naming the right SM of the
// epoch: before SM-signed rosters Alice believed its content (--adversary seeds 80011,
// 163087). Without a signature, with bytes of its own, or with the SM's real signature
// (of the roster before the change Mallory made up), it is refused.
TEST_F(Forgery, MemberRelayedCommittedSnapshotInTheSmsNameIsRefused)
{
    // The SM's signature over the committed roster, as Mallory received it (Mallory joined
    // last: with the committed roster that let it in).
    QByteArray smSignature;
    for (const Message& m : toMember) {
        if (const auto* c = std::get_if<Commit>(&m.body); c && c->at == s(kAlice)->committed().at)
            smSignature = c->signature;
        if (const auto* r = std::get_if<Roster>(&m.body);
            r && r->committed && r->at == s(kAlice)->committed().at)
            smSignature = r->signature;
    }
    ASSERT_FALSE(smSignature.isEmpty()) << "the SM's roster carries its signature";
    const RosterSnapshot& r = s(kAlice)->committed();
    const RosterStamp before = r.at;
    for (const QByteArray& signature : {QByteArray(), QByteArray(64, 'm'), smSignature}) {
        Roster snap;
        session::fillFull(snap, r);
        snap.committed = true;
        snap.at = RosterStamp{before.epoch, before.version + 1};
        snap.members.removeIf([&](const MemberInfo& m) { return m.device == device(kBob); });
        snap.signature = signature;
        const std::uint64_t refusedBefore = net->peer(kAlice).refusals();
        forge(kMember, kAlice, Message{smHeader(), snap});
        EXPECT_GT(net->peer(kAlice).refusals(), refusedBefore);
        EXPECT_EQ(s(kAlice)->committed().at, before);
        EXPECT_TRUE(session::contains(s(kAlice)->accepted(), device(kBob)));
    }
}

// The same relay done honestly: Bob missed the SM's COMMIT, and a member hands him the
// committed snapshot it holds, with the SM's signature. Bob takes it from the member.
TEST_F(Forgery, MemberRelayingTheSmsSignedSnapshotIsBelieved)
{
    holdCommitAtBob();
    net->runFor(100); // the others have the commit
    std::optional<Message> relayed;
    net->setTap([&](int from, int to, const Message& m) {
        const auto* r = std::get_if<Roster>(&m.body);
        if (from == kMember && to == kBob && r && r->full && r->committed) relayed = m;
    });
    net->inject(kBob, kMember, Message{smHeader(), SnapshotRequest{}});
    net->runFor(50);
    ASSERT_TRUE(relayed) << "Mallory (honest here) answered with a committed snapshot";
    EXPECT_FALSE(std::get<Roster>(relayed->body).signature.isEmpty());
    EXPECT_EQ(s(kBob)->committed().at, s(kSm)->committed().at)
        << "Bob took the signed snapshot from a member";
}

// DESIGN §5: SET_SM counts only with the signed votes of a majority of the member's roster.
// A member that claims the SM of the next epoch without them is not followed (it was, on its
// word, until the session core checked the quorum).
TEST_F(Forgery, MemberSetSmWithoutItsVotersSignaturesIsRefused)
{
    const std::uint64_t epoch = s(kAlice)->epoch();
    claimSmBySetSm(kMember, kAlice);
    EXPECT_EQ(s(kAlice)->sm(), device(kSm)) << "Alice follows a member that claimed the SM";
    EXPECT_EQ(s(kAlice)->epoch(), epoch);
    EXPECT_GT(net->peer(kAlice).refusals(), 0u);
}

// The same claim in a header (HELLO, PING) of a much newer epoch: a claim, not a proof. Alice
// asks for the quorum and, getting none, stays with her SM (and the SM is not deposed).
TEST_F(Forgery, MemberHigherEpochHeaderNamingItselfSmIsNotFollowed)
{
    const std::uint64_t epoch = s(kSm)->epoch();
    Header h{sid, epoch + 5, s(kSm)->committed().at.version + 5, device(kMember)};
    forge(kMember, kAlice, Message{h, Hello{net->peer(kMember).info(), 250}});
    forge(kMember, kSm, Message{h, Ping{}});
    EXPECT_EQ(s(kAlice)->sm(), device(kSm));
    EXPECT_EQ(s(kAlice)->epoch(), epoch);
    EXPECT_TRUE(s(kSm)->isSm()) << "the SM stepped down for a member's claimed epoch";
}

// The same claim as a committed roster of that epoch, Bob left out, that Mallory signed: its
// content used to be taken (only its SM was not followed), so one member rewrote the roster of
// everyone it reached (`--adversary`: 543 of 5,000 seeds failed once the adversary sent it).
// Refused: the epoch's SM shows neither its signed quorum nor a majority of Alice's roster.
TEST_F(Forgery, MemberCommittedSnapshotOfANewerEpochNamingItselfSmIsRefused)
{
    const RosterSnapshot before = s(kAlice)->committed();
    for (int to : {kAlice, kBob}) {
        const std::uint64_t refusedBefore = net->peer(to).refusals();
        forge(kMember, to, newerEpochInMallorysName(kMember, to));
        EXPECT_GT(net->peer(to).refusals(), refusedBefore) << "peer" << to;
    }
    EXPECT_EQ(s(kAlice)->committed(), before);
    EXPECT_EQ(s(kAlice)->epoch(), before.at.epoch);
    EXPECT_TRUE(isMember(kBob)) << "Bob took a roster that leaves him out";
}

// A joiner holds no roster to check a quorum against: an endpoint that names itself SM of an
// epoch after the ticket's is believed only with that epoch's SET_SM, signed by a majority of
// the members its inviter named. Mallory, an endpoint of Alice's new invitation, hands her a
// committed roster of its own making: she is not admitted by it (her inviter admits her).
TEST_F(Forgery, EndpointNamingItselfSmOfANewerEpochDoesNotAdmitAJoiner)
{
    net->peer(kAlice).host()->leave(sid, net->now());
    ASSERT_TRUE(runToQuiescence(*net, 30000));
    const MemberInfo alice = net->peer(kAlice).info();
    net->peer(kSm).host()->invite(sid, alice.account, {alice.device}, net->now());
    // Joining, and linked to Mallory (one of its endpoints): the forgery arrives in one latency.
    while ((!s(kAlice) || s(kAlice)->phase() != Session::Phase::Joining ||
            !net->linkUp(kAlice, kMember)) &&
           net->now() < 60000)
        net->runFor(1);
    ASSERT_TRUE(s(kAlice) && s(kAlice)->phase() == Session::Phase::Joining);
    const std::uint64_t refusedBefore = net->peer(kAlice).refusals();
    forge(kMember, kAlice, newerEpochInMallorysName(kMember, kSm, alice), 6); // one latency
    EXPECT_GT(net->peer(kAlice).refusals(), refusedBefore);
    EXPECT_NE(s(kAlice)->committed().sm, device(kMember)) << "admitted by Mallory's roster";
    ASSERT_TRUE(runToQuiescence(*net, 30000));
    EXPECT_TRUE(isMember(kAlice));
    EXPECT_EQ(s(kAlice)->committed(), s(kSm)->committed());
}

// A member acting as the SM of a newer epoch that it never won: its proposal (Bob removed) is
// refused, so it never gathers the acks to commit it.
TEST_F(Forgery, MemberRosterProposalOfAnUnwonEpochIsRefused)
{
    const RosterSnapshot& r = s(kAlice)->accepted();
    const RosterStamp before = r.at;
    Roster proposal;
    proposal.full = true;
    proposal.base = r.at;
    proposal.at = RosterStamp{r.at.epoch + 1, r.at.version + 1};
    proposal.sm = device(kMember);
    for (const MemberInfo& m : r.members)
        if (m.device != device(kBob)) proposal.members.append(m);
    forge(kMember, kAlice,
          Message{Header{sid, proposal.at.epoch, r.at.version, device(kMember)}, proposal});
    EXPECT_EQ(s(kAlice)->accepted().at, before);
    EXPECT_TRUE(session::contains(s(kAlice)->accepted(), device(kBob)));
}

namespace {
// The same group with the quorum check switched off (session::Rule::SignedSetSm): the forged
// SET_SM above is believed, so the test above can fail. The group is left hijacked: no
// liveness check at the end.
class ForgeryWithoutQuorumCheck : public Forgery {
protected:
    ForgeryWithoutQuorumCheck() { disabledRules = std::uint32_t(session::Rule::SignedSetSm); }
    void TearDown() override {}
};
} // namespace

TEST_F(ForgeryWithoutQuorumCheck, MemberSetSmIsBelievedWithTheCheckOff)
{
    claimSmBySetSm(kMember, kAlice, 10); // as soon as it arrived (Mallory's own core objects later)
    EXPECT_EQ(s(kAlice)->sm(), device(kMember));
}

TEST_F(ForgeryWithoutQuorumCheck, MemberCommittedSnapshotOfANewerEpochIsBelievedWithTheCheckOff)
{
    forge(kMember, kAlice, newerEpochInMallorysName(kMember, kAlice), 10);
    EXPECT_EQ(s(kAlice)->committed().sm, device(kMember));
    EXPECT_FALSE(session::contains(s(kAlice)->committed(), device(kBob)));
}

namespace {
// The same group with the roster signature unchecked (session::Rule::SignedRoster): the
// forged relay above is believed, so that test can fail. Left hijacked: no liveness check.
class ForgeryWithoutRosterSignatures : public Forgery {
protected:
    ForgeryWithoutRosterSignatures() { disabledRules = std::uint32_t(session::Rule::SignedRoster); }
    void TearDown() override {}
};
} // namespace

TEST_F(ForgeryWithoutRosterSignatures, MemberRelayedCommittedSnapshotIsBelievedWithTheCheckOff)
{
    const RosterSnapshot r = s(kAlice)->committed();
    Roster snap;
    session::fillFull(snap, r);
    snap.committed = true;
    snap.at = RosterStamp{r.at.epoch, r.at.version + 1};
    snap.members.removeIf([&](const MemberInfo& m) { return m.device == device(kBob); });
    forge(kMember, kAlice, Message{smHeader(), snap}, 10);
    EXPECT_EQ(s(kAlice)->committed().at, snap.at);
    EXPECT_FALSE(session::contains(s(kAlice)->committed(), device(kBob)));
}

namespace {
// A group whose members do not check whether a ticket is spent (session::Rule::TicketSpent).
class ForgeryWithoutSpentTickets : public Forgery {
protected:
    ForgeryWithoutSpentTickets() { disabledRules = std::uint32_t(session::Rule::TicketSpent); }
    void TearDown() override {}
};

// Mallory (the member) leaves, then plays the JOIN of its own admission, ticket and all, to
// Alice: the epoch is still the ticket's. Returns Alice's answer.
std::optional<Code> replaySpentTicket(Forgery& f, SimNetwork& net, const SessionId& sid,
                                      const std::vector<Message>& toMember)
{
    std::optional<Ticket> ticket;
    for (const Message& m : toMember)
        if (const auto* inv = std::get_if<Invite>(&m.body)) ticket = inv->ticket;
    if (!ticket) return std::nullopt;
    net.peer(kMember).host()->leave(sid, net.now());
    net.runFor(2000);
    const std::size_t before = toMember.size();
    const Session* alice = net.peer(kAlice).session(sid);
    net.inject(kMember, kAlice,
               Message{Header{sid, alice->epoch(), alice->committed().at.version, {}},
                       Join{*ticket, net.peer(kMember).info()}});
    net.runFor(200);
    for (std::size_t i = before; i < toMember.size(); ++i)
        if (const auto* a = std::get_if<JoinAnswer>(&toMember[i].body)) return a->code;
    (void)f;
    return std::nullopt;
}
} // namespace

// §5.1 rule 6: a ticket is bound to its roster stamp. Once a committed roster added (or removed)
// its joiner, the ticket is spent: replayed later in the same epoch, it is refused (members used
// to check only its epoch, so it opened the door again for the whole epoch).
TEST_F(Forgery, SpentTicketReplayedInItsEpochIsRefused)
{
    const std::uint64_t epoch = s(kAlice)->epoch();
    const auto answer = replaySpentTicket(*this, *net, sid, toMember);
    ASSERT_EQ(s(kAlice)->epoch(), epoch) << "the ticket's epoch ended: not this test's case";
    ASSERT_TRUE(answer) << "Alice did not answer the JOIN";
    EXPECT_EQ(*answer, Code::Forbidden);
}

TEST_F(ForgeryWithoutSpentTickets, SpentTicketIsAcceptedWithTheCheckOff)
{
    const auto answer = replaySpentTicket(*this, *net, sid, toMember);
    ASSERT_TRUE(answer);
    EXPECT_EQ(*answer, Code::Ok);
}

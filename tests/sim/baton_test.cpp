// The co-browsing baton (DESIGN §9, §5.1 rule 11) on the simulator: pass, request and grant,
// refusal, a holder that crashes, an election that keeps the holder, a request dropped by an
// election, and conflicting grants. Every run is also checked by the simulator's invariants
// (one holder per generation, every copy agrees, the holder is a member, moves are asked).
#include "invariants.h"
#include "randomrun.h"

#include "session/roster.h"

#include <gtest/gtest.h>

#include <QHashSeed>

using namespace plenum;
using namespace plenum::sim;
using protocol::BatonRefused;
using session::Session;

namespace {

class Baton : public ::testing::Test {
protected:
    // Keeps every baton event per peer, beside the invariants.
    struct Recorder : InvariantChecker {
        using InvariantChecker::InvariantChecker;
        std::map<int, std::vector<protocol::Baton>> changed;
        std::map<int, std::vector<DeviceId>> requested;
        std::map<int, std::vector<BatonRefused::Reason>> refused;
        void onEvent(int peer, const SessionId& sid, const session::SessionEvent& e,
                     bool fromSm) override
        {
            InvariantChecker::onEvent(peer, sid, e, fromSm);
            if (const auto* c = std::get_if<session::event::BatonChanged>(&e))
                changed[peer].push_back(c->baton);
            else if (const auto* r = std::get_if<session::event::BatonRequested>(&e))
                requested[peer].push_back(r->from);
            else if (const auto* f = std::get_if<session::event::BatonRefused>(&e))
                refused[peer].push_back(f->reason);
        }
    };

    // `n` members, peer 0 the SM, all admitted and settled.
    void start(int n)
    {
        QHashSeed::setDeterministicGlobalSeed();
        SimConfig cfg;
        cfg.peers = n;
        cfg.latencyMin = 5;
        cfg.latencyMax = 5;
        cfg.session.testDisabledRules = disabledRules;
        net = std::make_unique<SimNetwork>(1, cfg);
        check = std::make_unique<Recorder>(*net);
        net->setObserver(check.get());
        net->setAutoAnswer(1.0);
        sid = net->peer(0).host()->create(0);
        for (int i = 1; i < n; ++i) {
            const auto& info = net->peer(i).info();
            net->peer(0).host()->invite(sid, info.account, {info.device}, net->now());
            net->runFor(1000);
            ASSERT_TRUE(s(i) && s(i)->phase() == Session::Phase::Member) << "peer" << i;
        }
        settle();
    }
    void settle()
    {
        ASSERT_TRUE(runToQuiescence(*net, 30000)) << "no quiescence";
        check->checkQuiescent();
        ASSERT_FALSE(check->failed()) << check->failure();
    }
    Session* s(int i) { return net->peer(i).session(sid); }
    DeviceId dev(int i) { return net->peer(i).info().device; }
    session::SessionHost& host(int i) { return *net->peer(i).host(); }
    // Every live member's committed roster shows `holder` at `generation`.
    void expectEveryoneSees(std::optional<int> holder, std::uint64_t generation)
    {
        const protocol::Baton want{holder ? dev(*holder) : DeviceId{}, generation};
        for (int i = 0; i < net->size(); ++i) {
            if (!net->peer(i).alive() || !s(i) || s(i)->phase() != Session::Phase::Member) continue;
            EXPECT_EQ(s(i)->baton(), want) << "peer" << i << " sees another baton";
        }
    }
    // Peer 1 holds the baton (the free baton granted by the SM on its request).
    void peer1Holds()
    {
        host(1).requestBaton(sid, net->now());
        settle();
        expectEveryoneSees(1, 1);
    }
    // Conflicting grants (rule 11): peer 1 holds; peers 2 and 3 ask; peer 1 grants both at
    // once, before the first move is committed. Returns who holds the baton then.
    int conflictingGrants()
    {
        start(4);
        peer1Holds();
        host(2).requestBaton(sid, net->now());
        host(3).requestBaton(sid, net->now());
        net->runFor(100);
        EXPECT_EQ(s(1)->batonAskers(), (QList<DeviceId>{dev(2), dev(3)}));
        host(1).answerBaton(sid, true, net->now()); // to 2
        host(1).answerBaton(sid, true, net->now()); // to 3: peer 1 still thinks it holds it
        EXPECT_TRUE(runToQuiescence(*net, 30000));
        for (int i = 0; i < net->size(); ++i)
            if (s(i)->baton().holder == dev(i)) return i;
        return -1;
    }

    std::uint32_t disabledRules = 0;
    std::unique_ptr<SimNetwork> net;
    std::unique_ptr<Recorder> check;
    SessionId sid;
};

TEST_F(Baton, TheSmGrantsAFreeBatonAndTheHolderPassesIt)
{
    start(3);
    expectEveryoneSees(std::nullopt, 0);
    host(0).requestBaton(sid, net->now()); // the SM asking for a free baton grants it itself
    settle();
    expectEveryoneSees(0, 1);
    host(0).passBaton(sid, dev(1), net->now());
    settle();
    expectEveryoneSees(1, 2);
    host(1).passBaton(sid, dev(2), net->now()); // a holder that is not the SM asks the SM
    settle();
    expectEveryoneSees(2, 3);
    host(2).passBaton(sid, DeviceId{}, net->now()); // back to the SM
    settle();
    expectEveryoneSees(std::nullopt, 4);
    // Every member was told each move, in order.
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(check->changed[i].size(), 4u) << "peer" << i;
        EXPECT_EQ(check->changed[i][1], (protocol::Baton{dev(1), 2}));
    }
}

TEST_F(Baton, AMemberRequestsTheHolderRefusesThenGrants)
{
    start(3);
    peer1Holds();
    host(2).requestBaton(sid, net->now());
    settle();
    ASSERT_EQ(check->requested[1], (std::vector<DeviceId>{dev(2)}));
    host(1).answerBaton(sid, false, net->now());
    settle();
    EXPECT_EQ(check->refused[2],
              (std::vector<BatonRefused::Reason>{BatonRefused::Reason::Declined}));
    expectEveryoneSees(1, 1);
    host(2).requestBaton(sid, net->now());
    settle();
    host(1).answerBaton(sid, true, net->now());
    settle();
    expectEveryoneSees(2, 2);
    EXPECT_TRUE(s(1)->batonAskers().isEmpty());
}

TEST_F(Baton, OnlyTheHolderPasses)
{
    start(3);
    peer1Holds();
    host(2).passBaton(sid, dev(2), net->now()); // not the holder: refused here, nothing sent
    ASSERT_FALSE(check->refused[2].empty());
    EXPECT_EQ(check->refused[2].back(), BatonRefused::Reason::NotHolder);
    // A forged BATON_PASS from a member that does not hold it is refused by the SM.
    const std::uint64_t before = net->peer(0).refusals();
    protocol::Header h{sid, s(2)->epoch(), s(2)->committed().at.version, dev(0)};
    net->peer(2).send(dev(0), protocol::Message{h, protocol::BatonPass{dev(2), 1}});
    settle();
    EXPECT_GT(net->peer(0).refusals(), before);
    expectEveryoneSees(1, 1);
}

TEST_F(Baton, AHolderThatCrashesGivesItBack)
{
    start(4);
    peer1Holds();
    net->crash(1);
    net->runFor(10000);
    // The removal that takes peer 1 out gives the baton back in the same roster change.
    EXPECT_FALSE(session::contains(s(0)->committed(), dev(1)));
    expectEveryoneSees(std::nullopt, 2);
    ASSERT_FALSE(check->failed()) << check->failure();
}

TEST_F(Baton, AHolderThatLeavesGivesItBack)
{
    start(3);
    peer1Holds();
    host(1).leave(sid, net->now());
    settle();
    expectEveryoneSees(std::nullopt, 2);
}

TEST_F(Baton, AnElectionKeepsTheHolder)
{
    start(4);
    peer1Holds();
    host(1).passBaton(sid, dev(2), net->now());
    settle();
    expectEveryoneSees(2, 2);
    net->crash(0); // the SM
    net->runFor(10000);
    int sm = -1;
    for (int i = 1; i < 4; ++i)
        if (s(i)->isSm()) sm = i;
    ASSERT_GE(sm, 1) << "no new SM";
    EXPECT_GT(s(sm)->epoch(), 1u);
    expectEveryoneSees(2, 2); // the same holder and generation in the new epoch
    // And the new SM carries out the next move.
    host(2).passBaton(sid, dev(3), net->now());
    net->runFor(2000);
    expectEveryoneSees(3, 3);
    ASSERT_FALSE(check->failed()) << check->failure();
}

TEST_F(Baton, ARequestPendingWhenAnElectionStartsIsDroppedAndTheRequesterIsTold)
{
    start(4);
    peer1Holds();
    host(2).requestBaton(sid, net->now());
    net->runFor(100);
    ASSERT_EQ(s(1)->batonAskers(), (QList<DeviceId>{dev(2)}));
    net->crash(0); // the election starts when the members lose the SM
    net->runFor(10000);
    EXPECT_EQ(check->refused[2],
              (std::vector<BatonRefused::Reason>{BatonRefused::Reason::Dropped}));
    EXPECT_TRUE(s(1)->batonAskers().isEmpty()) << "the holder still answers a dropped request";
    expectEveryoneSees(1, 1);
}

TEST_F(Baton, ConflictingGrantsTheFirstWinsTheStaleOneIsRefused)
{
    EXPECT_EQ(conflictingGrants(), 2);
    expectEveryoneSees(2, 2);
    // Peer 1 no longer held generation 1 when its second grant's turn came.
    EXPECT_EQ(check->refused[1],
              (std::vector<BatonRefused::Reason>{BatonRefused::Reason::NotHolder}));
    // Peer 3 asked a holder that gave it to someone else: its request is over, and it is told.
    EXPECT_EQ(check->refused[3],
              (std::vector<BatonRefused::Reason>{BatonRefused::Reason::NotHolder}));
}

// Rule toggle: without the holder check the stale grant moves the baton again, to peer 3.
TEST_F(Baton, RuleToggleWithoutTheHolderCheckAStaleGrantWins)
{
    disabledRules = static_cast<std::uint32_t>(session::Rule::BatonHolderOnly);
    EXPECT_EQ(conflictingGrants(), 3);
    EXPECT_TRUE(check->failed()) << "the invariant batonMovesOnlyByItsHolder did not notice";
}

} // namespace

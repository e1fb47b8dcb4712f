// The hand-off in the simulator (DESIGN §8, §5.1 rule 10; issue 15): named scenarios, each
// checked by the same invariants as the property test (oneDevicePerAccount and
// othersNeverSeeTheAccountLeave among them), and the rule toggle that shows they notice.
#include "invariants.h"
#include "randomrun.h"

#include "session/roster.h"

#include <gtest/gtest.h>

#include <QHashSeed>

using namespace plenum;
using namespace plenum::sim;
using session::Session;
using Stage = session::event::Handoff::Stage;

namespace {

// Peer 0 creates the session. The last peer is a second device of `twinOf`'s account.
class Handoff : public ::testing::Test {
protected:
    struct Recorder : InvariantChecker {
        using InvariantChecker::InvariantChecker;
        std::vector<std::pair<int, session::event::Handoff>> handoffs;
        // Every committed roster each peer showed its user, in order.
        std::map<int, std::vector<protocol::RosterSnapshot>> shown;
        void onEvent(int peer, const SessionId& sid, const session::SessionEvent& e,
                     bool fromSm) override
        {
            InvariantChecker::onEvent(peer, sid, e, fromSm);
            if (const auto* h = std::get_if<session::event::Handoff>(&e))
                handoffs.push_back({peer, *h});
            if (const auto* c = std::get_if<session::event::RosterCommitted>(&e))
                shown[peer].push_back(c->roster);
        }
    };

    void start(int n, int twinOf, std::uint32_t disabledRules = 0, std::uint32_t capacity = 8)
    {
        QHashSeed::setDeterministicGlobalSeed();
        SimConfig cfg;
        cfg.peers = n;
        cfg.latencyMin = 5;
        cfg.latencyMax = 5;
        cfg.sameAccountAs[n - 1] = twinOf;
        cfg.session.testDisabledRules = disabledRules;
        cfg.session.rules.capacity = capacity;
        net = std::make_unique<SimNetwork>(1, cfg);
        check = std::make_unique<Recorder>(*net);
        net->setObserver(check.get());
        net->setAutoAnswer(1.0);
        sid = net->peer(0).host()->create(0);
        a2 = n - 1;
    }
    void admit(int who)
    {
        const auto& info = net->peer(who).info();
        net->peer(0).host()->invite(sid, info.account, {info.device}, net->now());
        net->runFor(1000);
        ASSERT_TRUE(isMember(who)) << "peer" << who << " was not admitted";
    }
    Session* s(int i) { return net->peer(i).alive() ? net->peer(i).session(sid) : nullptr; }
    bool isMember(int i)
    {
        Session* x = s(i);
        return x && x->phase() == Session::Phase::Member;
    }
    const DeviceId& device(int i) { return net->peer(i).info().device; }
    void push(int from, Millis ttl = 60000, bool keep = false)
    {
        s(from)->handoff(device(a2), ttl, keep, net->now());
    }
    // The hand-off events peer `i` heard, in order.
    std::vector<session::event::Handoff> heard(int i) const
    {
        std::vector<session::event::Handoff> out;
        for (const auto& [peer, h] : check->handoffs)
            if (peer == i) out.push_back(h);
        return out;
    }
    // Once `account` was in, every committed roster `peer` showed lists a device of it.
    bool alwaysShown(int peer, const AccountId& account)
    {
        bool in = false;
        for (const auto& r : check->shown[peer]) {
            const bool listed =
                std::any_of(r.members.cbegin(), r.members.cend(),
                            [&](const protocol::MemberInfo& m) { return m.account == account; });
            if (in && !listed) return false;
            in = in || listed;
        }
        return in;
    }
    void settleAndCheck()
    {
        ASSERT_TRUE(runToQuiescence(*net, 30000)) << "no quiescence";
        check->checkQuiescent();
        EXPECT_FALSE(check->failed()) << check->failure();
    }

    std::unique_ptr<SimNetwork> net;
    std::unique_ptr<Recorder> check;
    SessionId sid;
    int a2 = 0;
};

TEST_F(Handoff, PushSwapsTheOldDeviceForTheNewOneAndNobodySeesTheAccountLeave)
{
    start(4, 1); // peer1 = A1, peer3 = A2 (account A); peer0 SM, peer2 B
    admit(1);
    admit(2);
    push(1);
    net->runFor(2000);
    EXPECT_TRUE(isMember(a2));
    EXPECT_FALSE(isMember(1));
    const auto& roster = s(0)->committed();
    EXPECT_TRUE(session::contains(roster, device(a2)));
    EXPECT_FALSE(session::contains(roster, device(1)));
    EXPECT_TRUE(roster.reservations.isEmpty());
    const auto a1 = heard(1);
    ASSERT_EQ(a1.size(), 2u);
    EXPECT_EQ(a1[0].stage, Stage::Reserved);
    EXPECT_EQ(a1[1].stage, Stage::Done);
    EXPECT_EQ(a1[1].device, device(a2));
    const AccountId account = net->peer(1).info().account;
    EXPECT_TRUE(alwaysShown(0, account));
    EXPECT_TRUE(alwaysShown(2, account));
    settleAndCheck();
}

TEST_F(Handoff, KeepingTheOldDeviceGivesTheAccountTwoSeats)
{
    start(4, 1);
    admit(1);
    admit(2);
    push(1, 60000, true);
    net->runFor(2000);
    EXPECT_TRUE(isMember(1));
    EXPECT_TRUE(isMember(a2));
    EXPECT_EQ(s(0)->committed().members.size(), 4);
    ASSERT_FALSE(heard(1).empty());
    EXPECT_EQ(heard(1).back().stage, Stage::Done);
    settleAndCheck();
}

TEST_F(Handoff, DeclinedLeavesTheSessionAsItWasWithTheReason)
{
    start(4, 1);
    admit(1);
    admit(2);
    const auto before = s(0)->committed().members;
    net->setAnswer(a2, false);
    push(1);
    net->runFor(2000);
    EXPECT_TRUE(isMember(1));
    EXPECT_FALSE(isMember(a2));
    EXPECT_EQ(s(0)->committed().members, before);
    EXPECT_TRUE(s(0)->committed().reservations.isEmpty());
    ASSERT_FALSE(heard(1).empty());
    EXPECT_EQ(heard(1).back().stage, Stage::Failed);
    EXPECT_EQ(heard(1).back().reason.toStdString(), "the other device declined");
    settleAndCheck();
}

TEST_F(Handoff, ExpiryIsACommittedChangeTheOldDeviceHears)
{
    start(4, 1);
    admit(1);
    admit(2);
    net->crash(a2); // never answers
    push(1, 1500);
    net->runFor(600);
    EXPECT_TRUE(session::reservationFor(s(2)->committed(), device(a2)))
        << "the seat is a committed roster field every member holds";
    net->runFor(2000);
    EXPECT_TRUE(s(0)->committed().reservations.isEmpty());
    EXPECT_TRUE(s(2)->committed().reservations.isEmpty());
    EXPECT_TRUE(isMember(1));
    ASSERT_FALSE(heard(1).empty());
    EXPECT_EQ(heard(1).back().stage, Stage::Failed);
    EXPECT_EQ(heard(1).back().reason.toStdString(), "the reservation expired");
    settleAndCheck();
}

TEST_F(Handoff, TheReservedSeatCountsAgainstCapacity)
{
    start(5, 1, 0, 4);
    admit(1);
    admit(2);
    net->setAutoAnswer(-1); // A2's user has not answered yet: the seat stays reserved
    push(1, 5000);          // 3 members + 1 seat: full
    net->runFor(100);
    EXPECT_TRUE(session::reservationFor(s(0)->committed(), device(a2)));
    // Peer 3 (another account) cannot take the reserved seat.
    const auto& info = net->peer(3).info();
    net->peer(0).host()->invite(sid, info.account, {info.device}, net->now());
    net->runFor(1000);
    EXPECT_FALSE(isMember(3));
    settleAndCheck();
}

TEST_F(Handoff, AFullSessionRefusesTheSeatInWords)
{
    start(4, 1, 0, 3);
    admit(1);
    admit(2);
    push(1);
    net->runFor(500);
    ASSERT_EQ(heard(1).size(), 1u);
    EXPECT_EQ(heard(1)[0].stage, Stage::Failed);
    EXPECT_EQ(heard(1)[0].reason.toStdString(), "the session is full");
    EXPECT_TRUE(s(0)->committed().reservations.isEmpty());
    settleAndCheck();
}

TEST_F(Handoff, OnlyADeviceOfTheAccountMayAskForItsSeat)
{
    start(4, 1);
    admit(1);
    admit(2);
    push(2); // B asks for a seat for A's device
    net->runFor(500);
    ASSERT_EQ(heard(2).size(), 1u);
    EXPECT_EQ(heard(2)[0].stage, Stage::Failed);
    EXPECT_EQ(heard(2)[0].reason.toStdString(), "that device belongs to another account");
    EXPECT_TRUE(s(0)->committed().reservations.isEmpty());
    settleAndCheck();
}

TEST_F(Handoff, OnlyTheAskerMayCancelTheSeat)
{
    start(4, 1);
    admit(1);
    admit(2);
    net->setAutoAnswer(-1); // A2's user has not answered yet
    push(1);
    net->runFor(300);
    ASSERT_TRUE(session::reservationFor(s(0)->committed(), device(a2)));
    // B, a member of another account, tries to withdraw A's seat.
    net->inject(2, 0,
                protocol::Message{net->peer(2).host()->headerFor(sid),
                                  protocol::HandoffCancel{device(a2)}});
    net->runFor(300);
    EXPECT_TRUE(session::reservationFor(s(0)->committed(), device(a2))) << "B cancelled A's seat";
    s(1)->cancelHandoff(net->now());
    net->runFor(300);
    EXPECT_FALSE(session::reservationFor(s(0)->committed(), device(a2)));
    ASSERT_FALSE(heard(1).empty());
    EXPECT_EQ(heard(1).back().reason.toStdString(), "the hand-off was cancelled");
    net->runFor(4000);
    EXPECT_FALSE(isMember(a2));
    settleAndCheck();
}

// A1 crashes while its seat lives: its removal waits and is folded into the swap (rule 10).
// Returns the invariant failure, if any.
std::string oldDeviceCrashesDuringTheSwap(std::uint32_t disabledRules)
{
    struct T : Handoff {
        void TestBody() override {}
        std::string run(std::uint32_t rules)
        {
            start(4, 1, rules);
            admit(1);
            admit(2);
            net->setAutoAnswer(-1); // A2's user answers after A1's removal is due
            push(1);
            net->runFor(100);
            net->crash(1);
            net->runFor(3000);
            net->peer(a2).host()->accept(sid, net->now());
            net->runFor(3000);
            if (!isMember(a2)) return "A2 did not get in";
            if (check->failed()) return check->failure();
            if (!alwaysShown(2, net->peer(1).info().account)) return "B saw the AccountLeave";
            return {};
        }
    } t;
    return t.run(disabledRules);
}

TEST_F(Handoff, OldDeviceCrashDuringTheSwapIsFoldedIn)
{
    EXPECT_EQ(oldDeviceCrashesDuringTheSwap(0), "");
}

TEST_F(Handoff, RuleToggleNoticesWhenTheDepartureIsNotFoldedIn)
{
    const auto off = static_cast<std::uint32_t>(session::Rule::HandoffChecks);
    const std::string failure = oldDeviceCrashesDuringTheSwap(off);
    EXPECT_NE(failure.find("AccountLeave"), std::string::npos) << failure;
    // And with the checks off, another account's device may ask for A's seat.
    start(4, 1, off);
    admit(1);
    admit(2);
    push(2);
    net->runFor(300);
    ASSERT_FALSE(heard(2).empty());
    EXPECT_EQ(heard(2)[0].stage, Stage::Reserved);
}

TEST_F(Handoff, TheSmItselfHandsOffAndAnotherIsElected)
{
    start(3, 0); // peer0 = SM = A1, peer2 = A2
    admit(1);
    push(0);
    net->runFor(3000);
    EXPECT_FALSE(isMember(0));
    EXPECT_TRUE(isMember(a2));
    EXPECT_TRUE(isMember(1));
    EXPECT_TRUE(s(1)->isSm() || s(a2)->isSm());
    EXPECT_TRUE(alwaysShown(1, net->peer(0).info().account));
    settleAndCheck();
}

// The committed roster of an SM's own swap names that SM and no longer lists it; a member
// relays it, signed, to one that missed the commit. It used to be refused ("a roster whose SM
// is not among its members"), so a member behind learnt of the swap only from a new SM.
TEST_F(Handoff, ARelayedSwapThatTookTheSmOutIsBelieved)
{
    start(4, 0); // peer0 = SM = A1, peer3 = A2
    admit(1);
    admit(2);
    net->setExtraDelay(0, 2, 3000); // peer 2 hears nothing from A1 in time
    push(0);
    const DeviceId a1 = device(0);
    while (net->now() < 10000 && (!isMember(1) || session::contains(s(1)->committed(), a1)))
        net->runFor(1);
    ASSERT_TRUE(isMember(1));
    const protocol::RosterSnapshot swap = s(1)->committed();
    ASSERT_FALSE(session::contains(swap, a1)) << "the swap did not commit at peer 1";
    ASSERT_EQ(swap.sm, a1);
    ASSERT_TRUE(session::contains(s(2)->committed(), a1)) << "peer 2 already has the swap";
    const protocol::Header h{sid, swap.at.epoch, swap.at.version, a1};
    net->inject(2, 1, protocol::Message{h, protocol::SnapshotRequest{}});
    net->runFor(50);
    EXPECT_GE(s(2)->committed().at, swap.at) << "peer 2 refused the relayed swap\n"
                                             << net->peer(2).formatLog();
    settleAndCheck();
}

// Items 19 and 21 of docs/session.md: an SM hands itself off (A1 -> A2) and, with the swap
// proposed but not committed, hears of a newer epoch that names no SM (a bid; --handoff
// --adversary seed 70949). Its accepted roster, the swap, does not list it: it is out and
// rejoins, a removed device holding a roster that a member behind it may still count it for.
// `whenOut` runs once, 30 ms after A1 says it is out (the links it closed going out have
// drained, so a message injected then reaches it); the run goes on for 4 s.
class HandoffOut : public Handoff {
protected:
    struct OutOfItsOwnSwap : Recorder {
        using Recorder::Recorder;
        std::function<void(const protocol::RosterStamp&)> onSwapProposed;
        std::function<void()> whenOut;
        bool out = false;
        int rejoinsToSelf = 0;
        std::function<void()> onSwapToFollower;                // when A1 sends the swap to peer 1
        std::vector<std::pair<int, protocol::Message>> fromA1; // (to, message) sent by A1 once out
        std::vector<std::pair<int, protocol::Message>> toA1; // (from, message) sent to A1 once out
        void onEvent(int peer, const SessionId& id, const session::SessionEvent& e,
                     bool fromSm) override
        {
            Recorder::onEvent(peer, id, e, fromSm);
            if (peer != 0 || out || !std::holds_alternative<session::event::Removed>(e)) return;
            out = true;
            if (whenOut) whenOut();
        }
        void onSend(int from, int to, const protocol::Message& m, bool overLink) override
        {
            Recorder::onSend(from, to, m, overLink);
            const auto* r = std::get_if<protocol::Roster>(&m.body);
            if (from == 0 && r && !r->full &&
                r->change.kind == protocol::RosterChange::Kind::Swap && onSwapProposed)
                std::exchange(onSwapProposed, nullptr)(r->at);
            if (from == 0 && to == 1 && r && !r->full &&
                r->change.kind == protocol::RosterChange::Kind::Swap && onSwapToFollower)
                std::exchange(onSwapToFollower, nullptr)();
            if (from == 0 && to == 0 && std::holds_alternative<protocol::Rejoin>(m.body))
                ++rejoinsToSelf;
            if (out && from == 0) fromA1.push_back({to, m});
            if (out && to == 0) toA1.push_back({from, m});
        }
    };

    // Returns A1's accepted stamp once it is out (the swap's). `followers` members besides A1;
    // with `cutFollower` the swap proposal to peer 1 is lost (their link breaks under it).
    protocol::RosterStamp smOutOfItsOwnSwap(std::function<void()> whenOut, int followers = 2,
                                            bool cutFollower = false)
    {
        start(followers + 2, 0); // peer0 = SM = A1, the last peer = A2; the others follow A1
        for (int i = 1; i <= followers; ++i)
            admit(i);
        net->setObserver(nullptr);
        auto watch = std::make_unique<OutOfItsOwnSwap>(*net);
        w = watch.get();
        // What is in flight on a broken link is lost, and the break is noticed 1 s later.
        if (cutFollower) w->onSwapToFollower = [this] { net->breakLink(0, 1); };
        check = std::move(watch);
        net->setObserver(w);
        // The bid arrives before any ack of the swap: A1 holds a roster nobody committed.
        w->onSwapProposed = [this](const protocol::RosterStamp& at) {
            net->at(net->now(), [this, at] {
                net->inject(a2, 0,
                            protocol::Message{protocol::Header{sid, at.epoch + 1, at.version, {}},
                                              protocol::RequestSm{at.epoch + 1, 1, at}});
            });
        };
        protocol::RosterStamp held;
        w->whenOut = [this, &held, whenOut] {
            held = s(0)->accepted().at;
            net->at(net->now() + 30, whenOut);
        };
        push(0);
        net->runFor(4000);
        EXPECT_TRUE(w->out) << "A1, out of its own proposal, must say so\n"
                            << net->peer(0).formatLog();
        return held;
    }
    OutOfItsOwnSwap* w = nullptr;
};

// Item 21: a follower whose link to A1 stayed up pings it as its SM. A removed A1 used to send
// nothing and answer nothing, so the follower followed a silent SM for ever and refused every
// vote; it answers 404 with its stamp, as a tombstone does. And A1 asks the other members,
// not itself (it was its own SM), to be readmitted.
TEST_F(HandoffOut, TheSmOutOfItsOwnSwapAnswersItsFollowerAndRejoinsThroughTheOthers)
{
    const protocol::RosterStamp held = smOutOfItsOwnSwap([this] {
        const protocol::RosterStamp c = s(1)->committed().at;
        net->inject(1, 0,
                    protocol::Message{protocol::Header{sid, c.epoch, c.version, device(0)},
                                      protocol::Ping{}});
    });
    ASSERT_FALSE(HasFatalFailure());
    bool told = false;
    for (const auto& [to, m] : w->fromA1)
        if (const auto* e = std::get_if<protocol::ErrorReply>(&m.body); e && to == 1)
            told = told || (e->code == protocol::Code::NotFound && e->accepted == held);
    EXPECT_TRUE(told) << "the follower's ping went unanswered\n" << net->peer(0).formatLog();
    EXPECT_EQ(w->rejoinsToSelf, 0) << "A1 asked itself to be readmitted";
    int sm = -1;
    for (int i = 1; i <= a2; ++i)
        if (isMember(i) && s(i)->isSm()) sm = i;
    EXPECT_GE(sm, 1) << "no SM among the others";
    settleAndCheck();
}

// Item 19 (--handoff seed 72091): a member that still counts A1, because A1 holds a roster
// newer than its own, asks A1 for that roster. A removed device used to answer 404 only, and
// the last member left could never elect; it answers like a tombstone: the 404 and its
// accepted roster, with no SM in the header (it acts for none), which the member does not ack.
// Item 19, the stall itself (--handoff seed 72091): A1 and one member B; the swap never reaches
// B. A1 is out holding the swap, B holds the roster before it. B, having lost A1, bids; A1's
// refusal names its newer roster, so B counts it (it may have acknowledged a roster B lacks)
// and asks it for that roster. Only with it can B lead (the swap's A2 never joined), admit A1
// again and settle; answered 404 alone, B counted A1 for ever.
TEST_F(HandoffOut, TheLastMemberTakesTheRosterFromTheRemovedDeviceAndLeads)
{
    const protocol::RosterStamp held = smOutOfItsOwnSwap([] {}, 1, true);
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(isMember(1));
    EXPECT_GE(s(1)->accepted().at, held) << "B never got the roster A1 holds\n"
                                         << net->peer(1).formatLog();
    EXPECT_TRUE(s(1)->isSm()) << "B, the last member, does not lead\n" << net->peer(1).formatLog();
    settleAndCheck();
    EXPECT_TRUE(isMember(0)) << "A1 was not readmitted";
}

TEST_F(HandoffOut, ARemovedDeviceHandsOutItsRosterLikeATombstone)
{
    const protocol::RosterStamp held = smOutOfItsOwnSwap([this] {
        const protocol::RosterStamp c = s(1)->committed().at;
        net->inject(1, 0,
                    protocol::Message{protocol::Header{sid, c.epoch, c.version, {}},
                                      protocol::SnapshotRequest{}});
    });
    ASSERT_FALSE(HasFatalFailure());
    bool notFound = false, roster = false;
    for (const auto& [to, m] : w->fromA1) {
        if (to != 1) continue;
        if (const auto* e = std::get_if<protocol::ErrorReply>(&m.body))
            notFound = notFound || e->code == protocol::Code::NotFound;
        if (const auto* r = std::get_if<protocol::Roster>(&m.body); r && r->full) {
            roster = true;
            EXPECT_EQ(r->at, held) << "not the roster it holds";
            EXPECT_TRUE(m.header.sm.isNull()) << "a removed device acts for no SM";
            EXPECT_FALSE(session::contains(session::snapshotOf(*r), device(0)));
        }
    }
    EXPECT_TRUE(notFound) << "no 404";
    EXPECT_TRUE(roster) << "the removed device kept its roster to itself\n"
                        << net->peer(0).formatLog();
    for (const auto& [from, m] : w->toA1)
        EXPECT_FALSE(from == 1 && std::holds_alternative<protocol::RosterAck>(m.body))
            << "a roster from a device that is out was acknowledged";
    settleAndCheck();
}

TEST_F(Handoff, TheSeatSurvivesAnSmCrashAndExpiresCleanly)
{
    start(5, 1);
    admit(1);
    admit(2);
    admit(3);
    net->setExtraDelay(0, a2, 5000); // the old SM's INVITE never matters
    push(1, 4000);
    net->runFor(200);
    net->crash(0);
    net->crash(a2); // nor does the new SM's: A2 is gone, so only the expiry ends the seat
    net->runFor(2500);
    Session* sm = isMember(2) && s(2)->isSm() ? s(2) : isMember(3) && s(3)->isSm() ? s(3) : s(1);
    ASSERT_TRUE(sm && sm->isSm()) << "no new SM";
    EXPECT_GT(sm->epoch(), 1u);
    EXPECT_TRUE(session::reservationFor(sm->committed(), device(a2))) << "the election lost it";
    net->runFor(4000);
    EXPECT_TRUE(sm->committed().reservations.isEmpty());
    EXPECT_TRUE(isMember(1));
    ASSERT_FALSE(heard(1).empty());
    EXPECT_EQ(heard(1).back().stage, Stage::Failed);
    net->restart(0);
    settleAndCheck();
}

// Issue 15: the new SM restarts the seat's admission (the old SM's INVITE died with it), so
// the hand-off completes within its TTL instead of expiring.
TEST_F(Handoff, TheNewSmAdmitsTheSeatsDeviceAfterAnSmCrash)
{
    start(5, 1);
    admit(1);
    admit(2);
    admit(3);
    net->setExtraDelay(0, a2, 5000); // the old SM's INVITE never matters
    push(1, 6000);
    net->runFor(200);
    net->crash(0);
    net->runFor(4000);
    EXPECT_TRUE(isMember(a2)) << "the new SM never admitted A2";
    EXPECT_FALSE(isMember(1));
    int sm = -1; // A1 may have won and handed itself off: any member but the old SM
    for (int i = 1; i <= a2; ++i)
        if (isMember(i) && s(i)->isSm()) sm = i;
    ASSERT_GE(sm, 1) << "no new SM";
    EXPECT_GT(s(sm)->epoch(), 1u);
    EXPECT_TRUE(session::contains(s(sm)->committed(), device(a2)));
    EXPECT_FALSE(session::contains(s(sm)->committed(), device(1)));
    EXPECT_TRUE(s(sm)->committed().reservations.isEmpty());
    ASSERT_FALSE(heard(1).empty());
    EXPECT_EQ(heard(1).back().stage, Stage::Done);
    EXPECT_TRUE(alwaysShown(2, net->peer(1).info().account));
    EXPECT_TRUE(alwaysShown(3, net->peer(1).info().account));
    net->restart(0);
    settleAndCheck();
}

TEST_F(Handoff, APartitionDuringTheSwapLeavesTheSessionAsItWas)
{
    start(4, 1);
    admit(1);
    admit(2);
    push(1, 2000);
    net->runFor(20);
    net->partition({a2}); // A2 cut off while it joins
    net->runFor(4000);
    net->healAll();
    EXPECT_TRUE(isMember(1));
    EXPECT_FALSE(session::contains(s(0)->committed(), device(a2)));
    EXPECT_TRUE(s(0)->committed().reservations.isEmpty());
    ASSERT_FALSE(heard(1).empty());
    EXPECT_EQ(heard(1).back().stage, Stage::Failed);
    settleAndCheck();
}

} // namespace

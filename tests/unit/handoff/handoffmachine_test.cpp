// The hand-off's device-to-device state machine (DESIGN §8): the order of A1's steps (link,
// seat, snapshot, swap), A2's (INVITE and verified snapshot, in either order, then the user or
// the pull decides), and that every failure ends in words without touching the session
// beyond withdrawing the seat.
#include "handoff/handoffmachine.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::handoff;
using Stage = HandoffMachine::Stage;

namespace {

const SessionId kSid = SessionId::fromNumber(15);
const DeviceId kA1 = DeviceId::fromNumber(1);
const DeviceId kA2 = DeviceId::fromNumber(2);
const DeviceId kA3 = DeviceId::fromNumber(3);

template <typename T> QList<T> only(const QList<Effect>& effects)
{
    QList<T> found;
    for (const Effect& e : effects)
        if (const T* t = std::get_if<T>(&e)) found.append(*t);
    return found;
}

template <typename T> bool has(const QList<Effect>& effects)
{
    return !only<T>(effects).isEmpty();
}

QString failure(const QList<Effect>& effects)
{
    const auto f = only<effect::Failed>(effects);
    return f.size() == 1 ? f.front().reason : QStringLiteral("<%1 failures>").arg(f.size());
}

// A push to a device that is offline (store and forward).
HandoffMachine::PushOptions offline()
{
    HandoffMachine::PushOptions o;
    o.offline = true;
    return o;
}

} // namespace

TEST(HandoffMachine, PushLinksThenReservesThenSendsTheSnapshotThenIsDone)
{
    HandoffMachine m;
    m.push(kSid, kA2, false, false, 0);
    auto fx = m.takeEffects();
    ASSERT_EQ(only<effect::Connect>(fx).size(), 1);
    EXPECT_EQ(only<effect::Connect>(fx).front().device, kA2);
    EXPECT_FALSE(has<effect::Reserve>(fx)); // no seat before the link
    m.onLinkUp(kA3, 10);
    EXPECT_TRUE(m.takeEffects().isEmpty());
    m.onLinkUp(kA2, 20);
    fx = m.takeEffects();
    ASSERT_EQ(only<effect::Reserve>(fx).size(), 1);
    EXPECT_EQ(only<effect::Reserve>(fx).front().device, kA2);
    EXPECT_FALSE(only<effect::Reserve>(fx).front().keep);
    EXPECT_EQ(m.stage(kSid), Stage::Reserving);
    m.onSeatReserved(kSid);
    fx = m.takeEffects();
    ASSERT_EQ(only<effect::SendSnapshot>(fx).size(), 1);
    EXPECT_EQ(only<effect::SendSnapshot>(fx).front().to, kA2);
    EXPECT_EQ(m.stage(kSid), Stage::Swapping);
    m.onSeatDone(kSid);
    fx = m.takeEffects();
    ASSERT_EQ(only<effect::Done>(fx).size(), 1);
    EXPECT_TRUE(only<effect::Done>(fx).front().pushed);
    EXPECT_FALSE(m.stage(kSid));
}

TEST(HandoffMachine, WithoutStoreAndForwardAnUnreachableDeviceFailsWithoutAskingForASeat)
{
    HandoffMachine::Config c;
    c.linkTimeout = 1000;
    c.storeAndForward = false;
    HandoffMachine m(c);
    m.push(kSid, kA2, false, false, 0);
    (void)m.takeEffects();
    EXPECT_EQ(m.nextDeadline(), 1000);
    m.onTick(999);
    EXPECT_TRUE(m.takeEffects().isEmpty());
    m.onTick(1000);
    const auto fx = m.takeEffects();
    EXPECT_FALSE(has<effect::Reserve>(fx));
    EXPECT_FALSE(has<effect::CancelSeat>(fx));
    EXPECT_EQ(failure(fx), "the other device could not be reached");
    EXPECT_FALSE(m.stage(kSid));
}

// A2 may read the DHT's copy of a stored snapshot, spend it, and restart before it answers:
// nothing of the offer is on its disk then. So A1 sends the snapshot over their link as well
// whenever it comes up, and dials A2 again when it goes down (docs/handoff.md "A2 restarted").
TEST(HandoffMachine, AStoredSnapshotGoesOverTheLinkTooWheneverA2LinksAgain)
{
    HandoffMachine m;
    m.push(kSid, kA2, offline(), 0);
    m.onSeatReserved(kSid);
    m.onStored(kSid, true, {});
    (void)m.takeEffects();
    m.onLinkUp(kA2, 10);
    auto fx = m.takeEffects();
    ASSERT_EQ(only<effect::SendSnapshot>(fx).size(), 1);
    EXPECT_EQ(only<effect::SendSnapshot>(fx).front().to, kA2);
    m.onLinkDown(kA2);
    fx = m.takeEffects();
    ASSERT_EQ(only<effect::Connect>(fx).size(), 1);
    m.onLinkUp(kA2, 20);
    EXPECT_EQ(only<effect::SendSnapshot>(m.takeEffects()).size(), 1);
}

// ... but A2, reading the stored copy, links only to the SM: without a link of ours, an A2
// that restarted before it answered was never offered the session again. A1 dials A2 while
// presence says it is online and it is not linked, for a stored push only (a linked one
// dials by itself when its link goes).
TEST(HandoffMachine, AStoredPushDialsA2WhenItComesOnline)
{
    HandoffMachine m;
    m.push(kSid, kA2, false, true, 0);
    m.onOnline(kA2, 0, 1); // a push over a link: nothing to do
    EXPECT_FALSE(has<effect::Connect>(m.takeEffects()));
    m.onSeatFailed(kSid, QStringLiteral("declined"));
    (void)m.takeEffects();

    m.push(kSid, kA2, offline(), 0);
    m.onSeatReserved(kSid);
    m.onStored(kSid, true, {});
    (void)m.takeEffects();
    m.onOnline(kA3, 0, 1);
    EXPECT_FALSE(has<effect::Connect>(m.takeEffects()));
    m.onOnline(kA2, 0, 1);
    auto fx = m.takeEffects();
    ASSERT_EQ(only<effect::Connect>(fx).size(), 1);
    EXPECT_EQ(only<effect::Connect>(fx).front().device, kA2);
    m.onLinkUp(kA2, 10);
    EXPECT_EQ(only<effect::SendSnapshot>(m.takeEffects()).size(), 1);
    m.onLinkDown(kA2); // A2 killed: dialed again, the snapshot goes out once it is back
    EXPECT_EQ(only<effect::Connect>(m.takeEffects()).size(), 1);
    m.onOnline(kA2, 20, 1); // the link came up since the last dial: no waiting
    EXPECT_EQ(only<effect::Connect>(m.takeEffects()).size(), 1);
    m.onLinkUp(kA2, 30);
    EXPECT_EQ(only<effect::SendSnapshot>(m.takeEffects()).size(), 1);
}

// An A2 whose presence outlived it (it quit without an offline record) looks online for the
// seat's life: dials that bring no link back off (10, 20, 40, 80, 80 s), and a newer presence
// record of A2's (it published again: it is alive) or a link starts over.
TEST(HandoffMachine, AStoredPushBacksOffDialsThatBringNoLink)
{
    HandoffMachine m;
    m.push(kSid, kA2, offline(), 1000);
    m.onSeatReserved(kSid);
    m.onStored(kSid, true, {});
    (void)m.takeEffects();
    QList<Millis> dials;
    for (Millis t = 0; t <= 250'000; t += 2'000) {
        m.onOnline(kA2, t, 1);
        if (has<effect::Connect>(m.takeEffects())) dials.append(t);
    }
    EXPECT_EQ(dials, (QList<Millis>{0, 10'000, 30'000, 70'000, 150'000, 230'000}));

    m.onOnline(kA2, 232'000, 1); // the same record: still waiting
    EXPECT_FALSE(has<effect::Connect>(m.takeEffects()));
    m.onOnline(kA2, 234'000, 2); // A2 published again: dialed at once
    EXPECT_TRUE(has<effect::Connect>(m.takeEffects()));
    m.onOnline(kA2, 236'000, 2);
    EXPECT_FALSE(has<effect::Connect>(m.takeEffects()));
    m.onLinkUp(kA2, 238'000);
    (void)m.takeEffects();
    m.onLinkDown(kA2);
    (void)m.takeEffects();
    m.onOnline(kA2, 240'000, 2); // reached since: the back-off started over
    EXPECT_TRUE(has<effect::Connect>(m.takeEffects()));
}

// Store and forward: A2 offline at the push. The seat is asked for with the push's TTL and
// the snapshot goes to A2's DHT mailbox instead of its link; the seat's end (expiry, or its
// INVITE unanswered) is "did not come online within N s"; A2's decline stays a decline.
TEST(HandoffMachine, AnOfflineDeviceGetsTheSnapshotStoredForTheSeatsLife)
{
    HandoffMachine m;
    HandoffMachine::PushOptions o;
    o.offline = true;
    o.ttl = 20'000;
    m.push(kSid, kA2, o, 0);
    auto fx = m.takeEffects();
    EXPECT_FALSE(has<effect::Connect>(fx));
    ASSERT_EQ(only<effect::Reserve>(fx).size(), 1);
    EXPECT_EQ(only<effect::Reserve>(fx).front().ttl, 20'000);
    EXPECT_TRUE(m.stored(kSid));
    m.onSeatReserved(kSid);
    fx = m.takeEffects();
    EXPECT_FALSE(has<effect::SendSnapshot>(fx));
    ASSERT_EQ(only<effect::StoreSnapshot>(fx).size(), 1);
    EXPECT_EQ(only<effect::StoreSnapshot>(fx).front().to, kA2);
    EXPECT_EQ(only<effect::StoreSnapshot>(fx).front().ttl, 20'000);
    m.onStored(kSid, true, {});
    EXPECT_TRUE(m.takeEffects().isEmpty());
    m.onSeatFailed(kSid, "the reservation expired");
    EXPECT_EQ(failure(m.takeEffects()), "the other device did not come online within 20 s");
    EXPECT_FALSE(m.stage(kSid));

    // It came online and said no: that reason, not "did not come online".
    m.push(kSid, kA2, o, 0);
    m.onSeatReserved(kSid);
    (void)m.takeEffects();
    m.onSeatFailed(kSid, "the other device declined");
    EXPECT_EQ(failure(m.takeEffects()), "the other device declined");
    // It came online in time: done.
    m.push(kSid, kA2, o, 0);
    m.onSeatReserved(kSid);
    (void)m.takeEffects();
    m.onSeatDone(kSid);
    EXPECT_TRUE(has<effect::Done>(m.takeEffects()));
}

TEST(HandoffMachine, ALinkThatNeverComesUpFallsBackToStoreAndForward)
{
    HandoffMachine::Config c;
    c.linkTimeout = 1000;
    c.seatTtl = 60'000;
    HandoffMachine m(c);
    m.push(kSid, kA2, false, false, 0);
    ASSERT_TRUE(has<effect::Connect>(m.takeEffects()));
    m.onTick(1000);
    auto fx = m.takeEffects();
    EXPECT_FALSE(has<effect::Failed>(fx));
    ASSERT_EQ(only<effect::Reserve>(fx).size(), 1);
    EXPECT_EQ(only<effect::Reserve>(fx).front().ttl, 60'000);
    m.onSeatReserved(kSid);
    EXPECT_TRUE(has<effect::StoreSnapshot>(m.takeEffects()));
    // An SM that never ends the seat: A1 withdraws it after the TTL and a link timeout.
    EXPECT_EQ(m.nextDeadline(), 1000 + 60'000 + 1000);
    m.onTick(62'000);
    fx = m.takeEffects();
    EXPECT_TRUE(has<effect::CancelSeat>(fx));
    EXPECT_EQ(failure(fx), "the other device did not come online within 60 s");
}

TEST(HandoffMachine, AStoredSnapshotThatCannotBeStoredWithdrawsTheSeat)
{
    HandoffMachine m;
    m.push(kSid, kA2, offline(), 0);
    m.onSeatReserved(kSid);
    (void)m.takeEffects();
    m.onStored(kSid, false, "the DHT is unreachable");
    const auto fx = m.takeEffects();
    EXPECT_TRUE(has<effect::CancelSeat>(fx));
    EXPECT_EQ(failure(fx),
              "the snapshot could not be stored for the offline device: the DHT is unreachable");
}

TEST(HandoffMachine, AStoredSeatNeverOutlivesWhatTheDhtKeeps)
{
    HandoffMachine m;
    HandoffMachine::PushOptions o;
    o.offline = true;
    o.ttl = 3'600'000;
    m.push(kSid, kA2, o, 0);
    EXPECT_EQ(only<effect::Reserve>(m.takeEffects()).front().ttl,
              HandoffMachine::Config{}.maxStoredTtl);
}

TEST(HandoffMachine, APulledPushDoesNotStoreAndForward)
{
    HandoffMachine::Config c;
    c.linkTimeout = 1000;
    HandoffMachine m(c);
    m.onPull(kSid, kA2, false, true, false, 0);
    (void)m.takeEffects();
    m.onTick(1000);
    const auto fx = m.takeEffects();
    EXPECT_FALSE(has<effect::Reserve>(fx));
    EXPECT_EQ(failure(fx), "the other device could not be reached");
}

TEST(HandoffMachine, TheSeatsEndIsTheReasonA1Hears)
{
    HandoffMachine m;
    m.push(kSid, kA2, false, true, 0);
    ASSERT_TRUE(has<effect::Reserve>(m.takeEffects()));
    m.onSeatReserved(kSid);
    (void)m.takeEffects();
    m.onSeatFailed(kSid, "the other device declined");
    EXPECT_EQ(failure(m.takeEffects()), "the other device declined");
    // Full: refused before any seat.
    m.push(kSid, kA2, false, true, 0);
    (void)m.takeEffects();
    m.onSeatFailed(kSid, "the session is full");
    EXPECT_EQ(failure(m.takeEffects()), "the session is full");
}

TEST(HandoffMachine, ASilentSmEndsInExpiryAndTheSeatIsWithdrawn)
{
    HandoffMachine::Config c;
    c.seatTtl = 5000;
    c.linkTimeout = 1000;
    HandoffMachine m(c);
    m.push(kSid, kA2, true, true, 0);
    EXPECT_TRUE(only<effect::Reserve>(m.takeEffects()).front().keep);
    m.onTick(5999);
    EXPECT_TRUE(m.takeEffects().isEmpty());
    m.onTick(6000);
    const auto fx = m.takeEffects();
    EXPECT_TRUE(has<effect::CancelSeat>(fx));
    EXPECT_EQ(failure(fx), "the reservation expired");
}

TEST(HandoffMachine, OneHandoffPerSessionAtATime)
{
    HandoffMachine m;
    m.push(kSid, kA2, false, true, 0);
    (void)m.takeEffects();
    m.push(kSid, kA3, false, true, 0);
    const auto fx = m.takeEffects();
    EXPECT_FALSE(has<effect::Reserve>(fx));
    EXPECT_EQ(failure(fx), "a hand-off of this session is already under way");
    EXPECT_EQ(m.peer(kSid), kA2);
}

TEST(HandoffMachine, CancelWithdrawsTheSeatAndTheSmsEndIsTheOutcome)
{
    HandoffMachine m;
    m.push(kSid, kA2, false, true, 0);
    (void)m.takeEffects();
    m.cancel(kSid);
    auto fx = m.takeEffects();
    EXPECT_TRUE(has<effect::CancelSeat>(fx));
    EXPECT_FALSE(has<effect::Failed>(fx));
    m.onSeatFailed(kSid, "the hand-off was cancelled");
    EXPECT_EQ(failure(m.takeEffects()), "the hand-off was cancelled");
}

TEST(HandoffMachine, A2OffersOnlyOnceTheInviteAndAVerifiedSnapshotAreBothHere)
{
    for (bool inviteFirst : {true, false}) {
        HandoffMachine m;
        if (inviteFirst) {
            m.onInvite(kSid, kA1, 0);
            EXPECT_TRUE(m.takeEffects().isEmpty());
            m.onSnapshot(kSid, kA1, true, {}, false, 5);
        } else {
            m.onSnapshot(kSid, kA1, true, {}, false, 0);
            EXPECT_TRUE(m.takeEffects().isEmpty());
            m.onInvite(kSid, kA1, 5);
        }
        auto fx = m.takeEffects();
        ASSERT_EQ(only<effect::Offer>(fx).size(), 1) << inviteFirst;
        EXPECT_EQ(only<effect::Offer>(fx).front().from, kA1);
        EXPECT_FALSE(has<effect::Accept>(fx));
        m.answer(kSid, true, 10);
        fx = m.takeEffects();
        EXPECT_TRUE(has<effect::Accept>(fx));
        EXPECT_EQ(m.stage(kSid), Stage::Joining);
        m.onAdmitted(kSid);
        fx = m.takeEffects();
        ASSERT_EQ(only<effect::Done>(fx).size(), 1);
        EXPECT_FALSE(only<effect::Done>(fx).front().pushed);
    }
}

// A copy of the snapshot that reaches A2 after the swap (A1 resent it when their link came
// back, or resumed from a record older than the swap) finds A2 a member already: it opens
// nothing, so no "the session's invitation did not arrive" shows 15 s later.
TEST(HandoffMachine, ALateSnapshotForASessionA2IsInAlreadyIsDropped)
{
    HandoffMachine::Config c;
    c.snapshotTimeout = 100;
    HandoffMachine m(c);
    m.onInvite(kSid, kA1, 0);
    m.onSnapshot(kSid, kA1, true, {}, false, 1);
    m.answer(kSid, true, 2);
    m.onAdmitted(kSid);
    ASSERT_TRUE(has<effect::Done>(m.takeEffects()));

    m.onSnapshot(kSid, kA1, true, {}, true, 10);
    m.onSnapshot(kSid, kA1, false, "its reservation expired", true, 11);
    m.onTick(1'000);
    EXPECT_TRUE(m.takeEffects().isEmpty());
    EXPECT_FALSE(m.stage(kSid).has_value());
}

// A1 cancelled a push it had stored in this device's DHT mailbox and stored a withdrawal
// after it: an offer still open is declined and ends in words; one the user accepted
// stands (the SM's end of the seat ends it); another device's word changes nothing.
TEST(HandoffMachine, AWithdrawnPushIsNoLongerOffered)
{
    HandoffMachine m;
    m.onInvite(kSid, kA1, 0);
    m.onSnapshot(kSid, kA1, true, {}, false, 1);
    ASSERT_TRUE(has<effect::Offer>(m.takeEffects()));
    m.withdraw(kSid, kA3, "taken back");
    EXPECT_TRUE(m.takeEffects().isEmpty());
    m.withdraw(kSid, kA1, "the hand-off was withdrawn on the other device");
    const auto fx = m.takeEffects();
    EXPECT_TRUE(has<effect::Decline>(fx));
    EXPECT_TRUE(failure(fx).contains("withdrawn"));
    EXPECT_FALSE(m.stage(kSid).has_value());

    m.onInvite(kSid, kA1, 10);
    m.onSnapshot(kSid, kA1, true, {}, false, 11);
    m.answer(kSid, true, 12);
    (void)m.takeEffects();
    m.withdraw(kSid, kA1, "the hand-off was withdrawn on the other device");
    EXPECT_TRUE(m.takeEffects().isEmpty());
    EXPECT_EQ(m.stage(kSid), HandoffMachine::Stage::Joining);
}

TEST(HandoffMachine, A2DeclinesARefusedSnapshotAndSaysWhy)
{
    HandoffMachine m;
    m.onInvite(kSid, kA1, 0);
    m.onSnapshot(kSid, kA1, false, "the snapshot's signature does not match its sender", false, 1);
    const auto fx = m.takeEffects();
    EXPECT_TRUE(has<effect::Decline>(fx));
    EXPECT_FALSE(has<effect::Offer>(fx));
    EXPECT_TRUE(failure(fx).contains("signature"));
}

TEST(HandoffMachine, ASnapshotFromAnotherDeviceThanTheSeatsIsIgnored)
{
    HandoffMachine m;
    m.onInvite(kSid, kA1, 0);
    m.onSnapshot(kSid, kA3, true, {}, false, 1);
    EXPECT_TRUE(m.takeEffects().isEmpty());
    EXPECT_EQ(m.stage(kSid), Stage::Waiting);
}

TEST(HandoffMachine, TheUserDeclinesTheOffer)
{
    HandoffMachine m;
    m.onInvite(kSid, kA1, 0);
    m.onSnapshot(kSid, kA1, true, {}, false, 1);
    (void)m.takeEffects();
    m.answer(kSid, false, 2);
    const auto fx = m.takeEffects();
    EXPECT_TRUE(has<effect::Decline>(fx));
    EXPECT_FALSE(has<effect::Accept>(fx));
    EXPECT_EQ(failure(fx), "declined on this device");
}

TEST(HandoffMachine, AnInviteWithoutItsSnapshotIsDeclinedInTime)
{
    HandoffMachine::Config c;
    c.snapshotTimeout = 100;
    HandoffMachine m(c);
    m.onInvite(kSid, kA1, 0);
    m.onTick(100);
    const auto fx = m.takeEffects();
    EXPECT_TRUE(has<effect::Decline>(fx));
    EXPECT_EQ(failure(fx), "the snapshot did not arrive");
}

TEST(HandoffMachine, APullAsksTheDevicesAndAcceptsWithoutAnOffer)
{
    HandoffMachine m;
    m.pull(kSid, {kA1, kA3}, false, 0);
    auto fx = m.takeEffects();
    ASSERT_EQ(only<effect::SendPull>(fx).size(), 2);
    m.onPullAnswer(kSid, kA3, "that device is not in the session");
    EXPECT_TRUE(m.takeEffects().isEmpty()); // kA1 may still push
    m.onSnapshot(kSid, kA1, true, {}, false, 5);
    m.onInvite(kSid, kA1, 6);
    fx = m.takeEffects();
    EXPECT_FALSE(has<effect::Offer>(fx));
    EXPECT_TRUE(has<effect::Accept>(fx));
    m.onAdmitted(kSid);
    EXPECT_TRUE(has<effect::Done>(m.takeEffects()));
}

TEST(HandoffMachine, APullEveryoneRefusesFailsWithTheirReason)
{
    HandoffMachine m;
    m.pull(kSid, {kA1}, false, 0);
    (void)m.takeEffects();
    m.onPullAnswer(kSid, kA1, "that device is not in the session");
    EXPECT_EQ(failure(m.takeEffects()), "that device is not in the session");
    m.pull(kSid, {}, false, 0);
    EXPECT_EQ(failure(m.takeEffects()), "no other device of this account is online");
}

TEST(HandoffMachine, A1AnswersAPullByPushingOrInWords)
{
    HandoffMachine m;
    m.onPull(kSid, kA2, false, false, true, 0);
    auto fx = m.takeEffects();
    ASSERT_EQ(only<effect::SendPullAnswer>(fx).size(), 1);
    EXPECT_FALSE(has<effect::Reserve>(fx));
    m.onPull(kSid, kA2, false, true, true, 0);
    fx = m.takeEffects();
    ASSERT_EQ(only<effect::Reserve>(fx).size(), 1);
    // A pushed pull that fails tells the puller why.
    m.onSeatFailed(kSid, "the session is full");
    fx = m.takeEffects();
    ASSERT_EQ(only<effect::SendPullAnswer>(fx).size(), 1);
    EXPECT_EQ(only<effect::SendPullAnswer>(fx).front().reason, "the session is full");
    EXPECT_EQ(failure(fx), "the session is full");
}

TEST(HandoffMachine, APullWhoseInviteNeverComesFails)
{
    HandoffMachine::Config c;
    c.pullTimeout = 50;
    HandoffMachine m(c);
    m.pull(kSid, {kA1}, false, 0);
    (void)m.takeEffects();
    m.onTick(50);
    EXPECT_EQ(failure(m.takeEffects()), "no other device of this account answered");
}

// Issue 15, the way back: A1 pushed over a link that A2 was closing (A2 had just left the
// session). The snapshot was lost with it and A2, holding only the seat's INVITE, let the
// seat expire. A link lost after the seat was asked: A2 is dialed again, and the snapshot goes
// (again) once the link is back; a copy that did arrive is ignored by A2.
TEST(HandoffMachine, ASnapshotLostWithA2sLinkIsSentAgainOnceTheLinkIsBack)
{
    HandoffMachine m;
    m.push(kSid, kA2, false, true, 0);
    ASSERT_TRUE(has<effect::Reserve>(m.takeEffects()));
    m.onSeatReserved(kSid);
    ASSERT_EQ(only<effect::SendSnapshot>(m.takeEffects()).size(), 1);
    m.onLinkDown(kA3);
    EXPECT_TRUE(m.takeEffects().isEmpty()); // another device's link: nothing to do
    m.onLinkDown(kA2);
    auto fx = m.takeEffects();
    ASSERT_EQ(only<effect::Connect>(fx).size(), 1);
    EXPECT_EQ(only<effect::Connect>(fx).front().device, kA2);
    EXPECT_FALSE(has<effect::Failed>(fx));
    m.onLinkUp(kA2, 100);
    fx = m.takeEffects();
    ASSERT_EQ(only<effect::SendSnapshot>(fx).size(), 1);
    EXPECT_EQ(only<effect::SendSnapshot>(fx).front().to, kA2);
    m.onLinkUp(kA2, 200); // once only
    EXPECT_TRUE(m.takeEffects().isEmpty());
    m.onSeatDone(kSid);
    EXPECT_TRUE(has<effect::Done>(m.takeEffects()));
}

TEST(HandoffMachine, ALinkLostWhileTheSeatIsAskedHoldsTheSnapshotUntilTheLinkIsBack)
{
    HandoffMachine m;
    m.push(kSid, kA2, false, true, 0);
    ASSERT_TRUE(has<effect::Reserve>(m.takeEffects()));
    m.onLinkDown(kA2);
    ASSERT_TRUE(has<effect::Connect>(m.takeEffects()));
    m.onSeatReserved(kSid);
    auto fx = m.takeEffects();
    EXPECT_FALSE(has<effect::SendSnapshot>(fx)) << "sent on no link: lost";
    EXPECT_EQ(m.stage(kSid), Stage::Swapping);
    m.onLinkUp(kA2, 100);
    EXPECT_EQ(only<effect::SendSnapshot>(m.takeEffects()).size(), 1);
}

TEST(HandoffMachine, A1RestartedWithItsSeatCommittedGoesOnFromTheSwap)
{
    HandoffMachine::Config c;
    c.linkTimeout = 1000;
    HandoffMachine m(c);
    m.resume(kSid, kA2, true, 9000, 4000);
    auto fx = m.takeEffects();
    ASSERT_EQ(only<effect::Connect>(fx).size(), 1);
    EXPECT_EQ(only<effect::Connect>(fx).front().device, kA2);
    EXPECT_FALSE(has<effect::Reserve>(fx)) << "the seat is committed already";
    EXPECT_FALSE(has<effect::SendSnapshot>(fx)) << "no link yet";
    EXPECT_EQ(m.stage(kSid), Stage::Swapping);
    EXPECT_EQ(m.peer(kSid), kA2);
    m.resume(kSid, kA3, false, 9000, 4000); // one per session
    EXPECT_TRUE(m.takeEffects().isEmpty());
    m.onLinkUp(kA2, 4100);
    EXPECT_EQ(only<effect::SendSnapshot>(m.takeEffects()).size(), 1);
    m.onSeatDone(kSid);
    fx = m.takeEffects();
    ASSERT_EQ(only<effect::Done>(fx).size(), 1);
    EXPECT_TRUE(only<effect::Done>(fx).front().pushed);

    // The seat's end is what A1 hears; an SM that never says ends it past the seat's expiry.
    m.resume(kSid, kA2, false, 9000, 4000);
    (void)m.takeEffects();
    EXPECT_EQ(m.nextDeadline(), 10000);
    m.onTick(9999);
    EXPECT_TRUE(m.takeEffects().isEmpty());
    m.onTick(10000);
    fx = m.takeEffects();
    EXPECT_TRUE(has<effect::CancelSeat>(fx));
    EXPECT_EQ(failure(fx), "the reservation expired");
    m.resume(kSid, kA2, false, 3000, 4000); // already past: the SM's end is due any moment
    (void)m.takeEffects();
    EXPECT_EQ(m.nextDeadline(), 5000);
    m.onSeatFailed(kSid, "the other device declined");
    EXPECT_EQ(failure(m.takeEffects()), "the other device declined");
}

// What the Node keeps on disk for a restarted A1: its pushes from the first step (linking) to
// the outcome, not A2's side of a hand-off, and not a second push refused while one runs.
TEST(HandoffMachine, PushesListsA1sHandoffsUnderWayFromTheFirstStepToTheOutcome)
{
    HandoffMachine m;
    const SessionId other = SessionId::fromNumber(16);
    m.push(kSid, kA2, true, false, 0);
    ASSERT_EQ(m.pushes().size(), 1);
    EXPECT_EQ(m.pushes().front().sid, kSid);
    EXPECT_EQ(m.pushes().front().device, kA2);
    EXPECT_TRUE(m.pushes().front().keep);
    m.push(kSid, kA3, false, true, 0); // refused: one is under way
    const auto refused = only<effect::Failed>(m.takeEffects());
    ASSERT_EQ(refused.size(), 1);
    EXPECT_EQ(refused.front().device, kA3);
    ASSERT_EQ(m.pushes().size(), 1);
    EXPECT_EQ(m.pushes().front().device, kA2);
    m.onInvite(other, kA3, 5); // A2's side of another session
    EXPECT_EQ(m.pushes().size(), 1);
    m.onLinkUp(kA2, 10);
    m.onSeatFailed(kSid, QStringLiteral("the session is full"));
    EXPECT_TRUE(m.pushes().isEmpty());
}

// NodeCall's call-state rules (docs/media.md "Call control"): CALL_STATE is accepted only from
// a member of the roster and is about its sender; the newest counter wins; a member's first
// state is answered with ours.
#include "node/nodecall.h"

#include "session/outbox.h"
#include "session/sessionrecord.h"
#include "session/ticketauthority.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::protocol;

namespace {

struct NullOutbox : session::Outbox {
    void send(const DeviceId&, const Message&) override {}
    void openLink(const SessionId&, const DeviceId&) override {}
    void closeLink(const SessionId&, const DeviceId&) override {}
    void setTimer(const SessionId&, session::Millis) override {}
    void cancelTimer(const SessionId&) override {}
    void persist(const session::SessionRecord&) override {}
    void forget(const SessionId&) override {}
    void notify(const SessionId&, const session::SessionEvent&) override {}
};

struct NoTickets : session::TicketAuthority {
    QByteArray sign(const QByteArray&) override { return {}; }
    bool verify(const DeviceId&, const QByteArray&, const QByteArray&) override { return false; }
    std::optional<AccountId> accountOf(const DeviceId&) override { return std::nullopt; }
};

MemberInfo info(std::uint64_t n)
{
    MemberInfo m;
    m.device = DeviceId::fromNumber(n);
    m.account = AccountId::fromNumber(100 + n);
    m.name = QStringLiteral("d%1").arg(n);
    return m;
}

class CallState_ : public ::testing::Test {
protected:
    void SetUp() override
    {
        host = std::make_unique<session::SessionHost>(session::SessionConfig{}, info(1), io,
                                                      tickets, [] { return 7ull; });
        sid = *SessionId::fromBytes(QByteArray(16, 'C'));
        session::SessionRecord r;
        r.sid = sid;
        r.committed = RosterSnapshot{{1, 2}, info(1).device, {info(1), info(2)}, {}};
        r.accepted = r.committed;
        host->restore({r}, 1000);
        call = std::make_unique<node::NodeCall>(
            *host,
            [this](const DeviceId& to, const Message& m) {
                sent.append({to, m});
            },
            [](const DeviceId&) { return nullptr; });
    }
    Message state(bool inCall, bool muted, std::uint64_t counter)
    {
        return Message{Header{sid, 1, 2, info(1).device}, CallState{inCall, muted, false, counter}};
    }
    QList<DeviceId> inCall() const
    {
        QList<DeviceId> out;
        for (const auto& m : call->members(sid))
            out.append(m.device);
        return out;
    }

    NullOutbox io;
    NoTickets tickets;
    std::unique_ptr<session::SessionHost> host;
    SessionId sid;
    std::unique_ptr<node::NodeCall> call;
    QList<std::pair<DeviceId, Message>> sent;
};

} // namespace

TEST_F(CallState_, MemberJoinsAndTheNewestCounterWins)
{
    call->onMessage(info(2).device, state(true, false, 10));
    ASSERT_EQ(inCall(), QList<DeviceId>{info(2).device});
    EXPECT_FALSE(call->members(sid).front().muted);
    // Its first word is answered with our state (it may have missed ours while joining).
    ASSERT_EQ(sent.size(), 1);
    EXPECT_EQ(sent.front().first, info(2).device);
    EXPECT_FALSE(std::get<CallState>(sent.front().second.body).inCall);

    call->onMessage(info(2).device, state(true, true, 12));
    EXPECT_TRUE(call->members(sid).front().muted);
    call->onMessage(info(2).device, state(false, false, 11)); // late copy: ignored
    EXPECT_EQ(inCall(), QList<DeviceId>{info(2).device});
    EXPECT_TRUE(call->members(sid).front().muted);
    call->onMessage(info(2).device, state(false, false, 13));
    EXPECT_TRUE(inCall().isEmpty());
    EXPECT_EQ(sent.size(), 1); // answered once only
}

TEST_F(CallState_, NonMemberIsIgnored)
{
    call->onMessage(info(3).device, state(true, false, 10));
    EXPECT_TRUE(inCall().isEmpty());
    EXPECT_TRUE(sent.isEmpty());
    // Nor does anyone speak for this device itself.
    call->onMessage(info(1).device, state(true, false, 10));
    EXPECT_TRUE(inCall().isEmpty());
}

TEST_F(CallState_, MessagesForAnUnknownSessionAreIgnored)
{
    Message m = state(true, false, 10);
    m.header.sid = *SessionId::fromBytes(QByteArray(16, 'X'));
    call->onMessage(info(2).device, m);
    EXPECT_TRUE(call->members(m.header.sid).isEmpty());
    EXPECT_TRUE(inCall().isEmpty());
    EXPECT_TRUE(sent.isEmpty());
}

// Issue 15: A2 standing by for A1's place in the call takes A1's mute and deafen from the
// snapshot, follows what A1 (only A1) says of itself until the swap, tells the members, and
// gets its own settings back if the hand-off fails.
TEST_F(CallState_, AStandbyTakesTheHandedMuteAndGivesItBackIfTheHandoffFails)
{
    const DeviceId a1 = info(3).device;
    call->setDeafened(true); // this device's own setting before the hand-off
    ASSERT_TRUE(call->joinStandby(sid, {info(2).device}, CallState{true, true, false, 5}, a1));
    EXPECT_TRUE(call->onStandby(sid));
    EXPECT_FALSE(call->activeCall().has_value());
    EXPECT_TRUE(call->muted());
    EXPECT_FALSE(call->deafened());
    ASSERT_FALSE(sent.isEmpty());
    EXPECT_EQ(sent.back().first, info(2).device);
    EXPECT_TRUE(std::get<CallState>(sent.back().second.body).muted);

    // A1 unmutes while A2 stands by: A2 follows, and says so to the members.
    sent.clear();
    call->onMessage(a1,
                    Message{Header{sid, 1, 2, info(1).device}, CallState{true, false, false, 6}});
    EXPECT_FALSE(call->muted());
    ASSERT_FALSE(sent.isEmpty());
    EXPECT_FALSE(std::get<CallState>(sent.back().second.body).muted);
    // A member's state is its own, not this device's.
    call->onMessage(info(2).device, state(true, true, 7));
    EXPECT_FALSE(call->muted());

    call->endStandby(sid);
    EXPECT_FALSE(call->onStandby(sid));
    EXPECT_FALSE(call->muted());
    EXPECT_TRUE(call->deafened()); // as before the standby
}

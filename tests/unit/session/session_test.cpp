// One Session driven by hand through a recording Outbox: the rules that are easiest to see
// message by message (§5.1 rules 1 and 6).
#include "session/roster.h"
#include "session/session.h"
#include "session/sessionhost.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::session;
using namespace plenum::protocol;

namespace {

struct Recorder : Outbox {
    std::vector<std::pair<DeviceId, Message>> sent;
    std::optional<Millis> timer;
    std::vector<SessionRecord> persisted;
    std::vector<SessionEvent> events;
    void send(const DeviceId& to, const Message& m) override { sent.push_back({to, m}); }
    void openLink(const SessionId&, const DeviceId&) override {}
    void closeLink(const SessionId&, const DeviceId&) override {}
    void setTimer(const SessionId&, Millis at) override { timer = at; }
    void cancelTimer(const SessionId&) override { timer.reset(); }
    void persist(const SessionRecord& r) override { persisted.push_back(r); }
    void forget(const SessionId&) override {}
    void notify(const SessionId&, const SessionEvent& e) override { events.push_back(e); }
    template <typename T> const T* last(const DeviceId& to) const
    {
        for (auto it = sent.rbegin(); it != sent.rend(); ++it)
            if (it->first == to)
                if (const auto* b = std::get_if<T>(&it->second.body)) return b;
        return nullptr;
    }
};

// Signatures are "signed-by-<device>" so a forged ticket is easy to make.
struct PlainTickets : TicketAuthority {
    DeviceId self;
    QByteArray sign(const QByteArray& data) override { return self.toBytes() + data; }
    bool verify(const DeviceId& signer, const QByteArray& data, const QByteArray& sig) override
    {
        return sig == signer.toBytes() + data;
    }
    // info(n)'s device verifies as info(n)'s account unless `verified` says otherwise.
    QHash<DeviceId, AccountId> verified;
    std::optional<AccountId> accountOf(const DeviceId& d) override
    {
        if (auto it = verified.constFind(d); it != verified.constEnd()) return it.value();
        for (std::uint64_t n = 0; n < 64; ++n)
            if (DeviceId::fromNumber(n) == d) return AccountId::fromNumber(100 + n);
        return std::nullopt;
    }
};

MemberInfo info(std::uint64_t n)
{
    MemberInfo m;
    m.device = DeviceId::fromNumber(n);
    m.account = AccountId::fromNumber(100 + n);
    m.name = QStringLiteral("d%1").arg(n);
    return m;
}

class OneSession : public ::testing::Test {
protected:
    void SetUp() override
    {
        tickets.self = info(1).device;
        sid = *SessionId::fromBytes(QByteArray(16, 'S'));
        s = Session::create({}, info(1), sid, SessionDeps{out, tickets, [] { return 42ull; }}, 0);
    }
    Message msg(Body body, std::uint64_t epoch = 1, std::uint64_t version = 1)
    {
        return Message{Header{sid, epoch, version, info(1).device}, std::move(body)};
    }
    Recorder out;
    PlainTickets tickets;
    SessionId sid;
    std::unique_ptr<Session> s;
};

} // namespace

TEST_F(OneSession, CreatorIsSmAtEpochOneVersionOne)
{
    EXPECT_TRUE(s->isSm());
    EXPECT_EQ(s->committed().at, (RosterStamp{1, 1}));
    ASSERT_FALSE(out.persisted.empty());
    EXPECT_EQ(out.persisted.back().accepted.members.size(), 1);
}

TEST_F(OneSession, InviteCarriesTheExactRosterAndASignedTicket)
{
    s->invite(info(2).account, {info(2).device}, 10);
    const auto* inv = out.last<Invite>(info(2).device);
    ASSERT_NE(inv, nullptr);
    EXPECT_EQ(inv->endpoints, s->committed().members);
    EXPECT_EQ(inv->ticket.joiner, info(2).device);
    EXPECT_TRUE(
        tickets.verify(info(1).device, ticketSigningBytes(inv->ticket), inv->ticket.signature));
}

TEST_F(OneSession, JoinWithAForgedTicketIsRefused)
{
    Ticket forged{sid, {1, 1}, info(3).device, info(1).device, QByteArray("nope")};
    s->onLinkUp(info(3).device, 5);
    s->onMessage(info(3).device, msg(Join{forged, info(3)}), 6);
    const auto* answer = out.last<JoinAnswer>(info(3).device);
    ASSERT_NE(answer, nullptr);
    EXPECT_EQ(answer->code, Code::Forbidden);
}

TEST_F(OneSession, JoinWithTheSmsTicketIsAnswered200)
{
    Ticket t{sid, {1, 1}, info(3).device, info(1).device, {}};
    t.signature = tickets.sign(ticketSigningBytes(t));
    s->onLinkUp(info(3).device, 5);
    s->onMessage(info(3).device, msg(Join{t, info(3)}), 6);
    const auto* answer = out.last<JoinAnswer>(info(3).device);
    ASSERT_NE(answer, nullptr);
    EXPECT_EQ(answer->code, Code::Ok);
    EXPECT_EQ(s->committed().members.size(), 1) << "seen joining is not committed (flicker)";
}

// Issue 13: a ticket is good for one admission, not for the rest of its epoch.
TEST_F(OneSession, JoinWithAnExpiredTicketIsRefusedAndOneJustInTimeIsNot)
{
    const Millis margin = 30000; // Session::kTicketClockMargin: clocks of two devices differ
    Ticket t{sid, {1, 1}, info(3).device, info(1).device, {}, 1000};
    t.signature = tickets.sign(ticketSigningBytes(t));
    s->onLinkUp(info(3).device, 5);
    s->onMessage(info(3).device, msg(Join{t, info(3)}), 1000 + margin);
    const auto* inTime = out.last<JoinAnswer>(info(3).device);
    ASSERT_NE(inTime, nullptr);
    EXPECT_EQ(inTime->code, Code::Ok);
    s->onMessage(info(3).device, msg(Join{t, info(3)}), 1000 + margin + 1);
    const auto* late = out.last<JoinAnswer>(info(3).device);
    ASSERT_NE(late, nullptr);
    EXPECT_EQ(late->code, Code::Forbidden);
    // The expiry is signed: moving it on breaks the SM's signature.
    Ticket moved = t;
    moved.expiresAtMs = 1000000;
    s->onMessage(info(3).device, msg(Join{moved, info(3)}), 1000 + margin + 2);
    EXPECT_EQ(out.last<JoinAnswer>(info(3).device)->code, Code::Forbidden);
}

TEST_F(OneSession, TheSmsTicketExpiresWhenItsAdmissionWould)
{
    s->invite(info(2).account, {info(2).device}, 10);
    const auto* inv = out.last<Invite>(info(2).device);
    ASSERT_NE(inv, nullptr);
    EXPECT_EQ(inv->ticket.expiresAtMs, std::uint64_t(10 + SessionConfig{}.inviteTimeout));
}

TEST_F(OneSession, SecondAdmissionWaitsForTheFirst)
{
    s->invite(info(2).account, {info(2).device}, 10);
    s->invite(info(3).account, {info(3).device}, 11);
    EXPECT_NE(out.last<Invite>(info(2).device), nullptr);
    EXPECT_EQ(out.last<Invite>(info(3).device), nullptr) << "one admission at a time (rule 5)";
    EXPECT_EQ(s->queuedChanges(), 1u);
}

TEST_F(OneSession, AnInviteNoOneAnswersEndsAs480)
{
    s->invite(info(2).account, {info(2).device}, 10);
    ASSERT_TRUE(out.timer.has_value());
    s->onTick(10 + SessionConfig{}.inviteTimeout);
    bool offline = false;
    for (const auto& e : out.events)
        if (const auto* r = std::get_if<event::InviteResult>(&e))
            offline |= r->code == Code::Offline;
    EXPECT_TRUE(offline);
    EXPECT_NE(out.last<Cancel>(info(2).device), nullptr);
}

// Identity binding (§5.1 rule 6, issue 13): the SM invites d2 (account 102) and admits it.
// The answer claims `claimed`; the roster must name the account of d2's verified chain.
class Admission : public OneSession {
protected:
    void admitTwoClaiming(const AccountId& claimed)
    {
        s->invite(info(2).account, {info(2).device}, 10);
        MemberInfo claim = info(2);
        claim.account = claimed;
        claim.name = QStringLiteral("Alice");
        s->onLinkUp(info(2).device, 11);
        s->onMessage(info(2).device, msg(InviteAnswer{Code::Ok, claim}), 12);
        Joined j;
        j.linked = {info(1).device};
        j.endpointsAt = {1, 1};
        s->onMessage(info(2).device, msg(Joined{j}), 13);
    }
    std::optional<MemberInfo> rosterEntry(std::uint64_t n) const
    {
        for (const MemberInfo& m : s->committed().members)
            if (m.device == info(n).device) return m;
        return std::nullopt;
    }
};

TEST_F(Admission, InviteAnswerClaimingAnotherAccountJoinsUnderItsVerifiedAccount)
{
    admitTwoClaiming(AccountId::fromNumber(999)); // "I am Alice's"
    const auto entry = rosterEntry(2);
    ASSERT_TRUE(entry) << "the invited device was not admitted";
    EXPECT_EQ(entry->account, info(2).account) << "the roster names the claimed account";
}

TEST_F(Admission, DeviceOfAnotherAccountAnsweringTheInviteIsRefused)
{
    // d2's verified chain belongs to account 777, not the invited 102 (a device that got an
    // invitation meant for someone else's account).
    tickets.verified.insert(info(2).device, AccountId::fromNumber(777));
    admitTwoClaiming(info(2).account);
    EXPECT_FALSE(rosterEntry(2)) << "a device of another account joined";
    const auto* cancel = out.last<Cancel>(info(2).device);
    ASSERT_NE(cancel, nullptr);
    EXPECT_EQ(cancel->code, Code::Forbidden);
}

TEST_F(Admission, RejoinFromADeviceThatWasNeverInTheSessionIsRefused)
{
    MemberInfo stranger = info(5);
    stranger.account = info(2).account; // in a member's name
    s->onLinkUp(info(5).device, 11);
    s->onMessage(info(5).device, msg(Rejoin{stranger}), 12);
    EXPECT_EQ(out.last<Invite>(info(5).device), nullptr) << "a stranger was invited by REJOIN";
    EXPECT_EQ(s->queuedChanges(), 0u);
}

TEST_F(Admission, HelloGoesToMembersOnly)
{
    s->onLinkUp(info(6).device, 11);
    EXPECT_EQ(out.last<Hello>(info(6).device), nullptr) << "a stranger's link got our HELLO";
}

// One liveness ping (issue 11): the PING a member owes a linked member is what the transport
// puts on its own ping (Session::pingTo); with pingsOnLinks the session's timer sends none.
TEST_F(Admission, PingToNamesTheHeaderForLinkedMembersOnly)
{
    admitTwoClaiming(info(2).account);
    ASSERT_TRUE(rosterEntry(2));
    s->onLinkUp(info(5).device, 14); // a stranger's link
    const auto ping = s->pingTo(info(2).device);
    ASSERT_TRUE(ping);
    EXPECT_TRUE(std::holds_alternative<Ping>(ping->body));
    EXPECT_EQ(ping->header.sid, sid);
    EXPECT_EQ(ping->header.epoch, s->epoch());
    EXPECT_EQ(ping->header.version, s->committed().at.version);
    EXPECT_EQ(ping->header.sm, info(1).device);
    EXPECT_FALSE(s->pingTo(info(5).device)) << "a stranger would learn the session";
    EXPECT_FALSE(s->pingTo(info(1).device));
    s->onLinkDown(info(2).device, 15);
    EXPECT_FALSE(s->pingTo(info(2).device)) << "no link, no ping";
    // By default the session's own timer pings (the simulator's transport has no pings).
    s->onLinkUp(info(2).device, 16);
    out.sent.clear();
    s->onTick(16 + 2 * SessionConfig{}.pingInterval);
    EXPECT_NE(out.last<Ping>(info(2).device), nullptr);
}

TEST_F(Admission, PingsOnLinksSilencesThePingTimer)
{
    SessionConfig config;
    config.pingsOnLinks = true;
    s = Session::create(config, info(1), sid, SessionDeps{out, tickets, [] { return 42ull; }}, 0);
    admitTwoClaiming(info(2).account);
    ASSERT_TRUE(rosterEntry(2));
    out.sent.clear();
    for (Millis t = 20; t < 20 + 8 * config.pingInterval; t += config.pingInterval / 2)
        s->onTick(t);
    EXPECT_EQ(out.last<Ping>(info(2).device), nullptr) << "two pings side by side";
    EXPECT_TRUE(s->pingTo(info(2).device));
}

// Issue 13: a stranger's INVITEs each create a session object; only a few per sender wait.
TEST(SessionHostLimits, InviteFloodFromOneSenderIsCapped)
{
    Recorder out;
    PlainTickets tickets;
    tickets.self = info(1).device;
    SessionHost host({}, info(1), out, tickets, [] { return 7ull; });
    const DeviceId mallory = info(9).device;
    for (int i = 0; i < SessionHost::kMaxInvitesPerSender + 3; ++i) {
        const SessionId sid = *SessionId::fromBytes(QByteArray(16, char('a' + i)));
        Ticket t{sid, {1, 1}, info(1).device, mallory, {}};
        Invite inv{{info(9)}, t, std::nullopt, QStringLiteral("Mallory"), {}};
        host.onMessage(mallory, Message{Header{sid, 1, 1, mallory}, inv}, 10 + i);
    }
    EXPECT_EQ(host.sessionIds().size(), SessionHost::kMaxInvitesPerSender);
    const auto* answer = out.last<InviteAnswer>(mallory);
    ASSERT_NE(answer, nullptr);
    EXPECT_EQ(answer->code, Code::Full);
    EXPECT_EQ(host.refusedMessages(), 3u);
    // Another sender is not held back by Mallory's flood.
    const SessionId sid = *SessionId::fromBytes(QByteArray(16, 'z'));
    Ticket t{sid, {1, 1}, info(1).device, info(2).device, {}};
    host.onMessage(info(2).device,
                   Message{Header{sid, 1, 1, info(2).device},
                           Invite{{info(2)}, t, std::nullopt, QStringLiteral("d2"), {}}},
                   20);
    EXPECT_NE(host.session(sid), nullptr);
}

// Issue 15: a device that was offline reads its DHT mailbox in any order. The INVITE of an SM
// that was replaced since (epoch 1), read after the new SM's (epoch 2), must not take over the
// invitation: our JOIN would go to a device that is no longer SM ("the invitation was
// withdrawn"). One of the same or a newer epoch still does (a new SM re-admitting).
TEST(SessionHostInvites, AnOlderEpochsInviteReadAfterANewerOneIsIgnored)
{
    Recorder out;
    PlainTickets tickets;
    tickets.self = info(1).device;
    SessionHost host({}, info(1), out, tickets, [] { return 7ull; });
    const SessionId sid = *SessionId::fromBytes(QByteArray(16, 'h'));
    const auto invite = [&](std::uint64_t sm, std::uint64_t epoch, Millis now) {
        Ticket t{sid, {epoch, 3}, info(1).device, info(sm).device, {}};
        t.signature = tickets.sign(ticketSigningBytes(t));
        Invite inv{{info(2), info(3), info(4)}, t, std::nullopt, info(sm).name, {}};
        host.onMessage(info(sm).device, Message{Header{sid, epoch, 3, info(sm).device}, inv}, now);
    };
    invite(3, 2, 10); // the new SM's
    ASSERT_NE(host.session(sid), nullptr);
    EXPECT_EQ(host.session(sid)->sm(), info(3).device);
    invite(2, 1, 11); // the old SM's, read later
    EXPECT_EQ(host.session(sid)->sm(), info(3).device) << "a replaced SM's INVITE took over";
    EXPECT_EQ(host.session(sid)->epoch(), 2u);
    invite(4, 3, 12); // an SM elected after that
    EXPECT_EQ(host.session(sid)->sm(), info(4).device);
    EXPECT_EQ(host.session(sid)->epoch(), 3u);
}

namespace {

// A device (info(1)) that left a session: its host holds only the tombstone of `r`.
class SessionHostTombstone : public ::testing::Test {
protected:
    SessionHostTombstone() { tickets.self = info(1).device; }
    void leave(SessionRecord r)
    {
        r.sid = sid;
        r.ended = true;
        host.restore({r}, 10);
    }
    // Whether info(n), asking for a snapshot (with `proof`), gets the roster.
    bool ask(std::uint64_t n, std::optional<Roster> proof = std::nullopt)
    {
        out.sent.clear();
        host.onMessage(info(n).device,
                       Message{Header{sid, 2, 3, {}}, SnapshotRequest{std::move(proof)}}, 11);
        EXPECT_NE(out.last<ErrorReply>(info(n).device), nullptr)
            << "d" << n << " is told the session is gone either way";
        return out.last<Roster>(info(n).device) != nullptr;
    }
    Recorder out;
    PlainTickets tickets;
    SessionHost host{{}, info(1), out, tickets, [] { return 7ull; }};
    const SessionId sid = *SessionId::fromBytes(QByteArray(16, 't'));
};

} // namespace

// Issue 13 (docs/security.md): a device that left hands the roster it left with only to who
// may still count it: the members of its last rosters and the devices a committed roster
// removed while it watched (an SM swapped out of its own hand-off holds no roster listing
// itself: --handoff seed 99912). Anyone else who names the session id learns no member.
TEST_F(SessionHostTombstone, HandsItsRosterOnlyToMembersAndFormerMembers)
{
    SessionRecord r;
    r.committed = RosterSnapshot{{2, 4}, info(2).device, {info(1), info(2), info(3)}, {}};
    r.accepted = RosterSnapshot{{2, 5}, info(2).device, {info(1), info(2), info(4)}, {}};
    r.formerMembers = {info(5).device};
    leave(r);
    EXPECT_TRUE(ask(2)) << "a member of both rosters";
    EXPECT_TRUE(ask(3)) << "a member of the committed roster only";
    EXPECT_TRUE(ask(4)) << "a member of the accepted roster only";
    EXPECT_TRUE(ask(5)) << "a device it saw removed";
    EXPECT_FALSE(ask(9)) << "a stranger that names the session id got its members";
}

// A member removed after the tombstone's device left is in none of its sets, and may reach
// nobody but it (--handoff seeds 852659, 955489): it shows the roster that lists it (rule 7's
// proof), signed by an SM the tombstone can vouch for, and gets the roster. A stranger's own
// signature, or a roster that does not list the asker, proves nothing.
TEST_F(SessionHostTombstone, HandsItsRosterToWhoShowsARosterListingIt)
{
    SessionRecord r;
    r.committed = RosterSnapshot{{2, 4}, info(2).device, {info(1), info(2), info(3)}, {}};
    r.accepted = r.committed;
    leave(r);
    const auto proofBy = [&](std::uint64_t signer, const RosterSnapshot& listed) {
        Roster p;
        fillFull(p, listed);
        p.committed = true;
        p.signature =
            DeviceId::fromNumber(signer).toBytes() + rosterSigningBytes(sid, listed, true);
        return p;
    };
    const RosterSnapshot older{{2, 3}, info(2).device, {info(1), info(2), info(3), info(6)}, {}};
    RosterSnapshot byStranger = older;
    byStranger.sm = info(9).device;
    EXPECT_FALSE(ask(6, std::nullopt)) << "no proof";
    EXPECT_TRUE(ask(6, proofBy(2, older))) << "listed by a roster its SM signed";
    EXPECT_FALSE(ask(7, proofBy(2, older))) << "a roster that does not list the asker";
    EXPECT_FALSE(ask(6, proofBy(9, byStranger))) << "signed by an SM it cannot vouch for";
    Roster forged = proofBy(2, older);
    forged.signature = DeviceId::fromNumber(6).toBytes() + rosterSigningBytes(sid, older, true);
    EXPECT_FALSE(ask(6, forged)) << "a signature that is not its SM's";
}

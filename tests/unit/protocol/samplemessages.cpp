#include "samplemessages.h"

namespace plenum::testing {

using namespace protocol;

MemberInfo sampleMember(std::uint64_t n)
{
    MemberInfo m;
    m.device = DeviceId::fromNumber(100 + n);
    m.account = AccountId::fromNumber(200 + n);
    m.name = QStringLiteral("Zoë %1 — 東京").arg(n);
    m.deviceClass = DeviceClass::Laptop;
    m.multiparty = false;
    return m;
}

namespace {

Ticket sampleTicket()
{
    Ticket t;
    t.sid = SessionId::fromNumber(77);
    t.at = {3, 9};
    t.joiner = DeviceId::fromNumber(5);
    t.sm = DeviceId::fromNumber(6);
    t.signature = QByteArray(64, '\x5a');
    return t;
}

template <typename B> Message withHeader(B body)
{
    Message m;
    m.header.sid = SessionId::fromNumber(0xabcdef);
    m.header.epoch = 4;
    m.header.version = 0x1'0000'0001ULL;
    m.header.sm = DeviceId::fromNumber(42);
    m.body = std::move(body);
    return m;
}

} // namespace

std::vector<Message> sampleMessages()
{
    std::vector<Message> out;
    out.push_back(withHeader(Hello{sampleMember(1), 5000}));
    out.push_back(withHeader(Ping{}));
    SessionRules rules;
    rules.capacity = 5;
    rules.inviteOnly = true;
    rules.allow = {AccountId::fromNumber(31), AccountId::fromNumber(32)};
    rules.block = {AccountId::fromNumber(33)};
    rules.endsAtMs = 1790000000000;
    rules.owner = AccountId::fromNumber(34);
    out.push_back(withHeader(Invite{{sampleMember(1), sampleMember(2)},
                                    sampleTicket(),
                                    DeviceId::fromNumber(9),
                                    QStringLiteral("Ada"),
                                    rules}));
    out.push_back(withHeader(InviteAnswer{Code::Declined, sampleMember(3)}));
    out.push_back(withHeader(Cancel{Code::AlreadyHere}));
    out.push_back(withHeader(
        Refer{7, AccountId::fromNumber(8), {DeviceId::fromNumber(10), DeviceId::fromNumber(11)}}));
    out.push_back(withHeader(ReferAccepted{0xfffffffe}));
    out.push_back(withHeader(Notify{12, Code::SessionNotKnown, DeviceId::fromNumber(13)}));
    out.push_back(withHeader(Join{sampleTicket(), sampleMember(4)}));
    out.push_back(withHeader(JoinAnswer{Code::Forbidden}));
    out.push_back(withHeader(Joined{
        {2, 5}, {DeviceId::fromNumber(1), DeviceId::fromNumber(2)}, {DeviceId::fromNumber(3)}}));
    out.push_back(withHeader(Endpoints{{2, 6}, {sampleMember(5)}, {DeviceId::fromNumber(4)}}));
    Roster roster;
    roster.base = {2, 6};
    roster.at = {2, 7};
    roster.sm = DeviceId::fromNumber(14);
    roster.full = true;
    roster.committed = true;
    roster.change = {RosterChange::Kind::Remove, RosterChange::Reason::Unreachable,
                     sampleMember(6)};
    roster.members = {sampleMember(7), sampleMember(8), sampleMember(9)};
    roster.baton = Baton{sampleMember(8).device, 5};
    roster.signature = QByteArray(64, '\x72');
    out.push_back(withHeader(roster));
    out.push_back(withHeader(RosterAck{{5, 50}}));
    out.push_back(withHeader(Commit{{5, 51}, QByteArray(64, '\x73')}));
    out.push_back(withHeader(SnapshotRequest{roster})); // its membership proof
    out.push_back(withHeader(Bye{Bye::Reason::JoinFailed, RosterStamp{5, 53}, std::nullopt}));
    out.push_back(
        withHeader(Bye{Bye::Reason::Leave, RosterStamp{5, 54}, DeviceId::fromNumber(16), 7}));
    out.push_back(withHeader(Rejoin{sampleMember(10)}));
    out.push_back(withHeader(LinkReport{DeviceId::fromNumber(15), false}));
    out.push_back(withHeader(RequestSm{6, 0xc000'0000'1234'5678ULL, {5, 52}}));
    out.push_back(
        withHeader(Vote{6, true, Vote::Refusal::UnknownCandidate, QByteArray(64, '\x76')}));
    out.push_back(withHeader(SetSm{6,
                                   {{DeviceId::fromNumber(31), QByteArray(64, '\x77')},
                                    {DeviceId::fromNumber(32), QByteArray(64, '\x78')}}}));
    out.push_back(withHeader(Stale{}));
    out.push_back(withHeader(
        ErrorReply{Code::Full, QStringLiteral("the group is full"), RosterStamp{5, 54}, 4}));
    out.push_back(withHeader(ChatMessage{DeviceId::fromNumber(16),
                                         17,
                                         18,
                                         AccountId::fromNumber(19),
                                         QStringLiteral("Hello 👋, world"),
                                         {DeviceId::fromNumber(20), DeviceId::fromNumber(21)},
                                         QByteArray(64, '\x5a')}));
    out.push_back(withHeader(ChatAck{DeviceId::fromNumber(22), 23}));
    out.push_back(withHeader(Typing{QStringLiteral("I was just about to s"), true}));
    out.push_back(
        withHeader(HighWater{{{DeviceId::fromNumber(24), 25}, {DeviceId::fromNumber(26), 27}},
                             {{DeviceId::fromNumber(24), 3}}}));
    out.push_back(withHeader(ChatPull{DeviceId::fromNumber(28), 29, 30}));
    out.push_back(withHeader(CallState{true, true, false, 31}));
    out.push_back(withHeader(CallProbe{32, true}));
    out.push_back(withHeader(BrowseNavigate{6, 31, QStringLiteral("https://example.org/a"),
                                            QStringLiteral("A"), false}));
    out.push_back(withHeader(BrowseScroll{6, 32, 0, 2500}));
    out.push_back(withHeader(BatonRequest{33}));
    out.push_back(withHeader(BatonPass{DeviceId::fromNumber(34), 35}));
    out.push_back(withHeader(BatonRefused{36, BatonRefused::Reason::Dropped}));
    // Hand-off (wire types 40-42) and the roster fields it adds.
    const Reservation seat{DeviceId::fromNumber(40), DeviceId::fromNumber(41),
                           AccountId::fromNumber(42), 1790000060000, true};
    Roster swap;
    swap.base = {3, 8};
    swap.at = {3, 9};
    swap.sm = DeviceId::fromNumber(43);
    swap.change = {RosterChange::Kind::Swap, RosterChange::Reason::Joined, sampleMember(11), seat};
    out.push_back(withHeader(swap));
    Roster seats = roster;
    seats.reservations = QList<Reservation>{seat};
    out.push_back(withHeader(seats));
    Invite handoff{{sampleMember(1)}, sampleTicket(), std::nullopt, QStringLiteral("Ada"), rules};
    handoff.handoff = seat;
    out.push_back(withHeader(handoff));
    out.push_back(withHeader(HandoffReserve{DeviceId::fromNumber(44), 60000, true}));
    out.push_back(withHeader(
        HandoffAnswer{DeviceId::fromNumber(45), Code::Full, QStringLiteral("the group is full")}));
    out.push_back(withHeader(HandoffCancel{DeviceId::fromNumber(46)}));
    HandoffSnapshot snapshot;
    snapshot.seat = seat;
    snapshot.at = {3, 9};
    snapshot.sm = DeviceId::fromNumber(47);
    snapshot.epoch = 3;
    snapshot.members = {sampleMember(12), sampleMember(13)};
    snapshot.history = {ChatMessage{DeviceId::fromNumber(48),
                                    2,
                                    7,
                                    AccountId::fromNumber(49),
                                    QStringLiteral("see you on the phone"),
                                    {},
                                    QByteArray(64, '\x61')}};
    snapshot.lastSeqs = {{DeviceId::fromNumber(48), 2}};
    snapshot.call = {true, false, true, 5};
    snapshot.plainTyping = true;
    snapshot.priority = 2;
    snapshot.signature = QByteArray(64, '\x62');
    out.push_back(withHeader(snapshot));
    out.push_back(withHeader(HandoffPull{true}));
    out.push_back(withHeader(
        HandoffPullAnswer{Code::NotFound, QStringLiteral("that device is not in the session")}));
    out.push_back(withHeader(RelaySignal{DeviceId::fromNumber(50), QByteArray(300, '\x50'), true}));
    out.push_back(withHeader(RelayKeyRequest{DeviceId::fromNumber(51)}));
    out.push_back(withHeader(
        RelayKey{DeviceId::fromNumber(52), QByteArray(40, '\x52'), QByteArray(41, '\x53')}));
    out.push_back(withHeader(
        RelayFailed{DeviceId::fromNumber(53), QStringLiteral("no link to that device")}));
    // A member's own word that it asked for an invitation (issue 13): REFER and INVITE.
    out.push_back(withHeader(Refer{54,
                                   AccountId::fromNumber(55),
                                   {DeviceId::fromNumber(56)},
                                   QByteArray(64, '\x63'),
                                   1'800'000'000'000}));
    Invite referred{
        {sampleMember(1)}, sampleTicket(), DeviceId::fromNumber(57), QStringLiteral("Ada"), {}};
    referred.referral =
        Referral{QByteArray(64, '\x64'), QByteArray(300, '\x65'), QByteArray(310, '\x66'),
                 QByteArray(320, '\x67'), 1'800'000'000'000};
    out.push_back(withHeader(referred));
    return out;
}

} // namespace plenum::testing

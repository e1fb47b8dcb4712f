// decode() refuses every kind of malformed input with a sentence, and never crashes.

#include "samplemessages.h"

#include "protocol/claims.h"
#include "protocol/codec.h"
#include "protocol/limits.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QCborValue>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::protocol;
using plenum::testing::sampleMessages;

namespace {

Message sample(std::size_t typeNumber)
{
    for (auto& m : sampleMessages())
        if (messageType(m.body) == typeNumber) return m;
    return {};
}
constexpr std::size_t kHello = 1, kInvite = 3, kRoster = 13, kBye = 17, kError = 24, kChat = 25,
                      kHighWater = 28, kPull = 29, kCallState = 30, kNavigate = 32, kScroll = 33,
                      kBatonRefused = 36;

// Tests build malformed maps with QCborMap: trusted input, so fromCbor is fine here.
QCborMap asMap(const Message& m)
{
    return QCborValue::fromCbor(encode(m)).toMap();
}
QByteArray bytesOf(const QCborMap& map)
{
    return QCborValue(map).toCbor();
}

// Expects decode to fail with an error containing `fragment`.
void expectRejected(const QByteArray& bytes, const char* fragment)
{
    auto r = decode(bytes);
    ASSERT_FALSE(r.ok()) << "accepted, expected an error containing: " << fragment;
    EXPECT_TRUE(r.error().contains(QLatin1String(fragment)))
        << "error was: " << r.error().toStdString() << "\nexpected to contain: " << fragment;
}

QCborArray memberArray(int n)
{
    QCborArray members;
    for (int i = 0; i < n; ++i)
        members.append(asMap(sample(kHello)).value(10)); // a valid MemberInfo map
    return members;
}

} // namespace

TEST(CodecReject, WrongProtocolVersion)
{
    QCborMap m = asMap(sample(kHello));
    m[0] = 5; // before membership proofs (docs/protocol.md "Versions")
    expectRejected(bytesOf(m), "uses protocol version 5; this device speaks version 6");
}

TEST(CodecReject, UnknownMessageType)
{
    QCborMap m = asMap(sample(kHello));
    m[1] = 999;
    expectRejected(bytesOf(m), "message type 999 is unknown");
    m[1] = 0;
    expectRejected(bytesOf(m), "message type 0 is unknown");
}

TEST(CodecReject, MissingBodyField)
{
    QCborMap m = asMap(sample(kHello));
    m.remove(10);
    expectRejected(bytesOf(m), "HELLO: the required field \"sender\" (key 10) is missing.");
}

TEST(CodecReject, MissingHeaderField)
{
    QCborMap m = asMap(sample(kBye));
    m.remove(2);
    expectRejected(bytesOf(m), "BYE: the required field \"session id\" (key 2) is missing.");
    m = asMap(sample(kBye));
    m.remove(0);
    expectRejected(bytesOf(m), "\"protocol version\" (key 0) is missing");
}

TEST(CodecReject, WrongFieldType)
{
    QCborMap m = asMap(sample(kHello));
    m[11] = QStringLiteral("250");
    expectRejected(bytesOf(m),
                   "HELLO: ping interval should be an unsigned integer, not a text string.");
    m[11] = -5;
    expectRejected(bytesOf(m), "not a negative integer");
    m[11] = 2.5;
    expectRejected(bytesOf(m), "floating-point");
}

TEST(CodecReject, IntegerOutOfRange)
{
    QCborMap m = asMap(sample(kHello));
    m[11] = qint64(1) << 33;
    expectRejected(
        bytesOf(m),
        "HELLO: ping interval is 8589934592, more than the largest allowed value 4294967295.");
}

TEST(CodecReject, InvalidEnumValues)
{
    QCborMap m = asMap(sample(kBye));
    m[10] = 7;
    expectRejected(bytesOf(m), "BYE: reason has the invalid value 7.");
    m = asMap(sample(kError));
    m[10] = 404 + 1;
    expectRejected(bytesOf(m), "ERROR: code has the invalid value 405.");
    m = asMap(sample(kHello));
    QCborMap self = m[10].toMap();
    self[3] = 9;
    m[10] = self;
    expectRejected(bytesOf(m), "HELLO: sender: device class has the invalid value 9.");
}

TEST(CodecReject, TrailingBytes)
{
    QByteArray bytes = encode(sample(kHello));
    bytes.append('\0');
    expectRejected(bytes, "1 trailing bytes");
}

TEST(CodecReject, DuplicateKeys)
{
    QByteArray bytes;
    QCborStreamWriter w(&bytes);
    w.startMap(7);
    for (quint64 key : {0, 1, 2, 3, 4, 5, 3}) {
        w.append(key);
        if (key == 0)
            w.append(quint64(1));
        else if (key == 1)
            w.append(quint64(2)); // PING
        else if (key == 2)
            w.append(QByteArray(16, 'a'));
        else if (key == 5)
            w.append(QByteArray(32, 'b'));
        else
            w.append(quint64(1));
    }
    w.endMap();
    expectRejected(bytes, "The key 3 appears twice in one map.");
}

TEST(CodecReject, UnknownRequiredFieldButNotExtension)
{
    QCborMap m = asMap(sample(kHello));
    m[99] = 1;
    expectRejected(bytesOf(m), "HELLO: has an unknown required field with key 99");

    m = asMap(sample(kHello));
    m[1000] = QStringLiteral("an optional extension");
    QCborMap self = m[10].toMap();
    self[1001] = QCborArray{1, 2, 3};
    m[10] = self;
    auto r = decode(bytesOf(m));
    EXPECT_TRUE(r.ok()) << r.error().toStdString();

    self[7] = true; // unknown required key inside a nested struct
    m[10] = self;
    expectRejected(bytesOf(m), "HELLO: sender: has an unknown required field with key 7");
}

TEST(CodecReject, ListTooLong)
{
    QCborMap m = asMap(sample(kRoster));
    m[16] = memberArray(70);
    expectRejected(bytesOf(m), "ROSTER: member list has 70 entries, the limit is 64.");
}

TEST(CodecReject, StringsTooLong)
{
    Message hello = sample(kHello);
    std::get<Hello>(hello.body).self.name = QString(65, QChar(0x00e9)); // 130 UTF-8 bytes
    expectRejected(encode(hello), "HELLO: sender: name has 130 UTF-8 bytes, the limit is 128.");

    Message invite = sample(kInvite);
    std::get<Invite>(invite.body).ticket.signature = QByteArray(513, 's');
    expectRejected(encode(invite), "INVITE: ticket: signature has 513 bytes, the limit is 512.");

    Message roster = sample(kRoster);
    std::get<Roster>(roster.body).signature = QByteArray(513, 's');
    expectRejected(encode(roster), "ROSTER: signature has 513 bytes, the limit is 512.");
    Message commit = sample(15);
    std::get<Commit>(commit.body).signature = QByteArray(513, 's');
    expectRejected(encode(commit), "COMMIT: signature has 513 bytes, the limit is 512.");
}

TEST(CodecReject, IdsMustHaveExactSize)
{
    QCborMap m = asMap(sample(kRoster));
    m[12] = QByteArray(31, 'x');
    expectRejected(bytesOf(m), "ROSTER: session manager must be exactly 32 bytes, not 31.");
    m = asMap(sample(kRoster));
    m[2] = QByteArray(32, 'x');
    expectRejected(bytesOf(m), "ROSTER: session id must be exactly 16 bytes, not 32.");
}

TEST(CodecReject, ListEntryErrorsNameTheEntry)
{
    QCborMap m = asMap(sample(kRoster));
    QCborArray members = memberArray(3);
    QCborMap bad = members[2].toMap();
    bad[1] = QByteArray(3, 'x');
    members[2] = bad;
    m[16] = members;
    expectRejected(bytesOf(m), "ROSTER: member list entry 2: account must be exactly 32 bytes");
}

TEST(CodecReject, MessageTooLarge)
{
    QCborMap m = asMap(sample(kHello));
    m[1000] = QByteArray(int(limits::kMaxMessageBytes), 'x');
    expectRejected(bytesOf(m), "the limit is 65536");
}

TEST(CodecReject, NestingTooDeep)
{
    QCborValue deep(1);
    for (int i = 0; i < 10; ++i)
        deep = QCborArray{deep};
    QCborMap m = asMap(sample(kHello));
    m[1000] = deep;
    expectRejected(bytesOf(m), "nests deeper than");
}

TEST(CodecReject, LyingLengthsAreCaughtBeforeAllocating)
{
    // A byte string that claims 2^40 bytes, and an array that claims 2^32 items.
    const QByteArray prefix = encode(sample(kHello)).left(1);
    QByteArray hugeString = QByteArray::fromHex("a1190fa0"); // map{4000: ...}
    hugeString += QByteArray::fromHex("5b0000010000000000");
    expectRejected(hugeString, "declares 1099511627776 bytes");
    QByteArray hugeArray = QByteArray::fromHex("a1190fa0");
    hugeArray += QByteArray::fromHex("9b0000000100000000");
    expectRejected(hugeArray, "declares 4294967296 entries");
    (void)prefix;
}

TEST(CodecReject, IndefiniteLengthsTagsAndNonMaps)
{
    expectRejected(QByteArray::fromHex("bf00ff"), "indefinite-length map");
    expectRejected(QByteArray::fromHex("a100c11a5f000000"), "CBOR tag");
    expectRejected(QByteArray::fromHex("8101"), "is an array, not a CBOR map");
    expectRejected(QByteArray(), "empty");
    expectRejected(QByteArray::fromHex("a1f703"), "map key is not an unsigned integer");
}

TEST(CodecReject, InvalidUtf8)
{
    QByteArray bytes = encode(sample(kError));
    const QByteArray text = "the group is full";
    const qsizetype at = bytes.indexOf(text);
    ASSERT_GT(at, 0);
    bytes[at + 2] = char(0xc0); // overlong / invalid lead byte
    expectRejected(bytes, "not valid UTF-8");
}

TEST(CodecReject, EveryTruncationFailsCleanly)
{
    for (const auto& m : sampleMessages()) {
        const QByteArray bytes = encode(m);
        for (qsizetype n = 0; n < bytes.size(); ++n)
            EXPECT_FALSE(decode(bytes.left(n)).ok()) << messageName(m.body) << " cut at " << n;
    }
}

TEST(CodecReject, ChatTextTooLong)
{
    Message chat = sample(kChat);
    std::get<ChatMessage>(chat.body).text = QString(16 * 1024 + 1, QLatin1Char('a'));
    expectRejected(encode(chat), "CHAT: text has 16385 UTF-8 bytes, the limit is 16384.");
    std::get<ChatMessage>(chat.body).text = QString(16 * 1024, QLatin1Char('a'));
    EXPECT_TRUE(decode(encode(chat)).ok());
}

TEST(CodecReject, CallStateCounterIsBounded)
{
    Message state = sample(kCallState);
    EXPECT_TRUE(decode(encode(state)).ok());
    std::get<CallState>(state.body).counter = 0;
    expectRejected(encode(state), "CALL_STATE: the call state counter starts at 1");
    std::get<CallState>(state.body).counter = std::uint64_t(1) << 62;
    expectRejected(encode(state), "CALL_STATE: the call state counter is 2^62 or more.");
    std::get<CallState>(state.body).counter = (std::uint64_t(1) << 62) - 1;
    EXPECT_TRUE(decode(encode(state)).ok());
}

TEST(CodecReject, ChatRulesAcrossFields)
{
    Message chat = sample(kChat);
    std::get<ChatMessage>(chat.body).seq = 0;
    expectRejected(encode(chat), "CHAT: seq and lamport clock start at 1");
    chat = sample(kChat);
    auto& recipients = std::get<ChatMessage>(chat.body).recipients;
    recipients.append(recipients.front());
    expectRejected(encode(chat), "CHAT: the recipient list repeats a device.");

    Message pull = sample(kPull);
    std::get<ChatPull>(pull.body).fromSeq = 40;
    expectRejected(encode(pull), "CHAT_PULL: the range 40..30 is empty");
    std::get<ChatPull>(pull.body) = {DeviceId::fromNumber(1), 1, 5000};
    expectRejected(encode(pull), "spans more than 1024 messages");

    Message hw = sample(kHighWater);
    auto& marks = std::get<HighWater>(hw.body).marks;
    marks.append(marks.front());
    expectRejected(encode(hw), "HIGH_WATER: a sender appears twice in one list.");
}

TEST(CodecReject, TooManyRecipients)
{
    Message chat = sample(kChat);
    auto& recipients = std::get<ChatMessage>(chat.body).recipients;
    recipients.clear();
    for (int i = 0; i < 65; ++i)
        recipients.append(DeviceId::fromNumber(1000 + i));
    expectRejected(encode(chat), "CHAT: recipient list has 65 entries, the limit is 64.");
}

TEST(CodecReject, Utf8SurrogatesOverlongsAndOutOfRange)
{
    const QByteArray good = encode(sample(kError));
    const QByteArray text = "the group is full";
    const qsizetype at = good.indexOf(text);
    ASSERT_GT(at, 0);
    for (const char* hex : {"eda080", "e08080", "f4908080", "c0af", "80", "f0"}) {
        QByteArray bad = good;
        const QByteArray seq = QByteArray::fromHex(hex);
        bad.replace(at, seq.size(), seq); // same length: the string header stays right
        expectRejected(bad, "not valid UTF-8");
    }
    QByteArray ok = good;
    ok.replace(at, 4, QByteArray::fromHex("f09f918b")); // U+1F44B, four bytes
    EXPECT_TRUE(decode(ok).ok());
}

// Attack: QByteArray::fromHex skips non-digits, so " " + 63 digits parsed as a different id
// (a user pasting or a peer sending a crafted hex id got another device's id).
TEST(IdParsingAttack, HexIdWithASpaceAnd63DigitsIsRejected)
{
    const DeviceId id = DeviceId::fromNumber(0x1234567890abcdefULL);
    const QString hex = id.toHex();
    ASSERT_EQ(DeviceId::fromHex(hex), id);
    EXPECT_EQ(DeviceId::fromHex(hex.toUpper()), id);
    EXPECT_FALSE(DeviceId::fromHex(u' ' + hex.mid(1)));
    EXPECT_FALSE(DeviceId::fromHex(hex.left(63) + u'g'));
    EXPECT_FALSE(DeviceId::fromHex(hex.left(62) + QStringLiteral("\n1")));
    EXPECT_FALSE(DeviceId::fromHex(hex.left(63)));
    EXPECT_FALSE(DeviceId::fromHex(hex + u'0'));
    EXPECT_FALSE(DeviceId::fromHex(QString(64, QChar(0x0660)))); // Arabic-Indic zero
    EXPECT_FALSE(SessionId::fromHex(u'-' + SessionId::fromNumber(7).toHex().mid(1)));
}

// Attack: Mallory's device answered an invitation (or sent JOIN, REJOIN, HELLO) with a
// MemberInfo naming Alice's account or device; the roster entry took the claim as it was.
TEST(IdentityBindingAttack, SelfClaimsMustNameTheSendersDeviceAndChainAccount)
{
    const DeviceId mallory = DeviceId::fromNumber(66);
    const AccountId malloryAccount = AccountId::fromNumber(67);
    const AccountId alice = AccountId::fromNumber(1);
    MemberInfo asAlice{mallory, alice, QStringLiteral("Alice"), DeviceClass::Desktop, true};
    EXPECT_FALSE(
        checkSelfClaim(InviteAnswer{Code::Ok, asAlice}, mallory, malloryAccount).isEmpty());
    EXPECT_FALSE(checkSelfClaim(Join{{}, asAlice}, mallory, malloryAccount).isEmpty());
    EXPECT_FALSE(checkSelfClaim(Rejoin{asAlice}, mallory, malloryAccount).isEmpty());
    EXPECT_FALSE(checkSelfClaim(Hello{asAlice, 250}, mallory, malloryAccount).isEmpty());
    MemberInfo otherDevice{DeviceId::fromNumber(2), malloryAccount, {}, DeviceClass::Desktop, true};
    EXPECT_TRUE(checkSelfClaim(Join{{}, otherDevice}, mallory, malloryAccount).contains("device"));
    MemberInfo honest{mallory, malloryAccount, QStringLiteral("Mallory"), DeviceClass::Laptop,
                      true};
    EXPECT_TRUE(checkSelfClaim(InviteAnswer{Code::Ok, honest}, mallory, malloryAccount).isEmpty());
    EXPECT_TRUE(
        checkSelfClaim(InviteAnswer{Code::Declined, {}}, mallory, malloryAccount).isEmpty());
    EXPECT_TRUE(checkSelfClaim(Ping{}, mallory, malloryAccount).isEmpty());
}

// Attack: a stranger's INVITE listed its own device under Alice's account and name, and the
// invitee showed "Alice invites you". The sender's entry must carry its chain's account.
TEST(IdentityBindingAttack, InviteListingItsSenderUnderAnotherAccountIsRefused)
{
    const DeviceId mallory = DeviceId::fromNumber(66);
    const AccountId malloryAccount = AccountId::fromNumber(67);
    const AccountId alice = AccountId::fromNumber(1);
    const MemberInfo other{DeviceId::fromNumber(5), alice, QStringLiteral("Alice"),
                           DeviceClass::Desktop, true};
    Invite invite;
    invite.endpoints = {
        MemberInfo{mallory, alice, QStringLiteral("Alice"), DeviceClass::Desktop, true}, other};
    const QString why = checkInviterClaim(invite, mallory, malloryAccount);
    EXPECT_TRUE(why.contains(alice.shortHex()) && why.contains(malloryAccount.shortHex()))
        << why.toStdString();
    invite.endpoints[0].account = malloryAccount;
    EXPECT_TRUE(checkInviterClaim(invite, mallory, malloryAccount).isEmpty())
        << "other members' entries are the SM's word about them, not a claim about the sender";
    invite.endpoints = {other};
    EXPECT_TRUE(checkInviterClaim(invite, mallory, malloryAccount).isEmpty());
}

TEST(CodecReject, BrowseRulesAcrossFields)
{
    Message nav = sample(kNavigate);
    std::get<BrowseNavigate>(nav.body).seq = 0;
    expectRejected(encode(nav), "BROWSE_NAVIGATE: the browse seq is 0");
    nav = sample(kNavigate);
    std::get<BrowseNavigate>(nav.body).url.clear();
    expectRejected(encode(nav), "the page address is empty.");
    nav = sample(kNavigate);
    std::get<BrowseNavigate>(nav.body).url = QString(3000, u'a');
    expectRejected(encode(nav), "url");

    Message scroll = sample(kScroll);
    std::get<BrowseScroll>(scroll.body).y = 10001;
    expectRejected(encode(scroll), "BROWSE_SCROLL: the scroll position is beyond 100 %");
}

TEST(CodecReject, BatonRulesAcrossFields)
{
    // §5.1 rule 11: the holder a snapshot names is one of its members, the generation is
    // bounded, and only a full snapshot carries a baton (a delta moves it by its change).
    Message roster = sample(kRoster);
    std::get<Roster>(roster.body).baton->holder = DeviceId::fromNumber(999);
    expectRejected(encode(roster), "ROSTER: the baton holder is not among the members.");
    roster = sample(kRoster);
    std::get<Roster>(roster.body).baton->generation = limits::kMaxChatCounter;
    expectRejected(encode(roster), "the baton generation is 2^62 or more.");
    roster = sample(kRoster);
    std::get<Roster>(roster.body).full = false;
    expectRejected(encode(roster), "a roster delta carries a baton");

    QCborMap m = asMap(sample(kBatonRefused));
    m[11] = 4;
    expectRejected(bytesOf(m), "BATON_REFUSED: reason has the invalid value 4.");
    m = asMap(sample(kRoster));
    QCborMap change = m[15].toMap();
    change[0] = 9; // kinds 0-5: add, remove, baton, and the hand-off's three
    m[15] = change;
    expectRejected(bytesOf(m), "ROSTER: change: change kind has the invalid value 9.");
}

// Hand-off (DESIGN §8): wire types 37-39 are not assigned here, a seat's TTL is bounded, and a
// hand-off roster change always carries its reservation.
TEST(CodecReject, HandoffMessages)
{
    QCborMap unassigned = asMap(sample(kHello));
    for (int type = 37; type <= 39; ++type) {
        unassigned[1] = type;
        unassigned.remove(10);
        expectRejected(bytesOf(unassigned), "is unknown");
    }
    QCborMap reserve = asMap(sample(40));
    reserve[11] = 0;
    expectRejected(bytesOf(reserve), "time to live is 0");
    reserve[11] = qint64(limits::kMaxHandoffTtlMs) + 1;
    expectRejected(bytesOf(reserve), "time to live is 0 or more than");

    Roster swap;
    swap.base = {1, 1};
    swap.at = {1, 2};
    swap.change.kind = RosterChange::Kind::Swap;
    expectRejected(encode(Message{Header{}, swap}), "needs its reservation");
    Roster seats;
    seats.full = true;
    seats.reservations = QList<Reservation>{};
    expectRejected(encode(Message{Header{}, seats}), "not empty");
    QCborMap badKind = asMap(Message{Header{}, Roster{}});
    QCborMap change = badKind.value(15).toMap();
    change[0] = 6; // after Swap (5): not a kind
    badKind[15] = change;
    expectRejected(bytesOf(badKind), "change kind");
}

// Relayed signaling (issue 11): a relay or a joiner cannot make anyone hold more than one
// sealed envelope or one certificate per field.
TEST(CodecReject, RelayedSignalingIsBounded)
{
    Message m{Header{}, RelaySignal{DeviceId::fromNumber(1),
                                    QByteArray(int(limits::kMaxRelaySealedBytes) + 1, 's')}};
    expectRejected(encode(m), "RELAY_SIGNAL: sealed signal has 8193 bytes, the limit is 8192.");
    Message key{Header{}, RelayKey{DeviceId::fromNumber(2), QByteArray(10, 'd'),
                                   QByteArray(int(limits::kMaxCertificateBytes) + 1, 'a')}};
    expectRejected(encode(key),
                   "RELAY_KEY: account certificate has 4097 bytes, the limit is 4096.");
    for (int type : {46, 49}) { // 44-45 are the hand-off pull
        QCborMap unknown = asMap(Message{Header{}, RelayKeyRequest{}});
        unknown[1] = type;
        expectRejected(bytesOf(unknown),
                       QStringLiteral("message type %1 is unknown").arg(type).toUtf8().constData());
    }
}

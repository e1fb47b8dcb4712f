#include "node/sessionrecordfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::node;

namespace {

session::SessionRecord sampleRecord(std::uint64_t n)
{
    session::SessionRecord r;
    r.sid = SessionId::fromNumber(n);
    r.committed.at = {3, 7};
    r.committed.sm = DeviceId::fromNumber(1);
    for (int i = 1; i <= 3; ++i)
        r.committed.members.append(protocol::MemberInfo{
            DeviceId::fromNumber(i), AccountId::fromNumber(100 + i),
            QStringLiteral("member %1 é").arg(i), protocol::DeviceClass(i % 4), i != 2});
    r.committed.baton = {DeviceId::fromNumber(2), 4};
    r.accepted = r.committed;
    r.accepted.at = {3, 8};
    r.accepted.baton = {DeviceId::fromNumber(3), 5};
    r.accepted.reservations = {
        protocol::Reservation{DeviceId::fromNumber(9), DeviceId::fromNumber(3),
                              AccountId::fromNumber(103), 1790000060000, true}};
    r.votedEpoch = 3;
    r.votedFor = DeviceId::fromNumber(1);
    r.grantedEpoch = 2;
    r.rules.capacity = 5;
    r.rules.inviteOnly = true;
    r.rules.allow = {AccountId::fromNumber(101)};
    r.rules.block = {AccountId::fromNumber(999), AccountId::fromNumber(998)};
    r.rules.endsAtMs = 1234567;
    r.rules.owner = AccountId::fromNumber(101);
    r.ended = n % 2 == 0;
    r.proposalBase = {2, 7};
    r.smProof =
        session::SmProof{3,
                         DeviceId::fromNumber(1),
                         {protocol::SignedVote{DeviceId::fromNumber(2), QByteArray(64, 'a')},
                          protocol::SignedVote{DeviceId::fromNumber(3), QByteArray(64, 'b')}}};
    r.acceptedSignature = QByteArray(64, 'c');
    r.committedSignature = QByteArray(64, 'd');
    r.formerMembers = {DeviceId::fromNumber(4), DeviceId::fromNumber(5)};
    return r;
}

// What format 3 appends: the baton of both rosters (an id as a byte array, and a quint64).
constexpr int kBatonBytes = 2 * (4 + int(DeviceId::size) + 8);
// What format 4 appends for two rosters without hand-off seats: two counts of 0.
constexpr int kNoSeatsBytes = 2 * 4;
// What format 7 appends without former members: a count of 0.
constexpr int kNoFormerBytes = 4;
// What format 6 appends without roster signatures (two empty byte arrays), and format 7 after.
constexpr int kNoSignatureBytes = 2 * 4 + kNoFormerBytes;
// What format 5 appends without an SM proof (and format 6 without signatures): one bool.
constexpr int kNoProofBytes = 1 + kNoSignatureBytes;

session::SessionRecord withoutFormerMembers(session::SessionRecord r)
{
    r.formerMembers.clear();
    return r;
}

session::SessionRecord withoutSignatures(session::SessionRecord r)
{
    r = withoutFormerMembers(r);
    r.acceptedSignature = QByteArray("");
    r.committedSignature = QByteArray("");
    return r;
}

session::SessionRecord withoutProof(session::SessionRecord r)
{
    r.smProof.reset();
    return withoutSignatures(r);
}

session::SessionRecord withoutSeats(session::SessionRecord r)
{
    r.accepted.reservations.clear();
    r.committed.reservations.clear();
    return withoutProof(r);
}

} // namespace

TEST(SessionRecordFile, EncodeDecodeRoundTrips)
{
    const auto r = sampleRecord(5);
    auto back = SessionRecordFile::decode(SessionRecordFile::encode(r));
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back.value(), r);
}

TEST(SessionRecordFile, ARecordWrittenBeforeTheProposalBaseReadsAsNoProposal)
{
    auto r = withoutSeats(sampleRecord(6));
    QByteArray bytes = SessionRecordFile::encode(r);
    bytes.chop(16 + kBatonBytes + kNoSeatsBytes + kNoProofBytes); // what formats 2 to 5 append
    bytes[7] = 1; // the format field (big-endian quint32 after the magic)
    auto back = SessionRecordFile::decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    r.proposalBase = {};
    r.accepted.baton = {};
    r.committed.baton = {};
    EXPECT_EQ(back.value(), r);
}

TEST(SessionRecordFile, ARecordWrittenBeforeTheBatonReadsAsNobodyHoldsIt)
{
    auto r = withoutSeats(sampleRecord(7));
    QByteArray bytes = SessionRecordFile::encode(r);
    bytes.chop(kBatonBytes + kNoSeatsBytes + kNoProofBytes);
    bytes[7] = 2; // format 2: the proposal base, no baton
    auto back = SessionRecordFile::decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    r.accepted.baton = {};
    r.committed.baton = {};
    EXPECT_EQ(back.value(), r);
    // A format-3 record cut inside the baton is corrupt, not silently baton-less.
    QByteArray cut = SessionRecordFile::encode(withoutSeats(sampleRecord(7)));
    cut.chop(kNoSeatsBytes + kNoProofBytes + 3);
    cut[7] = 3;
    EXPECT_FALSE(SessionRecordFile::decode(cut).ok());
}

TEST(SessionRecordFile, ARecordWrittenBeforeTheSeatsReadsAsNoSeats)
{
    const auto full = sampleRecord(8);
    auto r = withoutSeats(full);
    QByteArray bytes = SessionRecordFile::encode(r);
    bytes.chop(kNoSeatsBytes + kNoProofBytes);
    bytes[7] = 3; // format 3: the baton, no hand-off seats
    auto back = SessionRecordFile::decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back.value(), r);
    // The seats survive a restart (§5.1 rule 10); a record cut inside them is corrupt.
    auto seats = SessionRecordFile::decode(SessionRecordFile::encode(full));
    ASSERT_TRUE(seats.ok());
    EXPECT_EQ(seats.value().accepted.reservations, full.accepted.reservations);
    QByteArray cut = SessionRecordFile::encode(withoutProof(full));
    cut.chop(kNoProofBytes + 4 + 5); // the committed roster's count and part of the accepted seat
    EXPECT_FALSE(SessionRecordFile::decode(cut).ok());
}

TEST(SessionRecordFile, ARecordWrittenBeforeTheSmProofReadsAsNoProof)
{
    const auto full = sampleRecord(9);
    auto r = withoutProof(full);
    QByteArray bytes = SessionRecordFile::encode(r);
    bytes.chop(kNoProofBytes);
    bytes[7] = 4; // format 4: the seats, no SM proof
    auto back = SessionRecordFile::decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back.value(), r);
    // The SM's signed quorum survives a restart (DESIGN §5); a record cut inside it is corrupt.
    auto proof = SessionRecordFile::decode(SessionRecordFile::encode(full));
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(proof.value().smProof, full.smProof);
    QByteArray cut = SessionRecordFile::encode(withoutSignatures(full));
    cut.chop(kNoSignatureBytes + 10); // inside the last vote's signature
    cut[7] = 5;
    EXPECT_FALSE(SessionRecordFile::decode(cut).ok());
}

TEST(SessionRecordFile, ARecordWrittenBeforeRosterSignaturesReadsAsNoneHeld)
{
    const auto full = sampleRecord(10);
    auto r = withoutSignatures(full);
    QByteArray bytes = SessionRecordFile::encode(r);
    bytes.chop(kNoSignatureBytes);
    bytes[7] = 5; // format 5: the SM proof, no roster signatures
    auto back = SessionRecordFile::decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_TRUE(back.value().acceptedSignature.isEmpty());
    EXPECT_TRUE(back.value().committedSignature.isEmpty());
    // The SM's signatures survive a restart, so a restarted member still relays them; a
    // record cut inside them is corrupt.
    auto signedBack = SessionRecordFile::decode(SessionRecordFile::encode(full));
    ASSERT_TRUE(signedBack.ok());
    EXPECT_EQ(signedBack.value().acceptedSignature, full.acceptedSignature);
    EXPECT_EQ(signedBack.value().committedSignature, full.committedSignature);
    QByteArray cut = SessionRecordFile::encode(full);
    cut.chop(10);
    EXPECT_FALSE(SessionRecordFile::decode(cut).ok());
}

TEST(SessionRecordFile, ARecordWrittenBeforeFormerMembersReadsAsNone)
{
    const auto full = sampleRecord(11);
    auto r = withoutFormerMembers(full);
    QByteArray bytes = SessionRecordFile::encode(r);
    bytes.chop(kNoFormerBytes);
    bytes[7] = 6; // format 6: the roster signatures, no former members
    auto back = SessionRecordFile::decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back.value(), r);
    // Who was removed survives a restart (rule 7 still tells them); a cut list is corrupt, and
    // so is a count past the bound.
    auto kept = SessionRecordFile::decode(SessionRecordFile::encode(full));
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(kept.value().formerMembers, full.formerMembers);
    QByteArray cut = SessionRecordFile::encode(full);
    cut.chop(5);
    EXPECT_FALSE(SessionRecordFile::decode(cut).ok());
    QByteArray huge = SessionRecordFile::encode(r);
    huge.chop(kNoFormerBytes);
    huge.append("\x00\x00\x04\x01", 4); // 1025 entries claimed
    EXPECT_FALSE(SessionRecordFile::decode(huge).ok());
}

TEST(SessionRecordFile, WriteReplaceReadAllAndRemove)
{
    QTemporaryDir dir;
    SessionRecordFile file(dir.filePath("sessions"));
    auto r1 = sampleRecord(1), r2 = sampleRecord(2);
    ASSERT_TRUE(file.write(r1).ok());
    ASSERT_TRUE(file.write(r2).ok());
    r1.votedEpoch = 9; // a rewrite replaces the old record
    ASSERT_TRUE(file.write(r1).ok());
    QStringList errors;
    auto all = file.readAll(&errors);
    EXPECT_TRUE(errors.isEmpty());
    ASSERT_EQ(all.size(), 2);
    EXPECT_TRUE(all.contains(r1));
    EXPECT_TRUE(all.contains(r2));
    ASSERT_TRUE(file.remove(r2.sid).ok());
    EXPECT_EQ(file.readAll(), QList<session::SessionRecord>{r1});
}

// Every truncation and some bit flips: an error or a record, never a crash.
TEST(SessionRecordFile, CorruptBytesAreErrorsNotCrashes)
{
    const QByteArray good = SessionRecordFile::encode(sampleRecord(3));
    for (qsizetype n = 0; n < good.size(); ++n)
        EXPECT_FALSE(SessionRecordFile::decode(good.left(n)).ok()) << "truncated at " << n;
    for (qsizetype i = 0; i < good.size(); ++i) {
        QByteArray bad = good;
        bad[i] = char(bad[i] ^ 0xff);
        (void)SessionRecordFile::decode(bad);
    }
    EXPECT_FALSE(SessionRecordFile::decode(QByteArray(64, '\xff')).ok());
}

TEST(SessionRecordFile, AnUnreadableFileIsReportedAndSkipped)
{
    QTemporaryDir dir;
    SessionRecordFile file(dir.path());
    ASSERT_TRUE(file.write(sampleRecord(1)).ok());
    QFile junk(dir.filePath("0000.rec"));
    ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
    junk.write("not a record");
    junk.close();
    QStringList errors;
    EXPECT_EQ(file.readAll(&errors).size(), 1);
    EXPECT_EQ(errors.size(), 1);
}

// Attack: another local user read who we talk to: sessions/ was 0755 and *.rec 0644.
TEST(SessionRecordFileAttack, RecordsAndTheirFolderAreNotReadableByOtherUsers)
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("sessions"));
    SessionRecordFile files(folder);
    ASSERT_TRUE(files.write(sampleRecord(1)).ok());
    constexpr auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                            QFileDevice::WriteOther | QFileDevice::ExeOther;
    EXPECT_FALSE(QFile::permissions(folder) & others);
    const QStringList recs = QDir(folder).entryList({QStringLiteral("*.rec")}, QDir::Files);
    ASSERT_EQ(recs.size(), 1);
    EXPECT_FALSE(QFile::permissions(QDir(folder).filePath(recs.front())) & others);
}

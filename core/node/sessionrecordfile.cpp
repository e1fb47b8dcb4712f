#include "node/sessionrecordfile.h"

#include "node/recordids.h"
#include "storage/privatefile.h"

#include <QDataStream>
#include <QDir>
#include <QFile>

namespace plenum::node {

namespace {

constexpr quint32 kMagic = 0x504c5352;             // "PLSR"
constexpr quint32 kFormat = 7;                     // 7: with the devices removed while it watched
constexpr quint32 kFormatWithoutFormerMembers = 6; // 6: with the SM's signatures on rosters
constexpr quint32 kFormatWithoutRosterSignatures = 5; // 5: with the SM's signed quorum
constexpr quint32 kFormatWithoutSmProof = 4;
constexpr quint32 kFormatWithoutSeats = 3;
constexpr quint32 kFormatWithoutBaton = 2;
constexpr quint32 kFormatWithoutProposalBase = 1;
constexpr quint32 kMaxMembers = 1024;
constexpr quint32 kMaxAccounts = 4096;
constexpr quint32 kMaxSeats = 1024; // live seats count against capacity: far fewer in practice
constexpr quint32 kMaxFormerMembers = 1024;    // Session keeps no more
constexpr qsizetype kMaxSignatureBytes = 1024; // an Ed25519 signature is 64

void putSnapshot(QDataStream& out, const protocol::RosterSnapshot& r)
{
    out << quint64(r.at.epoch) << quint64(r.at.version);
    putId(out, r.sm);
    out << quint32(r.members.size());
    for (const auto& m : r.members) {
        putId(out, m.device);
        putId(out, m.account);
        out << m.name << quint8(m.deviceClass) << m.multiparty;
    }
}

bool getSnapshot(QDataStream& in, protocol::RosterSnapshot& r)
{
    quint64 epoch = 0, version = 0;
    in >> epoch >> version;
    r.at = {epoch, version};
    if (!getId(in, r.sm)) return false;
    quint32 n = 0;
    in >> n;
    if (in.status() != QDataStream::Ok || n > kMaxMembers) return false;
    r.members.clear();
    for (quint32 i = 0; i < n; ++i) {
        protocol::MemberInfo m;
        quint8 cls = 0;
        if (!getId(in, m.device) || !getId(in, m.account)) return false;
        in >> m.name >> cls >> m.multiparty;
        if (in.status() != QDataStream::Ok || cls > 3) return false;
        m.deviceClass = protocol::DeviceClass(cls);
        r.members.append(m);
    }
    return true;
}

void putAccounts(QDataStream& out, const QList<AccountId>& list)
{
    out << quint32(list.size());
    for (const auto& a : list)
        putId(out, a);
}

bool getAccounts(QDataStream& in, QList<AccountId>& list)
{
    quint32 n = 0;
    in >> n;
    if (in.status() != QDataStream::Ok || n > kMaxAccounts) return false;
    list.clear();
    for (quint32 i = 0; i < n; ++i) {
        AccountId a;
        if (!getId(in, a)) return false;
        list.append(a);
    }
    return true;
}

void putSmProof(QDataStream& out, const std::optional<session::SmProof>& proof)
{
    out << proof.has_value();
    if (!proof) return;
    out << quint64(proof->epoch);
    putId(out, proof->sm);
    out << quint32(proof->votes.size());
    for (const protocol::SignedVote& v : proof->votes) {
        putId(out, v.voter);
        out << v.signature;
    }
}

bool getSmProof(QDataStream& in, std::optional<session::SmProof>& proof)
{
    bool present = false;
    in >> present;
    if (in.status() != QDataStream::Ok) return false;
    if (!present) return true;
    session::SmProof p;
    quint64 epoch = 0;
    quint32 n = 0;
    in >> epoch;
    p.epoch = epoch;
    if (!getId(in, p.sm)) return false;
    in >> n;
    if (in.status() != QDataStream::Ok || n > kMaxMembers) return false;
    for (quint32 i = 0; i < n; ++i) {
        protocol::SignedVote v;
        if (!getId(in, v.voter)) return false;
        in >> v.signature;
        if (in.status() != QDataStream::Ok || v.signature.size() > kMaxSignatureBytes) return false;
        p.votes.append(v);
    }
    proof = std::move(p);
    return true;
}

} // namespace

SessionRecordFile::SessionRecordFile(QString directory) : dir_(std::move(directory)) {}

QString SessionRecordFile::path(const SessionId& sid) const
{
    return dir_ + QStringLiteral("/") + sid.toHex() + QStringLiteral(".rec");
}

QByteArray SessionRecordFile::encode(const session::SessionRecord& r)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kMagic << kFormat;
    putId(out, r.sid);
    putSnapshot(out, r.accepted);
    putSnapshot(out, r.committed);
    out << quint64(r.votedEpoch);
    putId(out, r.votedFor);
    out << quint64(r.grantedEpoch);
    out << quint32(r.rules.capacity) << r.rules.inviteOnly;
    putAccounts(out, r.rules.allow);
    putAccounts(out, r.rules.block);
    out << quint64(r.rules.endsAtMs);
    putId(out, r.rules.owner);
    out << r.ended;
    // Format 2 added it; a format-1 record ends before it (read as "no proposal").
    out << quint64(r.proposalBase.epoch) << quint64(r.proposalBase.version);
    // Format 3 added the baton (§5.1 rule 11: a roster field, so it survives a restart).
    for (const auto* roster : {&r.accepted, &r.committed}) {
        putId(out, roster->baton.holder);
        out << quint64(roster->baton.generation);
    }
    // Format 4 added the hand-off seats (§5.1 rule 10: a roster field, so a restarted SM still
    // counts them against capacity and expires them).
    for (const auto* roster : {&r.accepted, &r.committed}) {
        out << quint32(roster->reservations.size());
        for (const protocol::Reservation& seat : roster->reservations) {
            putId(out, seat.device);
            putId(out, seat.replaces);
            putId(out, seat.account);
            out << quint64(seat.expiresAtMs) << seat.keep;
        }
    }
    // Format 5 added the SM's signed quorum (DESIGN §5), so a restarted SM can still show it.
    putSmProof(out, r.smProof);
    // Format 6 added the SM's roster signatures, so a restarted member still relays them.
    out << r.acceptedSignature << r.committedSignature;
    // Format 7 added the former members, so a restarted member still tells them (rule 7).
    out << quint32(r.formerMembers.size());
    for (const DeviceId& d : r.formerMembers)
        putId(out, d);
    return bytes;
}

Result<session::SessionRecord> SessionRecordFile::decode(const QByteArray& bytes)
{
    if (bytes.size() > kMaxFileBytes) return fail("the session record is too large");
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, format = 0;
    in >> magic >> format;
    if (magic != kMagic) return fail("the file is not a Plenum session record");
    if (format != kFormat && format != kFormatWithoutFormerMembers &&
        format != kFormatWithoutRosterSignatures && format != kFormatWithoutSmProof &&
        format != kFormatWithoutSeats && format != kFormatWithoutBaton &&
        format != kFormatWithoutProposalBase)
        return fail("the session record has an unknown format version");
    session::SessionRecord r;
    quint64 voted = 0, granted = 0, ends = 0;
    quint32 capacity = 0;
    bool ok = getId(in, r.sid) && getSnapshot(in, r.accepted) && getSnapshot(in, r.committed);
    if (ok) {
        in >> voted;
        ok = getId(in, r.votedFor);
    }
    if (ok) {
        in >> granted >> capacity >> r.rules.inviteOnly;
        ok = getAccounts(in, r.rules.allow) && getAccounts(in, r.rules.block);
    }
    if (ok) {
        in >> ends;
        ok = getId(in, r.rules.owner);
    }
    if (ok) in >> r.ended;
    if (ok && format >= kFormatWithoutBaton) {
        quint64 baseEpoch = 0, baseVersion = 0;
        in >> baseEpoch >> baseVersion;
        r.proposalBase = {baseEpoch, baseVersion};
    }
    for (auto* roster : {&r.accepted, &r.committed}) {
        if (!ok || format < kFormatWithoutSeats) break;
        quint64 generation = 0;
        ok = getId(in, roster->baton.holder);
        in >> generation;
        roster->baton.generation = generation;
    }
    for (auto* roster : {&r.accepted, &r.committed}) {
        if (!ok || format < kFormatWithoutSmProof) break;
        quint32 n = 0;
        in >> n;
        if (in.status() != QDataStream::Ok || n > kMaxSeats) {
            ok = false;
            break;
        }
        for (quint32 i = 0; ok && i < n; ++i) {
            protocol::Reservation seat;
            quint64 expires = 0;
            ok = getId(in, seat.device) && getId(in, seat.replaces) && getId(in, seat.account);
            in >> expires >> seat.keep;
            seat.expiresAtMs = expires;
            roster->reservations.append(seat);
        }
    }
    if (ok && format >= kFormatWithoutRosterSignatures) ok = getSmProof(in, r.smProof);
    if (ok && format >= kFormatWithoutFormerMembers) {
        in >> r.acceptedSignature >> r.committedSignature;
        ok = in.status() == QDataStream::Ok && r.acceptedSignature.size() <= kMaxSignatureBytes &&
             r.committedSignature.size() <= kMaxSignatureBytes;
    }
    if (ok && format >= kFormat) {
        quint32 n = 0;
        in >> n;
        ok = in.status() == QDataStream::Ok && n <= kMaxFormerMembers;
        for (quint32 i = 0; ok && i < n; ++i) {
            DeviceId d;
            ok = getId(in, d);
            r.formerMembers.append(d);
        }
    }
    if (!ok || in.status() != QDataStream::Ok)
        return fail("the session record is truncated or corrupt");
    r.votedEpoch = voted;
    r.grantedEpoch = granted;
    r.rules.capacity = capacity;
    r.rules.endsAtMs = ends;
    return r;
}

Status SessionRecordFile::write(const session::SessionRecord& record) const
{
    if (!QDir().mkpath(dir_)) return fail("cannot create the session directory " + dir_);
    // Private: sessions/ 0700 and every record 0600; a failed chmod is an error.
    if (!QFile::setPermissions(dir_, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                         QFileDevice::ExeOwner))
        return fail("cannot make the session directory private (0700): " + dir_);
    return storage::savePrivate(path(record.sid), encode(record),
                                QStringLiteral("the session record"));
}

Status SessionRecordFile::remove(const SessionId& sid) const
{
    QFile f(path(sid));
    if (f.exists() && !f.remove())
        return fail("cannot remove the session record: " + f.errorString());
    return Ok{};
}

QList<session::SessionRecord> SessionRecordFile::readAll(QStringList* errors) const
{
    QList<session::SessionRecord> out;
    QDir dir(dir_);
    for (const QString& name : dir.entryList({QStringLiteral("*.rec")}, QDir::Files)) {
        auto bytes = storage::readRegular(dir.filePath(name), kMaxFileBytes, name);
        if (!bytes || !bytes->has_value()) {
            if (errors) errors->append(bytes ? name + ": gone while reading" : bytes.error());
            continue;
        }
        auto r = decode(bytes.value().value());
        if (r)
            out.append(r.value());
        else if (errors)
            errors->append(name + ": " + r.error());
    }
    return out;
}

} // namespace plenum::node

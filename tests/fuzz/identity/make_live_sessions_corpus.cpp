// Writes the seed corpus for fuzz_live_sessions: "sessions" values of presence records as
// encode() writes them (none, one, the most, long non-Latin titles) and the shapes decode()
// refuses (too many, a long title, a short id, a title that is not text, a list one level
// too deep, a session twice, not a list at all). With --check it compares instead of writing.
//
//   live_sessions_make_corpus [--check] <dir>

#include "corpuswriter.h"

#include "identity/livesessions.h"

#include <QCborMap>

#include <map>

using namespace plenum;
using namespace plenum::identity;

namespace {

QByteArray cbor(const QCborValue& v)
{
    return v.toCbor();
}

QCborArray entry(int n, const QString& title)
{
    return QCborArray{SessionId::fromNumber(n).toBytes(), title};
}

// A list of one element. Not QCborArray{x}: for an x that is itself a QCborArray, clang reads
// that as a copy of x and GCC as a list holding x.
QCborArray listOf(const QCborValue& only)
{
    QCborArray out;
    out.append(only);
    return out;
}

std::map<QString, QByteArray> corpus()
{
    std::map<QString, QByteArray> files;
    files[QStringLiteral("empty.cbor")] = cbor(livesessions::encode({}));
    files[QStringLiteral("one.cbor")] =
        cbor(livesessions::encode({{SessionId::fromNumber(7), QStringLiteral("Bob and Carol")}}));
    QList<LiveSession> most;
    for (int i = 0; i < livesessions::kMaxCount; ++i)
        most.append(
            {SessionId::fromNumber(100 + i), QStringLiteral("Dan, Eve and %1 others").arg(i)});
    files[QStringLiteral("most.cbor")] = cbor(livesessions::encode(most));
    // 48 UTF-16 units: CJK (3 UTF-8 bytes each) and emoji (surrogate pairs, 4 bytes).
    files[QStringLiteral("long-titles.cbor")] = cbor(livesessions::encode(
        {{SessionId::fromNumber(1), QString(48, QChar(0x4f1a))},
         {SessionId::fromNumber(2), QString::fromUtf8("\xf0\x9f\x8e\x89").repeated(24)}}));

    QCborArray tooMany;
    for (int i = 0; i <= livesessions::kMaxCount; ++i)
        tooMany.append(entry(i + 1, QStringLiteral("t")));
    files[QStringLiteral("bad-too-many.cbor")] = cbor(tooMany);
    files[QStringLiteral("bad-long-title.cbor")] =
        cbor(listOf(entry(1, QString(livesessions::kMaxTitleChars + 1, QChar('y')))));
    const QByteArray id = SessionId::fromNumber(1).toBytes();
    files[QStringLiteral("bad-short-id.cbor")] =
        cbor(listOf(QCborArray{id.left(5), QStringLiteral("t")}));
    files[QStringLiteral("bad-title-not-text.cbor")] = cbor(listOf(QCborArray{id, 42}));
    files[QStringLiteral("bad-too-deep.cbor")] =
        cbor(listOf(listOf(entry(1, QStringLiteral("t")))));
    files[QStringLiteral("bad-twice.cbor")] =
        cbor(QCborArray{entry(1, QStringLiteral("a")), entry(1, QStringLiteral("b"))});
    files[QStringLiteral("bad-not-a-list.cbor")] = cbor(QCborMap{{QStringLiteral("sid"), id}});
    return files;
}

} // namespace

int main(int argc, char** argv)
{
    return plenum::testing::writeCorpusMain(argc, argv, corpus());
}

// Writes the seed corpus for fuzz_pendingpush: hand-off records as PendingPushFile writes them
// (none, one, the most it holds) and the refusals decode() knows (cut short, another format,
// one push too many, a null id, bytes after the end, not a record at all). With --check it
// compares instead of writing.
//
//   pendingpush_make_corpus [--check] <dir>

#include "corpuswriter.h"

#include "node/pendingpushfile.h"

#include <map>

using namespace plenum;
using node::PendingPush;
using node::PendingPushFile;

namespace {

QList<PendingPush> pushes(int count)
{
    QList<PendingPush> out;
    for (int i = 1; i <= count; ++i)
        out.append({SessionId::fromNumber(i), DeviceId::fromNumber(100 + i), i % 2 == 0});
    return out;
}

std::map<QString, QByteArray> corpus()
{
    std::map<QString, QByteArray> files;
    files[QStringLiteral("none.bin")] = PendingPushFile::encode({});
    files[QStringLiteral("one.bin")] = PendingPushFile::encode(pushes(1));
    files[QStringLiteral("as-many-as-held.bin")] =
        PendingPushFile::encode(pushes(int(PendingPushFile::kMaxPushes)));

    const QByteArray two = PendingPushFile::encode(pushes(2));
    files[QStringLiteral("bad-cut-short.bin")] = two.left(two.size() - 1);
    files[QStringLiteral("bad-trailing.bin")] = two + QByteArray(1, '\1');
    QByteArray format = two;
    format[7] = 2;
    files[QStringLiteral("bad-format.bin")] = format;
    files[QStringLiteral("bad-too-many.bin")] =
        PendingPushFile::encode(pushes(int(PendingPushFile::kMaxPushes) + 1));
    QList<PendingPush> nullId = pushes(1);
    nullId[0].sid = SessionId{};
    files[QStringLiteral("bad-null-id.bin")] = PendingPushFile::encode(nullId);
    files[QStringLiteral("bad-junk.bin")] = QByteArray("not a hand-off record");
    return files;
}

} // namespace

int main(int argc, char** argv)
{
    return plenum::testing::writeCorpusMain(argc, argv, corpus());
}

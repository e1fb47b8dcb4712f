// Writes the seed corpus for fuzz_shownreferrals: records as the Node writes them (none, one,
// the most it holds) and the refusals decode() knows (cut short, another format, one too
// many, a null id, bytes after the end, not a record at all). With --check it compares
// instead of writing.
//
//   shownreferrals_make_corpus [--check] <dir>

#include "corpuswriter.h"

#include "node/shownreferrals.h"

#include <map>

using namespace plenum;
using node::ShownReferrals;

namespace {

QList<ShownReferrals::Key> keys(int count)
{
    QList<ShownReferrals::Key> out;
    for (int i = 1; i <= count; ++i)
        out.append(
            {SessionId::fromNumber(i), DeviceId::fromNumber(100 + i), 1'800'000'000'000 + i});
    return out;
}

std::map<QString, QByteArray> corpus()
{
    constexpr int kMost = int(ShownReferrals::kMaxRemembered);
    std::map<QString, QByteArray> files;
    files[QStringLiteral("none.bin")] = ShownReferrals::encode({});
    files[QStringLiteral("one.bin")] = ShownReferrals::encode(keys(1));
    files[QStringLiteral("as-many-as-held.bin")] = ShownReferrals::encode(keys(kMost));

    const QByteArray two = ShownReferrals::encode(keys(2));
    files[QStringLiteral("bad-cut-short.bin")] = two.left(two.size() - 1);
    files[QStringLiteral("bad-trailing.bin")] = two + QByteArray(1, '\1');
    QByteArray format = two;
    format[7] = 2;
    files[QStringLiteral("bad-format.bin")] = format;
    files[QStringLiteral("bad-too-many.bin")] = ShownReferrals::encode(keys(kMost + 1));
    QList<ShownReferrals::Key> nullId = keys(1);
    nullId[0].referrer = DeviceId{};
    files[QStringLiteral("bad-null-id.bin")] = ShownReferrals::encode(nullId);
    files[QStringLiteral("bad-junk.bin")] = QByteArray("not a record of shown referrals");
    return files;
}

} // namespace

int main(int argc, char** argv)
{
    return plenum::testing::writeCorpusMain(argc, argv, corpus());
}

// Writes the seed corpus for fuzz_linkping: link-ping headers as pack() writes them (one, a
// few and as many PINGs as fit), and the refusals unpack() knows (cut short, an empty item, a
// non-PING, junk, one PING too many, one byte over the size bound). With --check it compares
// instead of writing.
//
//   linkping_make_corpus [--check] <dir>

#include "corpuswriter.h"

#include "node/linkping.h"
#include "protocol/codec.h"

#include <QtEndian>

#include <map>

using namespace plenum;
using namespace plenum::protocol;
namespace linkping = plenum::node::linkping;

namespace {

Message ping(int n)
{
    return {Header{SessionId::fromNumber(n), std::uint64_t(n), std::uint64_t(n) * 3,
                   DeviceId::fromNumber(n)},
            Ping{}};
}

QByteArray item(const QByteArray& bytes)
{
    char length[2];
    qToBigEndian<quint16>(quint16(bytes.size()), length);
    return QByteArray(length, 2) + bytes;
}

QList<Message> pings(int count)
{
    QList<Message> out;
    for (int i = 1; i <= count; ++i)
        out.append(ping(i));
    return out;
}

std::map<QString, QByteArray> corpus()
{
    std::map<QString, QByteArray> files;
    files[QStringLiteral("one-ping.bin")] =
        linkping::pack(pings(1), linkping::kMaxHeaderBytes, nullptr);
    files[QStringLiteral("three-pings.bin")] =
        linkping::pack(pings(3), linkping::kMaxHeaderBytes, nullptr);
    files[QStringLiteral("as-many-as-fit.bin")] =
        linkping::pack(pings(linkping::kMaxPings), linkping::kMaxHeaderBytes, nullptr);
    Message noSm = ping(9);
    noSm.header.sm = DeviceId{}; // a candidate's ping names no SM
    files[QStringLiteral("no-sm.bin")] = linkping::pack({noSm}, linkping::kMaxHeaderBytes, nullptr);

    const QByteArray one = item(encode(ping(1)));
    files[QStringLiteral("bad-cut-short.bin")] = one.left(one.size() - 1);
    files[QStringLiteral("bad-dangling-length.bin")] = one + QByteArray(1, '\0');
    files[QStringLiteral("bad-empty-item.bin")] = QByteArray(2, '\0');
    files[QStringLiteral("bad-junk.bin")] = item(QByteArray("not cbor at all"));
    files[QStringLiteral("bad-hello.bin")] =
        one + item(encode(Message{Header{SessionId::fromNumber(1), 1, 1, {}}, Hello{}}));
    QByteArray tooMany, tooBig;
    for (int i = 0; i <= linkping::kMaxPings; ++i)
        tooMany += item(encode(Message{Header{}, Ping{}}));
    files[QStringLiteral("bad-too-many.bin")] = tooMany;
    for (int i = 1; tooBig.size() <= linkping::kMaxHeaderBytes; ++i)
        tooBig += item(encode(ping(i)));
    files[QStringLiteral("bad-too-big.bin")] = tooBig;
    return files;
}

} // namespace

int main(int argc, char** argv)
{
    return plenum::testing::writeCorpusMain(argc, argv, corpus());
}

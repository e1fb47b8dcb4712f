// Writes the seed corpus for fuzz_decode: one file per message type (from the round-trip
// samples) plus malformed seeds that reach each rejection path. With --check it compares
// instead of writing, so a test can notice a corpus that is out of date.
//
//   protocol_make_corpus [--check] <dir>

#include "corpuswriter.h"
#include "samplemessages.h"

#include "protocol/codec.h"

#include <QCborStreamWriter>

#include <map>

using namespace plenum::protocol;

namespace {

std::map<QString, QByteArray> corpus()
{
    std::map<QString, QByteArray> files;
    for (const auto& m : plenum::testing::sampleMessages()) {
        const QString name = QStringLiteral("%1-%2.cbor")
                                 .arg(messageType(m.body), 2, 10, QLatin1Char('0'))
                                 .arg(QString::fromLatin1(messageName(m.body)).toLower());
        files[name] = encode(m);
    }
    const QByteArray hello = encode(plenum::testing::sampleMessages().front());
    files[QStringLiteral("bad-truncated.cbor")] = hello.left(hello.size() / 2);
    files[QStringLiteral("bad-trailing.cbor")] = hello + QByteArray(1, '\0');
    QByteArray wrongVersion = hello;
    wrongVersion[2] = 1; // a6 00 02 -> protocol version 1
    files[QStringLiteral("bad-version.cbor")] = wrongVersion;

    QByteArray dup;
    QCborStreamWriter w(&dup);
    w.startMap(3);
    w.append(quint64(0));
    w.append(quint64(1));
    w.append(quint64(0));
    w.append(quint64(1));
    w.append(quint64(1000));
    w.append(QByteArray("ext"));
    w.endMap();
    files[QStringLiteral("bad-duplicate-key.cbor")] = dup;
    files[QStringLiteral("bad-indefinite.cbor")] = QByteArray::fromHex("bf0001ff");
    files[QStringLiteral("bad-huge-length.cbor")] =
        QByteArray::fromHex("a1190fa05b0000010000000000");
    return files;
}

} // namespace

int main(int argc, char** argv)
{
    return plenum::testing::writeCorpusMain(argc, argv, corpus());
}

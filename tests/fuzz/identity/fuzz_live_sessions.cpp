// livesessions::decode on arbitrary CBOR (the "sessions" value of a presence record another
// device signed): never crashes; what it accepts is within the bounds (count, title length,
// distinct 16-byte ids) and survives encode/decode unchanged; refusals are in words. Bytes
// that are not CBOR stop at Qt's parser (with its own nesting limit), as in PresenceRecord.
#include "fuzzcheck.h"
#include "identity/livesessions.h"

#include <QCborValue>
#include <QSet>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace plenum;
using namespace plenum::identity;

using plenum::fuzz::broken;

namespace {

// PresenceRecord::kMaxEncoded: PresenceRecord::decode parses no larger record.
constexpr std::size_t kMaxRecordBytes = 24 * 1024;

void checkBounds(const QList<LiveSession>& sessions)
{
    if (sessions.size() > livesessions::kMaxCount) broken("too many sessions accepted");
    QSet<SessionId> ids;
    for (const LiveSession& s : sessions) {
        if (s.title.size() > livesessions::kMaxTitleChars) broken("a long title accepted");
        if (ids.contains(s.sid)) broken("a session accepted twice");
        ids.insert(s.sid);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > kMaxRecordBytes) return 0;
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    QCborParserError err;
    const QCborValue value = QCborValue::fromCbor(bytes, &err);
    if (err.error != QCborError::NoError) return 0;
    auto sessions = livesessions::decode(value);
    if (!sessions) {
        if (sessions.error().isEmpty()) broken("a refusal without a reason");
        return 0;
    }
    checkBounds(sessions.value());
    // What we publish from it (a device re-encodes nothing it read, but the wire form must be
    // one both ends agree on).
    const QByteArray again = livesessions::encode(sessions.value()).toCborValue().toCbor();
    auto back = livesessions::decode(QCborValue::fromCbor(again, &err));
    if (err.error != QCborError::NoError || !back) broken("what encode wrote does not decode");
    if (back.value() != sessions.value()) broken("a session changed on the way round");
    return 0;
}

#include "identity/livesessions.h"

#include <QSet>

#include <algorithm>

namespace plenum::identity::livesessions {

QCborArray encode(const QList<LiveSession>& sessions)
{
    QCborArray live;
    for (const LiveSession& s : sessions.first(std::min<qsizetype>(sessions.size(), kMaxCount)))
        live.append(QCborArray{s.sid.toBytes(), s.title.left(kMaxTitleChars)});
    return live;
}

Result<QList<LiveSession>> decode(const QCborValue& value)
{
    if (value.isUndefined()) return QList<LiveSession>{};
    if (!value.isArray())
        return fail(QStringLiteral("the presence record's live sessions are not a list"));
    const QCborArray live = value.toArray();
    if (live.size() > kMaxCount)
        return fail(QStringLiteral("the presence record lists too many live sessions"));
    QList<LiveSession> out;
    QSet<SessionId> seen;
    for (const QCborValue& v : live) {
        // Checked by type, not converted: a number where the title belongs is a malformed
        // record, not a session without a title.
        const QCborArray pair = v.toArray();
        const bool shaped =
            v.isArray() && pair.size() == 2 && pair.at(0).isByteArray() && pair.at(1).isString();
        const auto sid = shaped ? SessionId::fromBytes(pair.at(0).toByteArray()) : std::nullopt;
        const QString title = shaped ? pair.at(1).toString() : QString();
        if (!sid || title.size() > kMaxTitleChars)
            return fail(QStringLiteral("the presence record has a malformed live session"));
        if (seen.contains(*sid))
            return fail(QStringLiteral("the presence record lists a live session twice"));
        seen.insert(*sid);
        out.append({*sid, title});
    }
    return out;
}

} // namespace plenum::identity::livesessions

#pragma once
// Session records on disk, one file per session under <profile>/sessions/ (DESIGN §5: a vote
// or an acknowledged roster must survive a crash). Written atomically (QSaveFile: temp file,
// fsync, rename), read back with size limits so a corrupt file is an error, never a crash.

#include "protocol/result.h"
#include "session/sessionrecord.h"

#include <QList>
#include <QString>

namespace plenum::node {

class SessionRecordFile {
public:
    static constexpr qint64 kMaxFileBytes = 1024 * 1024;

    explicit SessionRecordFile(QString directory);

    Status write(const session::SessionRecord& record) const;
    Status remove(const SessionId& sid) const;
    // Every readable record; unreadable files are listed in `errors`.
    QList<session::SessionRecord> readAll(QStringList* errors = nullptr) const;

    static QByteArray encode(const session::SessionRecord& record);
    static Result<session::SessionRecord> decode(const QByteArray& bytes);

private:
    QString path(const SessionId& sid) const;
    QString dir_;
};

} // namespace plenum::node

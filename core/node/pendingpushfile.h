#pragma once
// The hand-offs this device started as A1 and has not finished, on disk (docs/handoff.md "A1
// restarted"). A push whose seat is committed survives a crash in the session record; one
// cut short before that (A2's link still coming up, the seat asked but not committed) lived
// only in memory, so a restarted A1 forgot it without a word. With this file it tells its
// user that the hand-off stopped and the conversation stayed here.
//
// One small file, written atomically (QSaveFile) before the seat is asked for, read back with
// size and count limits: a corrupt file is an error in words, never a crash (fuzz_pendingpush).

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QList>
#include <QString>

namespace plenum::node {

struct PendingPush {
    SessionId sid;
    DeviceId device; // A2
    bool keep = false;
    friend bool operator==(const PendingPush&, const PendingPush&) = default;
};

class PendingPushFile {
public:
    // One push per session at most; far fewer in practice.
    static constexpr qsizetype kMaxPushes = 64;
    static constexpr qsizetype kMaxFileBytes = 16 * 1024;

    explicit PendingPushFile(QString path);

    // Replaces the file with `pushes` (none: removes it). Private (0600).
    Status write(const QList<PendingPush>& pushes) const;
    // What the file holds; no file is no pushes.
    Result<QList<PendingPush>> read() const;

    static QByteArray encode(const QList<PendingPush>& pushes);
    static Result<QList<PendingPush>> decode(const QByteArray& bytes);

private:
    QString path_;
};

} // namespace plenum::node

#pragma once
// Files only this user may read, written whole or not at all, and read back only when they
// are what they should be. Keys, session records and hand-offs under way must survive a crash
// (DESIGN §5: on disk before the ack), and must not be readable by other users; a file put in
// their place that is a FIFO or a symlink to /dev/zero must give an error in words, never
// hang the start or fill the memory (docs/security.md).

#include "protocol/result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace plenum::storage {

// Atomically replaces `path` with `bytes` (QSaveFile: a temporary file, fsync, rename), mode
// 0600 set before anything is written. `what` names the file in errors ("the session record").
Status savePrivate(const QString& path, const QByteArray& bytes, const QString& what);

// The bytes of `path` if it is a regular file of at most `maxBytes`; no file at all is
// std::nullopt. Opened without following a FIFO's wait (O_NONBLOCK), checked on the opened
// descriptor (no gap between the check and the read).
Result<std::optional<QByteArray>> readRegular(const QString& path, qint64 maxBytes,
                                              const QString& what);

} // namespace plenum::storage

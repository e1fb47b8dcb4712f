#include "node/profilelock.h"

#include <QDir>
#include <QLockFile>

namespace plenum::node {

ProfileLock::ProfileLock(std::unique_ptr<QLockFile> file) : file_(std::move(file)) {}
ProfileLock::ProfileLock(ProfileLock&&) noexcept = default;
ProfileLock& ProfileLock::operator=(ProfileLock&&) noexcept = default;
ProfileLock::~ProfileLock() = default; // QLockFile unlocks on destruction

Result<ProfileLock> ProfileLock::acquire(const QString& profileDir)
{
    auto file = std::make_unique<QLockFile>(QDir(profileDir).filePath(QStringLiteral("lock")));
    // Stale only when its holder is gone, however long a live one has held it. (A live
    // holder's flock already keeps Qt from removing its lock; where the file system has no
    // flock, Qt's default would call a lock older than 30 s stale and let a second Plenum in.)
    file->setStaleLockTime(0);
    if (file->tryLock(0)) return ProfileLock(std::move(file));
    if (file->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host, app;
        file->getLockInfo(&pid, &host, &app);
        return fail(QStringLiteral("this profile is in use by another running Plenum (%1, "
                                   "process %2 on %3): close it first, or choose another "
                                   "profile")
                        .arg(app.isEmpty() ? QStringLiteral("unknown program") : app)
                        .arg(pid)
                        .arg(host.isEmpty() ? QStringLiteral("this machine") : host));
    }
    return fail(QStringLiteral("cannot lock the profile %1: %2")
                    .arg(profileDir, file->error() == QLockFile::PermissionError
                                         ? QStringLiteral("no permission to write in it")
                                         : QStringLiteral("unknown error")));
}

} // namespace plenum::node

#pragma once
// One running Plenum per profile. Two would speak as the same device (the mesh would see one
// device at two addresses, each taking the other's links and seat) and number their chat
// messages from the same counter, so two different messages would share a (sender, seq).
// Held by the Node for its lifetime; a lock left by a process that died is taken over.

#include "protocol/result.h"

#include <memory>

class QLockFile;

namespace plenum::node {

class ProfileLock {
public:
    static Result<ProfileLock> acquire(const QString& profileDir);

    ProfileLock(ProfileLock&&) noexcept;
    ProfileLock& operator=(ProfileLock&&) noexcept;
    ~ProfileLock();

private:
    explicit ProfileLock(std::unique_ptr<QLockFile> file);
    std::unique_ptr<QLockFile> file_;
};

} // namespace plenum::node

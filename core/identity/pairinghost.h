#pragma once
// The existing device's side of pairing: one live code at a time, 10 minutes, single use,
// and rate-limited attempts. Pure logic: the caller passes the time in.

#include "identity/pairingcode.h"
#include "identity/pairingmessages.h"

#include <optional>

namespace plenum::identity {

class PairingHost {
public:
    static constexpr qint64 kCodeLifetimeSecs = 10 * 60;
    static constexpr int kMaxFailures = 5;         // then the code is burned
    static constexpr qint64 kMinIntervalMs = 1000; // between two attempts

    explicit PairingHost(const DeviceId& self) : self_(self) {}

    // Makes a new code (replacing any earlier one).
    PairingCode createCode(const QDateTime& now);
    void cancel() { code_.reset(); }
    bool hasLiveCode(const QDateTime& now) const;

    // Checks a request against the live code. On success the code is used up.
    Status check(const PairingRequest& request, const QDateTime& now);

private:
    DeviceId self_;
    std::optional<PairingCode> code_;
    int failures_ = 0;
    QDateTime lastAttempt_;
};

} // namespace plenum::identity

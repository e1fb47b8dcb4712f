#pragma once
// The existing device's side of pairing: one live code at a time, 10 minutes, single use,
// and rate-limited attempts. Pure logic: the caller passes the time in.
//
// Limits are per sender (the new device's key, which signed the request), so a stranger who
// knows the host cannot burn the code with wrong proofs, nor keep others waiting: each sender
// gets one attempt per second and five failures, after which that sender is refused until the
// code is replaced. The 128-bit secret, not the failure count, is what stops guessing.

#include "identity/pairingcode.h"
#include "identity/pairingmessages.h"

#include <QHash>

#include <optional>

namespace plenum::identity {

class PairingHost {
public:
    static constexpr qint64 kCodeLifetimeSecs = 10 * 60;
    static constexpr int kMaxFailures = 5;         // then the code is burned
    static constexpr qint64 kMinIntervalMs = 1000; // between two attempts of one sender
    static constexpr int kMaxSenders = 256;        // distinct senders tracked per code

    explicit PairingHost(const DeviceId& self) : self_(self) {}

    // Makes a new code (replacing any earlier one).
    PairingCode createCode(const QDateTime& now);
    void cancel()
    {
        code_.reset();
        senders_.clear();
    }
    bool hasLiveCode(const QDateTime& now) const;

    // Checks a request against the live code. On success the code is used up.
    Status check(const PairingRequest& request, const QDateTime& now);

private:
    DeviceId self_;
    struct Sender {
        int failures = 0;
        QDateTime lastAttempt;
    };
    std::optional<PairingCode> code_;
    QHash<DeviceId, Sender> senders_; // by the hash of the request's (signing) key
};

} // namespace plenum::identity

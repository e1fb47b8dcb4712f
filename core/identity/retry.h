#pragma once
// Tries an asynchronous DHT operation again after a failure, waiting longer each time (the
// first delay, then twice that, ...): a put or get that no node answered often succeeds a
// moment later. Used for certificate look-ups (DeviceMailbox) and a hand-off's withdrawal
// (NodeHandoff), so the two cannot drift apart in how they count attempts.

#include "protocol/result.h"

#include <QObject>

#include <functional>

namespace plenum::identity {

struct RetryPolicy {
    int attempts = 1;     // in all, the first included
    int firstDelayMs = 0; // before the second attempt; doubles for each later one
    // Asked before each wait (its length in ms): false stops early, e.g. when the result would
    // come too late to matter. Empty: always wait.
    std::function<bool(int delayMs)> mayWait = {};
};

// Runs `attempt`, which reports its outcome through the callback it is given, until it
// succeeds or `policy` gives up; then `done` gets the last outcome and how many attempts ran.
// The waits are timers of `context`: once it is destroyed, nothing more runs.
using RetryAttempt = std::function<void(std::function<void(Status)> report)>;
void retryWithBackoff(QObject* context, RetryAttempt attempt, RetryPolicy policy,
                      std::function<void(Status, int attempts)> done);

} // namespace plenum::identity

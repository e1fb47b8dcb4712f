#pragma once
// Replay protection for DHT mailbox envelopes (docs/security.md). An envelope is admitted at
// most once: its nonce is remembered for as long as its send time is inside the window the
// mailbox accepts, and the memory survives a restart (an append-only file in the profile).
// When the memory is full, the oldest nonce is forgotten and its send time becomes a floor:
// nothing sent at or before the floor is admitted again, so spam can delay first contacts but
// never reopen the door to a replay. Pure logic apart from the file; time is passed in.

#include "protocol/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <cstdio>
#include <map>

namespace plenum::identity {

class ReplayGuard {
public:
    static constexpr qint64 kDefaultWindowMs = 12 * 60 * 1000; // max age + max skew
    static constexpr int kDefaultCapacity = 65536;
    static constexpr int kMaxNonceBytes = 64;

    explicit ReplayGuard(qint64 windowMs = kDefaultWindowMs, int capacity = kDefaultCapacity);
    ~ReplayGuard();
    ReplayGuard(const ReplayGuard&) = delete;
    ReplayGuard& operator=(const ReplayGuard&) = delete;

    // Loads the nonces kept at `path` (created 0600 if missing) and appends to it from now on.
    // A damaged tail is cut off; an unreadable or non-regular file is an error.
    Status open(const QString& path, qint64 nowMs);

    // True the first time (nonce, sentMs) is seen; false for a replay, an empty or oversized
    // nonce, or a send time at or below the floor. Written to the file before it returns true.
    bool admit(const QByteArray& nonce, qint64 sentMs, qint64 nowMs);

    qsizetype size() const { return nonces_.size(); }
    qint64 floorMs() const { return floor_; }

private:
    void expire(qint64 nowMs);
    bool append(const QByteArray& nonce, qint64 sentMs);
    Status rewrite();

    qint64 windowMs_;
    int capacity_;
    qint64 floor_ = 0; // send times <= floor_ are refused
    QHash<QByteArray, qint64> nonces_;
    std::multimap<qint64, QByteArray> bySentTime_;
    QString path_;
    int fd_ = -1;
    qsizetype recordsOnFile_ = 0;
};

} // namespace plenum::identity

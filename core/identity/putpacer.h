#pragma once
// Paces the puts of one DHT value that changes in bursts (issue 14). During a link-drop cascade
// every removal and re-admission changed this device's presence title, and each change was a
// signed put of about 3.4 kB: some 70 OpenDHT datagrams, repeated by every member of the call.
// At most one put per interval: a change inside the interval is owed, not dropped, and goes
// out when the interval ends with the newest content (trailing edge), so the last change of a
// burst always reaches the DHT. A change after a quiet interval goes out at once.
// Pure: the caller passes the time, does the puts and arms its own timer for due().

#include <QtGlobal>

#include <optional>

namespace plenum::identity {

class PutPacer {
public:
    explicit PutPacer(qint64 intervalMs) : intervalMs_(intervalMs) {}

    // The content changed at `nowMs`. True: put it now (and call put()). False: the put is
    // owed; put the newest content when onTimer() says so, at due().
    bool changed(qint64 nowMs);
    // A put of the newest content went out at `nowMs`, paced or not (a refresh, a state the
    // user chose): it carries whatever was owed and starts a new interval.
    void put(qint64 nowMs);
    // The caller's timer for due() fired at `nowMs`. True: put the newest content now (and
    // call put()). False: nothing is owed, or it fired early (arm it again for due()).
    bool onTimer(qint64 nowMs) const;
    // When the owed put may go out; nullopt if nothing is owed.
    std::optional<qint64> due() const;

    qint64 interval() const { return intervalMs_; }
    void setInterval(qint64 ms) { intervalMs_ = ms; }

private:
    qint64 intervalMs_;
    std::optional<qint64> lastPutMs_;
    bool owed_ = false;
};

} // namespace plenum::identity

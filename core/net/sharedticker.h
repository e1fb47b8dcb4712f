#pragma once
// One timer per thread and interval for many periodic callbacks (issue 14: CPU per call member).
//
// Every media stream sends a keepalive when it was silent for a period (20 ms). With a timer per
// link, an N-way call woke the process 50 x (N-1) times a second at random phases (750 wakeups a
// second at N=16, each a poll() over every socket of every link) just to find that voice had
// gone out anyway. One timer for all links wakes it 50 times a second whatever N is.

#include <QObject>
#include <QTimer>

#include <functional>
#include <vector>

namespace plenum::net {

class SharedTicker : public QObject {
    Q_OBJECT
public:
    // The ticker of this thread for `intervalMs` (created on first use, lives until the thread
    // ends).
    static SharedTicker& forInterval(int intervalMs);

    // Calls `tick` on every beat until remove(owner). One callback per owner; adding again
    // replaces it. The first beat comes within one interval.
    void add(const void* owner, std::function<void()> tick);
    // Safe inside a callback (also for another owner's entry).
    void remove(const void* owner);
    bool contains(const void* owner) const;
    int intervalMs() const { return timer_.interval(); }
    qsizetype size() const;

private:
    explicit SharedTicker(int intervalMs);
    void beat();

    struct Entry {
        const void* owner;
        std::function<void()> tick;
    };
    std::vector<Entry> entries_; // removed entries have owner == nullptr until the beat ends
    bool beating_ = false;
    QTimer timer_;
};

} // namespace plenum::net

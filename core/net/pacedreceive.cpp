#include "net/pacedreceive.h"

#include <QCoreApplication>
#include <QThread>
#include <QTimer>

#include <glib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>

namespace plenum::net {

namespace {

// A drain stops after this many dispatch rounds: each round reads every ready socket until it
// would block, so more rounds mean datagrams keep arriving while we read (a flood); the rest
// waits for the next drain rather than starving the event loop.
constexpr int kMaxRounds = 8;

// One beat for the process: the call's audio thread drains it before each playback pull, the
// links' thread (which owns the streams) before judging a link silent and on the fallback timer.
struct Beat {
    Beat() : context(g_main_context_new())
    {
        fallback.setSingleShot(true);
        fallback.setInterval(PacedReceive::kDefaultFallbackMs);
        QObject::connect(&fallback, &QTimer::timeout, [this] {
            // Drained meanwhile by another thread (the call's audio thread, which cannot
            // restart this timer): wait a whole interval again rather than read now.
            if (PacedReceive::clockUs() - lastDrainUs.load() < fallback.interval() * 1000) {
                fallback.start();
                return;
            }
            PacedReceive::drain();
        });
        // The timer beats on the links' (the application's) thread, whichever thread made it.
        if (auto* app = QCoreApplication::instance()) fallback.moveToThread(app->thread());
    }
    ~Beat() { g_main_context_unref(context); }

    // Restarts the fallback when on its thread; any thread's drain counts (lastDrainUs).
    void drained()
    {
        lastDrainUs = PacedReceive::clockUs();
        if (QThread::currentThread() == fallback.thread() && owners.load() > 0) fallback.start();
    }

    GMainContext* context;
    // Held while the context dispatches, and by a stream that attaches to or leaves it: a
    // stream's receive callback never runs while its owner tears it down on another thread.
    PiMutex dispatch{true};         // recursive: a callback may attach or detach a stream
    std::set<const void*> ownerSet; // the links' thread only
    std::atomic<int> owners{0};
    QTimer fallback; // restarted by every drain: it fires only when nothing else drains
    std::atomic<qint64> lastDrainUs{0};
};

thread_local bool draining = false;

Beat& beat()
{
    // Lives as long as the process, like the streams that may be read on it.
    static Beat* b = new Beat;
    return *b;
}

} // namespace

GMainContext* PacedReceive::context()
{
    return beat().context;
}

void PacedReceive::attach(const void* owner)
{
    Beat& b = beat();
    b.ownerSet.insert(owner);
    b.owners = int(b.ownerSet.size());
    if (!b.fallback.isActive()) b.fallback.start();
}

void PacedReceive::detach(const void* owner)
{
    Beat& b = beat();
    b.ownerSet.erase(owner);
    b.owners = int(b.ownerSet.size());
    if (b.ownerSet.empty()) b.fallback.stop();
}

void PacedReceive::drain()
{
    Beat& b = beat();
    if (draining || b.owners.load() == 0) return;
    {
        // Waits for another thread's drain: what that one read may still be on its way into a
        // jitter buffer, and a pull must find every datagram that came before it (skipping the
        // drain instead made such a packet late for the pull). The holder inherits our priority.
        std::lock_guard lock(b.dispatch);
        draining = true;
        for (int round = 0; round < kMaxRounds && g_main_context_iteration(b.context, FALSE);
             ++round) {
        }
        draining = false;
    }
    b.drained();
}

std::unique_lock<PiMutex> PacedReceive::holdDispatch()
{
    return std::unique_lock(beat().dispatch);
}

void PacedReceive::setFallbackMs(int ms)
{
    beat().fallback.setInterval(std::max(1, ms));
}

qint64 PacedReceive::clockUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace plenum::net

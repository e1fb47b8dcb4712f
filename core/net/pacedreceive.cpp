#include "net/pacedreceive.h"

#include <QTimer>

#include <glib.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>

namespace plenum::net {

namespace {

// A drain stops after this many dispatch rounds: each round reads every ready socket until it
// would block, so more rounds mean datagrams keep arriving while we read (a flood); the rest
// waits for the next drain rather than starving the event loop.
constexpr int kMaxRounds = 8;

struct Beat {
    Beat() : context(g_main_context_new())
    {
        fallback.setSingleShot(true);
        fallback.setInterval(PacedReceive::kDefaultFallbackMs);
        QObject::connect(&fallback, &QTimer::timeout, [] { PacedReceive::drain(); });
    }
    ~Beat() { g_main_context_unref(context); }

    GMainContext* context;
    std::set<const void*> owners;
    QTimer fallback; // restarted by every drain: it fires only when nothing else drains
    bool draining = false;
};

Beat& beat()
{
    thread_local auto b = std::make_unique<Beat>(); // a QTimer beats on its own thread
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
    b.owners.insert(owner);
    if (!b.fallback.isActive()) b.fallback.start();
}

void PacedReceive::detach(const void* owner)
{
    Beat& b = beat();
    b.owners.erase(owner);
    if (b.owners.empty()) b.fallback.stop();
}

void PacedReceive::drain()
{
    Beat& b = beat();
    if (b.draining || b.owners.empty()) return;
    b.draining = true;
    for (int round = 0; round < kMaxRounds && g_main_context_iteration(b.context, FALSE); ++round) {
    }
    b.draining = false;
    if (!b.owners.empty()) b.fallback.start();
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

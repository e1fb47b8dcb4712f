#include "net/sharedticker.h"

#include <algorithm>
#include <map>
#include <memory>

namespace plenum::net {

SharedTicker& SharedTicker::forInterval(int intervalMs)
{
    // Per thread: a QTimer beats on the thread that owns it.
    thread_local std::map<int, std::unique_ptr<SharedTicker>> tickers;
    auto& t = tickers[intervalMs];
    if (!t) t.reset(new SharedTicker(intervalMs));
    return *t;
}

SharedTicker::SharedTicker(int intervalMs)
{
    timer_.setInterval(std::max(1, intervalMs));
    connect(&timer_, &QTimer::timeout, this, &SharedTicker::beat);
}

void SharedTicker::add(const void* owner, std::function<void()> tick)
{
    if (!owner || !tick) return;
    for (auto& e : entries_)
        if (e.owner == owner) {
            e.tick = std::move(tick);
            return;
        }
    entries_.push_back({owner, std::move(tick)});
    if (!timer_.isActive()) timer_.start();
}

void SharedTicker::remove(const void* owner)
{
    for (auto& e : entries_)
        if (e.owner == owner) e.owner = nullptr;
    if (beating_) return; // beat() compacts
    std::erase_if(entries_, [](const Entry& e) { return e.owner == nullptr; });
    if (entries_.empty()) timer_.stop();
}

bool SharedTicker::contains(const void* owner) const
{
    return owner && std::any_of(entries_.begin(), entries_.end(),
                                [owner](const Entry& e) { return e.owner == owner; });
}

qsizetype SharedTicker::size() const
{
    return std::count_if(entries_.begin(), entries_.end(),
                         [](const Entry& e) { return e.owner != nullptr; });
}

void SharedTicker::beat()
{
    beating_ = true;
    // By index: a callback may add entries (they beat from the next interval on).
    const size_t n = entries_.size();
    for (size_t i = 0; i < n; ++i) {
        if (!entries_[i].owner) continue;
        const auto tick = entries_[i].tick; // the entry may be replaced while it runs
        tick();
    }
    beating_ = false;
    std::erase_if(entries_, [](const Entry& e) { return e.owner == nullptr; });
    if (entries_.empty()) timer_.stop();
}

} // namespace plenum::net

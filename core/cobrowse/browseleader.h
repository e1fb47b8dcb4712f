#pragma once
// The sending side of co-browsing (DESIGN §9): numbers this device's browse events and
// rate-limits scrolling. Used by the leader for navigations and scrolls, and by any member
// for "push this page". Pure logic: the caller passes the time and sends what comes back.

#include "protocol/messages.h"

#include <cstdint>
#include <optional>

namespace plenum::cobrowse {

class BrowseLeader {
public:
    struct Options {
        std::int64_t scrollIntervalMs = 100; // <= 10 scroll updates per second
    };
    explicit BrowseLeader(Options options) : options_(options) {}
    BrowseLeader() : BrowseLeader(Options{}) {}

    // Resumes numbering after a restart (the highest seq this device sent).
    void resumeAfter(std::uint64_t seq) { seq_ = std::max(seq_, seq); }
    std::uint64_t lastSeq() const { return seq_; }

    // The leader went to a page (or, pushed, shows it to everyone). A pending scroll of the
    // old page is dropped: it would land on the new one.
    protocol::BrowseNavigate navigate(const QString& url, const QString& title,
                                      std::uint64_t generation, bool pushed = false);
    // The leader scrolled (fractions of the page, 0..kScrollFull). Returns the update to send
    // now if the rate allows; otherwise it is held and the last position wins.
    std::optional<protocol::BrowseScroll> scroll(std::uint32_t x, std::uint32_t y,
                                                 std::uint64_t generation, std::int64_t nowMs);
    // Timer: sends the held scroll once the interval has passed.
    std::optional<protocol::BrowseScroll> onTick(std::int64_t nowMs);
    std::optional<std::int64_t> nextWake() const;

private:
    protocol::BrowseScroll stamp(protocol::BrowseScroll s);

    Options options_;
    std::uint64_t seq_ = 0;
    std::optional<std::int64_t> lastScrollAt_;
    std::optional<protocol::BrowseScroll> held_;
};

} // namespace plenum::cobrowse

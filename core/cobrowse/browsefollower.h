#pragma once
// The receiving side of co-browsing (DESIGN §9, §5.1 rule 11). Only the baton holder's
// events of the current baton generation move this device's browser, and only while
// "follow" is on; otherwise the leader's page is remembered so the UI can say "Alice is on
// <page>" with a "jump there" button. Pushed pages from other members become cards; a page
// the leader pushes is a forced navigation. Pure logic: the Node feeds it the baton from the
// committed roster and the events from the links, and shows what it answers.

#include "cobrowse/urlpolicy.h"
#include "protocol/messages.h"

#include <QHash>

#include <cstdint>
#include <optional>

namespace plenum::cobrowse {

struct Baton {
    DeviceId holder;
    std::uint64_t generation = 0;
    friend bool operator==(const Baton&, const Baton&) = default;
};

struct Page {
    QString url;
    QString title;
    DeviceId by;
    std::uint64_t generation = 0;
    bool pushed = false;
    friend bool operator==(const Page&, const Page&) = default;
};

class BrowseFollower {
public:
    enum class Outcome {
        Shown,   // the browser goes there
        Noted,   // the leader's page, remembered while follow is off (or the domain is blocked)
        Card,    // a member pushed a page: shown beside the chat, the browser stays
        Ignored, // not from the leader, an older baton, or a repeat: nothing changes
        Refused, // the address breaks the URL policy: nothing is shown, the reason is
    };
    struct Result {
        Outcome outcome = Outcome::Ignored;
        QString reason; // words for the UI when Ignored or Refused (or Noted because blocked)
    };

    explicit BrowseFollower(DeviceId self) : self_(self) {}

    // The committed roster's baton. A new generation forgets the old leader's page position
    // but keeps what is on screen.
    void setBaton(const Baton& baton);
    const Baton& baton() const { return baton_; }

    Result onNavigate(const DeviceId& from, const protocol::BrowseNavigate& m);
    // The scroll to apply now, if we follow and are on the leader's page.
    std::optional<protocol::BrowseScroll> onScroll(const DeviceId& from,
                                                   const protocol::BrowseScroll& m);

    // Follow off keeps the current page; on goes to the leader's page at once.
    std::optional<Page> setFollow(bool on);
    bool following() const { return follow_; }
    // "Jump there": shows the leader's page once, without turning follow on.
    std::optional<Page> jumpToLeader();

    // This device navigated by itself (a link clicked while not following, or as leader).
    void showLocal(const Page& page) { shown_ = page; }

    DomainBlocklist& blocklist() { return blocked_; }
    const std::optional<Page>& shown() const { return shown_; }
    const std::optional<Page>& leaderPage() const { return leaderPage_; }
    const std::optional<protocol::BrowseScroll>& leaderScroll() const { return leaderScroll_; }

private:
    bool fresh(const DeviceId& from, std::uint64_t seq);
    bool fromLeader(const DeviceId& from, std::uint64_t generation) const
    {
        return from == baton_.holder && generation == baton_.generation && from != self_;
    }

    DeviceId self_;
    Baton baton_;
    bool follow_ = true;
    DomainBlocklist blocked_;
    QHash<DeviceId, std::uint64_t> lastSeq_; // per sender: its newest browse event
    std::optional<Page> shown_;
    std::optional<Page> leaderPage_;
    std::optional<protocol::BrowseScroll> leaderScroll_;
};

} // namespace plenum::cobrowse

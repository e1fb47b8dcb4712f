#include "cobrowse/browsefollower.h"

namespace plenum::cobrowse {

void BrowseFollower::setBaton(const Baton& baton)
{
    if (baton.generation < baton_.generation) return; // rosters never go back; neither do we
    if (baton.generation != baton_.generation) leaderScroll_.reset();
    baton_ = baton;
}

bool BrowseFollower::fresh(const DeviceId& from, std::uint64_t seq)
{
    auto it = lastSeq_.find(from);
    if (it != lastSeq_.end() && seq <= it.value()) return false;
    lastSeq_.insert(from, seq);
    return true;
}

BrowseFollower::Result BrowseFollower::onNavigate(const DeviceId& from,
                                                  const protocol::BrowseNavigate& m)
{
    const bool leader = fromLeader(from, m.generation);
    if (!m.pushed && !leader)
        return {Outcome::Ignored, from == baton_.holder
                                      ? QStringLiteral("The page is from an older baton.")
                                      : QStringLiteral("Only the leader moves the browsers.")};
    if (!fresh(from, m.seq))
        return {Outcome::Ignored, QStringLiteral("The page was already shown, or a newer one.")};
    const Page page{m.url, m.title, from, m.generation, m.pushed};
    // The address is checked on every device: a blocked domain here stays blocked even when the
    // leader goes there, but the UI still says where the leader is.
    if (auto refusal = refuseUrl(m.url)) return {Outcome::Refused, *refusal};
    if (!leader) return {Outcome::Card, {}};
    leaderPage_ = page;
    leaderScroll_.reset();
    if (auto blocked = refuseUrl(m.url, blocked_)) return {Outcome::Noted, *blocked};
    if (!follow_ && !m.pushed) return {Outcome::Noted, {}};
    shown_ = page;
    return {Outcome::Shown, {}};
}

std::optional<protocol::BrowseScroll> BrowseFollower::onScroll(const DeviceId& from,
                                                               const protocol::BrowseScroll& m)
{
    if (!fromLeader(from, m.generation) || !fresh(from, m.seq)) return std::nullopt;
    leaderScroll_ = m;
    if (!follow_ || !shown_ || !leaderPage_ || shown_->url != leaderPage_->url) return std::nullopt;
    return m;
}

std::optional<Page> BrowseFollower::setFollow(bool on)
{
    follow_ = on;
    if (!on) return std::nullopt;
    return jumpToLeader();
}

std::optional<Page> BrowseFollower::jumpToLeader()
{
    if (!leaderPage_ || refuseUrl(leaderPage_->url, blocked_)) return std::nullopt;
    shown_ = leaderPage_;
    return shown_;
}

} // namespace plenum::cobrowse

#include "cobrowse/browseleader.h"

#include "protocol/limits.h"

#include <algorithm>

namespace plenum::cobrowse {

protocol::BrowseNavigate BrowseLeader::navigate(const QString& url, const QString& title,
                                                std::uint64_t generation, bool pushed)
{
    if (!pushed) held_.reset();
    protocol::BrowseNavigate n;
    n.generation = generation;
    n.seq = ++seq_;
    n.url = url;
    // A title is only shown; cut it rather than have every receiver refuse the message.
    const auto limit = qsizetype(protocol::limits::kMaxPageTitleBytes);
    n.title = title.left(limit);
    while (n.title.toUtf8().size() > limit ||
           (!n.title.isEmpty() && n.title.back().isHighSurrogate()))
        n.title.chop(1);
    n.pushed = pushed;
    return n;
}

std::optional<protocol::BrowseScroll>
BrowseLeader::scroll(std::uint32_t x, std::uint32_t y, std::uint64_t generation, std::int64_t nowMs)
{
    protocol::BrowseScroll s;
    s.generation = generation;
    s.x = std::min(x, protocol::limits::kScrollFull);
    s.y = std::min(y, protocol::limits::kScrollFull);
    if (lastScrollAt_ && nowMs - *lastScrollAt_ < options_.scrollIntervalMs) {
        held_ = s;
        return std::nullopt;
    }
    held_.reset();
    lastScrollAt_ = nowMs;
    return stamp(s);
}

std::optional<protocol::BrowseScroll> BrowseLeader::onTick(std::int64_t nowMs)
{
    if (!held_ || (lastScrollAt_ && nowMs - *lastScrollAt_ < options_.scrollIntervalMs))
        return std::nullopt;
    protocol::BrowseScroll s = *held_;
    held_.reset();
    lastScrollAt_ = nowMs;
    return stamp(s);
}

std::optional<std::int64_t> BrowseLeader::nextWake() const
{
    if (!held_) return std::nullopt;
    return lastScrollAt_.value_or(0) + options_.scrollIntervalMs;
}

protocol::BrowseScroll BrowseLeader::stamp(protocol::BrowseScroll s)
{
    s.seq = ++seq_;
    return s;
}

} // namespace plenum::cobrowse

#include "chat/typingthrottle.h"

#include <algorithm>

namespace plenum::chat {

using protocol::Typing;

namespace {
bool same(const Typing& a, const Typing& b)
{
    return a.text == b.text && a.plain == b.plain;
}
} // namespace

std::optional<Typing> TypingThrottle::emit(const Typing& update, std::int64_t nowMs)
{
    last_ = update; // before reset: `update` may refer to *held_ (onTick)
    held_.reset();
    lastSentAt_ = nowMs;
    return update;
}

std::optional<Typing> TypingThrottle::want(const Typing& update, std::int64_t nowMs)
{
    if (same(update, last_)) {
        held_.reset(); // e.g. typed and erased a letter within one interval
        return std::nullopt;
    }
    if (!lastSentAt_ || nowMs - *lastSentAt_ >= options_.minIntervalMs) return emit(update, nowMs);
    held_ = update;
    return std::nullopt;
}

std::optional<Typing> TypingThrottle::onEdit(const QString& draft, std::int64_t nowMs)
{
    lastEditAt_ = nowMs;
    if (draft.isEmpty()) return want(Typing{}, nowMs);
    return want(options_.plain ? Typing{QString(), true} : Typing{draft, false}, nowMs);
}

std::optional<Typing> TypingThrottle::onSend(std::int64_t nowMs)
{
    return want(Typing{}, nowMs);
}

std::optional<Typing> TypingThrottle::onTick(std::int64_t nowMs)
{
    const bool rateOk = !lastSentAt_ || nowMs - *lastSentAt_ >= options_.minIntervalMs;
    if (!isClear(last_) || (held_ && !isClear(*held_))) {
        if (nowMs - lastEditAt_ >= options_.idleMs) {
            held_ = Typing{};
            if (!rateOk) return std::nullopt;
            return emit(Typing{}, nowMs);
        }
    }
    if (held_ && rateOk) return emit(*held_, nowMs);
    return std::nullopt;
}

std::optional<std::int64_t> TypingThrottle::nextWake() const
{
    std::optional<std::int64_t> next;
    if (held_) next = *lastSentAt_ + options_.minIntervalMs;
    if (!isClear(last_)) {
        const std::int64_t idle = lastEditAt_ + options_.idleMs;
        next = next ? std::min(*next, idle) : idle;
    }
    return next;
}

std::optional<Typing> TypingThrottle::shown() const
{
    if (isClear(last_)) return std::nullopt;
    return last_;
}

} // namespace plenum::chat

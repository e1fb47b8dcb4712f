#pragma once
// Live typing (DESIGN §6): the draft goes to the others as it is typed, at most one update
// per `minIntervalMs` (10/s by default), and is cleared when the message is sent or the
// user stops typing. In plain mode only a "typing…" state goes out, never the text.
// Pure logic: the caller passes the time and sends what comes back.

#include "protocol/messages.h"

#include <cstdint>
#include <optional>

namespace plenum::chat {

class TypingThrottle {
public:
    struct Options {
        std::int64_t minIntervalMs = 100; // <= 10 updates per second
        std::int64_t idleMs = 5'000;      // no edit for this long clears the indicator
        bool plain = false;               // send "typing…" instead of the text
    };

    explicit TypingThrottle(Options options) : options_(options) {}
    TypingThrottle() : TypingThrottle(Options{}) {}

    void setPlain(bool plain) { options_.plain = plain; }
    bool plain() const { return options_.plain; }

    // The draft changed. Returns the update to send now, if the rate allows one.
    std::optional<protocol::Typing> onEdit(const QString& draft, std::int64_t nowMs);
    // The draft was sent as a message: clear the indicator.
    std::optional<protocol::Typing> onSend(std::int64_t nowMs);
    // Timer: sends a held-back update, or the clear after idleMs.
    std::optional<protocol::Typing> onTick(std::int64_t nowMs);
    // When onTick next has something to do, if ever.
    std::optional<std::int64_t> nextWake() const;

    // What the others see now: nullopt when nothing is shown.
    std::optional<protocol::Typing> shown() const;

private:
    std::optional<protocol::Typing> emit(const protocol::Typing& update, std::int64_t nowMs);
    std::optional<protocol::Typing> want(const protocol::Typing& update, std::int64_t nowMs);
    static bool isClear(const protocol::Typing& t) { return t.text.isEmpty() && !t.plain; }

    Options options_;
    protocol::Typing last_{}; // last update sent (starts as "clear")
    std::optional<std::int64_t> lastSentAt_;
    std::optional<protocol::Typing> held_; // waiting for the rate limit
    std::int64_t lastEditAt_ = 0;
};

} // namespace plenum::chat

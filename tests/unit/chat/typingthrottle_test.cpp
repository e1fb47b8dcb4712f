#include "chat/typingthrottle.h"

#include <gtest/gtest.h>

using namespace plenum::chat;
using plenum::protocol::Typing;

TEST(TypingThrottle, AtMostTenUpdatesPerSecondAndTheLatestTextWins)
{
    TypingThrottle t;
    QString draft;
    std::vector<std::pair<std::int64_t, Typing>> sent;
    // A fast typist: one key every 15 ms for 3 s; the caller ticks every 5 ms.
    for (std::int64_t now = 0; now <= 3000; now += 5) {
        if (now % 15 == 0) {
            draft += QLatin1Char('a' + (now / 15) % 26);
            if (auto u = t.onEdit(draft, now)) sent.emplace_back(now, *u);
        }
        if (auto u = t.onTick(now)) sent.emplace_back(now, *u);
    }
    ASSERT_GE(sent.size(), 25u);
    EXPECT_LE(sent.size(), 31u);
    for (std::size_t i = 1; i < sent.size(); ++i)
        EXPECT_GE(sent[i].first - sent[i - 1].first, 100) << "update " << i;
    // After the last edit the held-back draft still goes out.
    for (std::int64_t now = 3005; now <= 3200; now += 5)
        if (auto u = t.onTick(now)) sent.emplace_back(now, *u);
    EXPECT_EQ(sent.back().second.text, draft);
}

TEST(TypingThrottle, ClearedWhenTheMessageIsSent)
{
    TypingThrottle t;
    ASSERT_TRUE(t.onEdit(QStringLiteral("hello"), 0));
    const auto clear = t.onSend(500);
    ASSERT_TRUE(clear);
    EXPECT_TRUE(clear->text.isEmpty());
    EXPECT_FALSE(clear->plain);
    EXPECT_FALSE(t.shown());
}

TEST(TypingThrottle, ClearedAfterIdle)
{
    TypingThrottle t(TypingThrottle::Options{100, 2000, false});
    ASSERT_TRUE(t.onEdit(QStringLiteral("hel"), 0));
    EXPECT_EQ(t.nextWake(), 2000);
    EXPECT_FALSE(t.onTick(1999));
    const auto clear = t.onTick(2000);
    ASSERT_TRUE(clear);
    EXPECT_TRUE(clear->text.isEmpty());
    EXPECT_FALSE(t.nextWake());
    EXPECT_FALSE(t.onTick(5000)) << "cleared only once";
}

TEST(TypingThrottle, PlainModeSendsTypingButNeverTheText)
{
    TypingThrottle t(TypingThrottle::Options{100, 5000, true});
    const auto first = t.onEdit(QStringLiteral("secret"), 0);
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->plain);
    EXPECT_TRUE(first->text.isEmpty());
    for (std::int64_t now = 10; now < 1000; now += 10) {
        EXPECT_FALSE(t.onEdit(QStringLiteral("secret more"), now)) << "no repeats while typing";
        EXPECT_FALSE(t.onTick(now));
    }
}

TEST(TypingThrottle, ErasingTheDraftClears)
{
    TypingThrottle t;
    ASSERT_TRUE(t.onEdit(QStringLiteral("x"), 0));
    const auto clear = t.onEdit(QString(), 300);
    ASSERT_TRUE(clear);
    EXPECT_TRUE(clear->text.isEmpty());
    EXPECT_FALSE(clear->plain);
}

// Regression (commit 7182a4d): onTick emits the held-back draft, and emit() used to free the
// held copy before reading it. The draft here is the throttle's only reference to a buffer
// larger than glibc's mmap threshold, so the old code read unmapped memory and crashed even
// without ASan (with ASan: heap-use-after-free).
TEST(TypingThrottle, HeldDraftSentByTickIsIntactAfterTheHeldCopyIsDropped)
{
    TypingThrottle t;
    ASSERT_TRUE(t.onEdit(QStringLiteral("a"), 0).has_value());
    const qsizetype size = 300 * 1024; // 600 KiB of UTF-16: its own mmap'ed block
    EXPECT_FALSE(t.onEdit(QString(size, QLatin1Char('x')), 10).has_value()) << "held back";
    auto sent = t.onTick(100); // the temporary above is gone: the held copy owns the text
    ASSERT_TRUE(sent.has_value());
    ASSERT_EQ(sent->text.size(), size);
    EXPECT_EQ(sent->text.count(QLatin1Char('x')), size);
    EXPECT_EQ(t.shown()->text.size(), size);
}

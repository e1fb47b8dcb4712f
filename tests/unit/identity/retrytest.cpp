// retryWithBackoff: an operation that fails is tried again after growing waits until it
// succeeds or the policy gives up, and the caller hears the last outcome and the count once.
// Waits are asserted only from below (a busy machine makes them longer, never shorter).
#include "identity/retry.h"

#include <QElapsedTimer>
#include <QObject>

#include "testeventloop.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

using namespace plenum;
using namespace plenum::identity;
using plenum::test::ensureApp;
using plenum::test::runUntil;

namespace {

// Fails its first `failures` calls, then succeeds; notes when each call came. It reports
// from the event loop, as a DHT callback does.
struct Flaky {
    int failures;
    std::vector<qint64> calls;
    QElapsedTimer clock;
    QObject* context;
    RetryAttempt attempt()
    {
        return [this](std::function<void(Status)> report) {
            calls.push_back(clock.elapsed());
            const bool ok = static_cast<int>(calls.size()) > failures;
            QMetaObject::invokeMethod(
                context,
                [report, ok] {
                    report(ok ? Status{Ok{}} : Status{fail(QStringLiteral("no node"))});
                },
                Qt::QueuedConnection);
        };
    }
};

struct Outcome {
    std::optional<Status> status;
    int attempts = 0;
    int reports = 0;
};

std::function<void(Status, int)> into(Outcome& o)
{
    return [&o](Status s, int n) {
        o.status = std::move(s);
        o.attempts = n;
        ++o.reports;
    };
}

} // namespace

TEST(RetryWithBackoff, AnOperationThatSucceedsOnTheThirdTryIsReportedOnceAsSuccess)
{
    ensureApp();
    QObject context;
    Flaky op{2, {}, {}, &context};
    op.clock.start();
    Outcome o;
    retryWithBackoff(&context, op.attempt(), RetryPolicy{5, 40}, into(o));
    ASSERT_TRUE(runUntil([&] { return o.reports > 0; }, 10000));
    runUntil([] { return false; }, 200); // nothing more comes
    EXPECT_EQ(o.reports, 1);
    EXPECT_TRUE(*o.status);
    EXPECT_EQ(o.attempts, 3);
    ASSERT_EQ(op.calls.size(), 3u);
    EXPECT_GE(op.calls[1] - op.calls[0], 40) << "the first wait";
    EXPECT_GE(op.calls[2] - op.calls[1], 80) << "the second wait doubles";
}

TEST(RetryWithBackoff, AnOperationThatNeverSucceedsIsTriedAsOftenAsThePolicySaysThenReported)
{
    ensureApp();
    QObject context;
    Flaky op{1000, {}, {}, &context};
    op.clock.start();
    Outcome o;
    retryWithBackoff(&context, op.attempt(), RetryPolicy{4, 10}, into(o));
    ASSERT_TRUE(runUntil([&] { return o.reports > 0; }, 10000));
    runUntil([] { return false; }, 200);
    EXPECT_EQ(o.reports, 1);
    ASSERT_FALSE(*o.status);
    EXPECT_EQ(o.status->error(), QStringLiteral("no node"));
    EXPECT_EQ(o.attempts, 4);
    EXPECT_EQ(op.calls.size(), 4u);
    EXPECT_GE(op.calls.back() - op.calls.front(), 10 + 20 + 40);
}

TEST(RetryWithBackoff, AWaitThePolicyRefusesEndsTheRetriesWithTheLastFailure)
{
    // As a hand-off's withdrawal: no point putting it after the stored push has expired.
    ensureApp();
    QObject context;
    Flaky op{1000, {}, {}, &context};
    op.clock.start();
    Outcome o;
    std::vector<int> asked;
    RetryPolicy policy{6, 100, [&](int delay) {
                           asked.push_back(delay);
                           return delay < 400; // the deadline: 100 and 200 fit, 400 does not
                       }};
    retryWithBackoff(&context, op.attempt(), policy, into(o));
    ASSERT_TRUE(runUntil([&] { return o.reports > 0; }, 10000));
    EXPECT_FALSE(*o.status);
    EXPECT_EQ(o.attempts, 3);
    EXPECT_EQ(asked, (std::vector<int>{100, 200, 400}));
}

TEST(RetryWithBackoff, NothingRunsOnceItsContextIsGone)
{
    ensureApp();
    auto context = std::make_unique<QObject>();
    QObject reporter; // outlives the context: the first failure still arrives
    Flaky op{1000, {}, {}, &reporter};
    op.clock.start();
    Outcome o;
    retryWithBackoff(context.get(), op.attempt(), RetryPolicy{5, 50}, into(o));
    ASSERT_TRUE(runUntil([&] { return !op.calls.empty(); }, 1000));
    context.reset();
    runUntil([] { return false; }, 500);
    EXPECT_EQ(op.calls.size(), 1u) << "a retry ran after its owner was destroyed";
    EXPECT_EQ(o.reports, 0);
}

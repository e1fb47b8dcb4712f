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

// Runs `op` under `policy` until it is reported, then a while longer: nothing more may come.
Outcome retried(Flaky& op, RetryPolicy policy)
{
    ensureApp();
    op.clock.start();
    Outcome o;
    retryWithBackoff(op.context, op.attempt(), std::move(policy), into(o));
    EXPECT_TRUE(runUntil([&] { return o.reports > 0; }, 10000));
    runUntil([] { return false; }, 200);
    EXPECT_EQ(o.reports, 1);
    if (!o.status) o.status = fail(QStringLiteral("never reported"));
    return o;
}

} // namespace

TEST(RetryWithBackoff, AnOperationThatSucceedsOnTheThirdTryIsReportedOnceAsSuccess)
{
    QObject context;
    Flaky op{2, {}, {}, &context};
    const Outcome o = retried(op, RetryPolicy{5, 40});
    EXPECT_TRUE(*o.status);
    EXPECT_EQ(o.attempts, 3);
    ASSERT_EQ(op.calls.size(), 3u);
    EXPECT_GE(op.calls[1] - op.calls[0], 40) << "the first wait";
    EXPECT_GE(op.calls[2] - op.calls[1], 80) << "the second wait doubles";
}

TEST(RetryWithBackoff, AnOperationThatNeverSucceedsIsTriedAsOftenAsThePolicySaysThenReported)
{
    QObject context;
    Flaky op{1000, {}, {}, &context};
    const Outcome o = retried(op, RetryPolicy{4, 10});
    ASSERT_FALSE(*o.status);
    EXPECT_EQ(o.status->error(), QStringLiteral("no node"));
    EXPECT_EQ(o.attempts, 4);
    EXPECT_EQ(op.calls.size(), 4u);
    EXPECT_GE(op.calls.back() - op.calls.front(), 10 + 20 + 40);
}

TEST(RetryWithBackoff, AWaitThePolicyRefusesEndsTheRetriesWithTheLastFailure)
{
    // As a hand-off's withdrawal: no point putting it after the stored push has expired.
    QObject context;
    Flaky op{1000, {}, {}, &context};
    std::vector<int> asked;
    const Outcome o = retried(op, RetryPolicy{6, 100, [&](int delay) {
                                                  asked.push_back(delay);
                                                  return delay < 400; // 100 and 200 fit
                                              }});
    EXPECT_FALSE(*o.status);
    EXPECT_EQ(o.attempts, 3);
    EXPECT_EQ(asked, (std::vector<int>{100, 200, 400}));
}

TEST(RetryWithBackoff, NothingRunsOnceItsContextIsGone)
{
    // Destroyed while a retry waits (the first failure came back, the 3 s timer runs), and
    // while a report is on its way: neither runs anything nor reports.
    ensureApp();
    for (const bool waiting : {true, false}) {
        auto context = std::make_unique<QObject>();
        QObject reporter; // outlives the context: the first failure still arrives
        Flaky op{1000, {}, {}, &reporter};
        op.clock.start();
        Outcome o;
        retryWithBackoff(context.get(), op.attempt(), RetryPolicy{5, 3000}, into(o));
        if (waiting) runUntil([] { return false; }, 100); // the report, then the timer
        context.reset();
        runUntil([] { return false; }, waiting ? 3500 : 300);
        EXPECT_EQ(op.calls.size(), 1u) << "a retry ran after its owner was destroyed";
        EXPECT_EQ(o.reports, 0);
    }
}

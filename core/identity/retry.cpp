#include "identity/retry.h"

#include <QPointer>
#include <QTimer>

#include <memory>

namespace plenum::identity {

namespace {

struct Retry {
    QPointer<QObject> context;
    RetryAttempt attempt;
    RetryPolicy policy;
    std::function<void(Status, int)> done;
    int ran = 0;
};

void run(const std::shared_ptr<Retry>& r)
{
    ++r->ran;
    r->attempt([r](Status s) {
        if (!r->context) return;
        const int delay = r->policy.firstDelayMs << (r->ran - 1);
        if (s || r->ran >= r->policy.attempts || (r->policy.mayWait && !r->policy.mayWait(delay))) {
            if (r->done) r->done(std::move(s), r->ran);
            return;
        }
        QTimer::singleShot(delay, r->context.data(), [r] { run(r); });
    });
}

} // namespace

void retryWithBackoff(QObject* context, RetryAttempt attempt, RetryPolicy policy,
                      std::function<void(Status, int attempts)> done)
{
    auto r = std::make_shared<Retry>(
        Retry{context, std::move(attempt), std::move(policy), std::move(done), 0});
    run(r);
}

} // namespace plenum::identity

#include "identity/putpacer.h"

namespace plenum::identity {

bool PutPacer::changed(qint64 nowMs)
{
    if (owed_) return false; // the owed put will carry this change too
    if (!lastPutMs_ || nowMs - *lastPutMs_ >= intervalMs_) return true;
    owed_ = true;
    return false;
}

void PutPacer::put(qint64 nowMs)
{
    lastPutMs_ = nowMs;
    owed_ = false;
}

bool PutPacer::onTimer(qint64 nowMs) const
{
    const auto at = due();
    return at && nowMs >= *at;
}

std::optional<qint64> PutPacer::due() const
{
    if (!owed_) return std::nullopt;
    return lastPutMs_ ? *lastPutMs_ + intervalMs_ : 0;
}

} // namespace plenum::identity

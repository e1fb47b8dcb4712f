#include "identity/pairinghost.h"

#include "crypto/keys.h"

namespace plenum::identity {

PairingCode PairingHost::createCode(const QDateTime& now)
{
    code_ = PairingCode{self_, crypto::randomBytes(PairingCode::kSecretBytes),
                        now.addSecs(kCodeLifetimeSecs)};
    senders_.clear();
    return *code_;
}

bool PairingHost::hasLiveCode(const QDateTime& now) const
{
    return code_ && now < code_->expires;
}

Status PairingHost::check(const PairingRequest& request, const QDateTime& now)
{
    if (!code_) return fail(QStringLiteral("there is no pairing code on this device; create one"));
    if (now >= code_->expires) {
        code_.reset();
        return fail(QStringLiteral("the pairing code has expired; create a new one"));
    }
    const DeviceId sender =
        DeviceId::fromBytes(crypto::sha256(request.devicePublicKeyDer)).value_or(DeviceId{});
    if (!senders_.contains(sender) && senders_.size() >= kMaxSenders)
        return fail(QStringLiteral("too many devices tried this pairing code; create a new one"));
    Sender& from = senders_[sender];
    if (from.failures >= kMaxFailures)
        return fail(QStringLiteral("too many wrong attempts from this device; create a new code"));
    if (from.lastAttempt.isValid() && from.lastAttempt.msecsTo(now) < kMinIntervalMs)
        return fail(QStringLiteral("too many pairing attempts; wait a moment and try again"));
    from.lastAttempt = now;
    const QByteArray expected = code_->proofFor(request.devicePublicKeyDer);
    // Constant-time comparison: the proof is a MAC.
    unsigned char diff = expected.size() == request.proof.size() ? 0 : 1;
    for (qsizetype i = 0; i < expected.size() && i < request.proof.size(); ++i)
        diff |= static_cast<unsigned char>(expected[i] ^ request.proof[i]);
    if (diff != 0) {
        if (++from.failures >= kMaxFailures)
            return fail(QStringLiteral("the pairing code is wrong; too many wrong attempts, so "
                                       "this device may not try this code again"));
        return fail(QStringLiteral("the pairing code is wrong"));
    }
    code_.reset(); // single use
    senders_.clear();
    return Ok{};
}

} // namespace plenum::identity

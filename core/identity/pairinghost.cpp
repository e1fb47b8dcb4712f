#include "identity/pairinghost.h"

#include "crypto/keys.h"

namespace plenum::identity {

PairingCode PairingHost::createCode(const QDateTime& now)
{
    code_ = PairingCode{self_, crypto::randomBytes(PairingCode::kSecretBytes),
                        now.addSecs(kCodeLifetimeSecs)};
    failures_ = 0;
    lastAttempt_ = {};
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
    if (lastAttempt_.isValid() && lastAttempt_.msecsTo(now) < kMinIntervalMs)
        return fail(QStringLiteral("too many pairing attempts; wait a moment and try again"));
    lastAttempt_ = now;
    const QByteArray expected = code_->proofFor(request.devicePublicKeyDer);
    // Constant-time comparison: the proof is a MAC.
    unsigned char diff = expected.size() == request.proof.size() ? 0 : 1;
    for (qsizetype i = 0; i < expected.size() && i < request.proof.size(); ++i)
        diff |= static_cast<unsigned char>(expected[i] ^ request.proof[i]);
    if (diff != 0) {
        if (++failures_ >= kMaxFailures) {
            code_.reset();
            return fail(QStringLiteral("the pairing code is wrong; too many wrong attempts, so "
                                       "this code no longer works"));
        }
        return fail(QStringLiteral("the pairing code is wrong"));
    }
    code_.reset(); // single use
    return Ok{};
}

} // namespace plenum::identity

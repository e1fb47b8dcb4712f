#include "identity/pairingrequester.h"

namespace plenum::identity {

PairingRequester::PairingRequester(DeviceMailbox* mailbox, const crypto::PrivateKey* deviceKey,
                                   QObject* parent)
    : QObject(parent), mailbox_(mailbox), key_(deviceKey)
{
    connect(mailbox_, &DeviceMailbox::requestReceived, this, &PairingRequester::onRequest);
}

Status PairingRequester::start(QStringView codeText, const QString& deviceName)
{
    auto code = PairingCode::parse(codeText);
    if (!code) return Error{code.error()};
    code_ = code.value();
    const QByteArray pub = key_->publicKeyDer();
    const PairingRequest req{pub, deviceName.left(PairingRequest::kMaxNameLength),
                             code_->proofFor(pub)};
    mailbox_->send(code_->host, RequestKind::PairingRequest, req.encode(), [this](Status s) {
        if (!s) Q_EMIT failed(s.error());
    });
    return Ok{};
}

void PairingRequester::onRequest(const OpenedEnvelope& env)
{
    if (env.kind != RequestKind::PairingGrant || !code_ || grant_) return;
    // Only the device named in the code may answer.
    if (!env.chain || env.chain->device != code_->host) {
        Q_EMIT failed(
            QStringLiteral("a pairing answer came from a device other than the one in the code"));
        return;
    }
    auto grant = PairingGrant::decode(env.body);
    if (!grant) {
        Q_EMIT failed(grant.error());
        return;
    }
    if (crypto::accountIdOf(grant->accountCert) != env.chain->account) {
        Q_EMIT failed(
            QStringLiteral("the pairing answer is for another account than its sender's"));
        return;
    }
    grant_ = grant.value();
    Q_EMIT paired();
}

Result<Profile> PairingRequester::takeProfile(crypto::PrivateKey deviceKey)
{
    if (!grant_) return fail(QStringLiteral("the device is not paired yet"));
    return grant_->toProfile(std::move(deviceKey));
}

} // namespace plenum::identity

#include "identity/pairingresponder.h"

#include <QDateTime>

namespace plenum::identity {

PairingResponder::PairingResponder(DeviceMailbox* mailbox, Profile* profile, QObject* parent)
    : QObject(parent), mailbox_(mailbox), profile_(profile), host_(profile->device.id())
{
    connect(mailbox_, &DeviceMailbox::requestReceived, this, &PairingResponder::onRequest);
}

PairingCode PairingResponder::createCode()
{
    return host_.createCode(QDateTime::currentDateTimeUtc());
}

void PairingResponder::onRequest(const OpenedEnvelope& env)
{
    if (env.kind != RequestKind::PairingRequest) return;
    auto req = PairingRequest::decode(env.body);
    if (!req) {
        Q_EMIT pairingRefused(req.error());
        return;
    }
    // The envelope is signed by the key being certified: possession is proven.
    if (req->devicePublicKeyDer != env.senderKeyDer) {
        Q_EMIT pairingRefused(
            QStringLiteral("the pairing request names a key it is not signed by"));
        return;
    }
    if (auto s = host_.check(req.value(), QDateTime::currentDateTimeUtc()); !s) {
        Q_EMIT pairingRefused(s.error());
        return;
    }
    auto cert = profile_->account.certifyDevice(req->devicePublicKeyDer, req->deviceName);
    if (!cert) {
        Q_EMIT pairingRefused(cert.error());
        return;
    }
    const QByteArray grant = PairingGrant::from(*profile_, cert.value()).encode();
    const DeviceId id = crypto::deviceIdOf(cert.value());
    const QString name = req->deviceName;
    mailbox_->sendToKey(env.sender, env.senderKeyDer, RequestKind::PairingGrant, grant,
                        [this, id, name](Status s) {
                            if (s)
                                Q_EMIT devicePaired(id, name);
                            else
                                Q_EMIT pairingRefused(s.error());
                        });
}

} // namespace plenum::identity

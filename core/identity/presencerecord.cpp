#include "identity/presencerecord.h"

#include <QCborArray>
#include <QCborMap>

namespace plenum::identity {

QByteArray PresenceRecord::encode(const DeviceIdentity& signer) const
{
    QCborArray devs;
    for (const DeviceId& d : accountDevices)
        devs.append(d.toBytes());
    const QByteArray inner =
        QCborMap{{QStringLiteral("v"), 1},
                 {QStringLiteral("name"), displayName},
                 {QStringLiteral("deviceName"), deviceName},
                 {QStringLiteral("state"), static_cast<int>(state)},
                 {QStringLiteral("class"), static_cast<int>(deviceClass)},
                 {QStringLiteral("devices"), devs},
                 {QStringLiteral("sessions"), livesessions::encode(sessions)},
                 {QStringLiteral("published"), published.toMSecsSinceEpoch()},
                 {QStringLiteral("expires"), expires.toMSecsSinceEpoch()},
                 {QStringLiteral("deviceCert"), signer.deviceCertificate().toDer()},
                 {QStringLiteral("accountCert"), signer.accountCertificate().toDer()}}
            .toCborValue()
            .toCbor();
    return QCborMap{{QStringLiteral("inner"), inner},
                    {QStringLiteral("sig"), signer.deviceKey().sign(inner)}}
        .toCborValue()
        .toCbor();
}

Result<PresenceRecord> PresenceRecord::decode(const QByteArray& bytes,
                                              const AccountId& expectedAccount,
                                              const QSet<DeviceId>& revoked)
{
    if (bytes.size() > kMaxEncoded) return fail(QStringLiteral("the presence record is too large"));
    QCborParserError err;
    const QCborMap outer = QCborValue::fromCbor(bytes, &err).toMap();
    if (err.error != QCborError::NoError)
        return fail(QStringLiteral("the presence record is malformed"));
    const QByteArray inner = outer.value(QStringLiteral("inner")).toByteArray();
    const QCborMap m = QCborValue::fromCbor(inner, &err).toMap();
    if (err.error != QCborError::NoError || m.isEmpty())
        return fail(QStringLiteral("the presence record is malformed"));
    auto dc = crypto::Certificate::fromDer(m.value(QStringLiteral("deviceCert")).toByteArray());
    auto ac = crypto::Certificate::fromDer(m.value(QStringLiteral("accountCert")).toByteArray());
    if (!dc || !ac)
        return fail(QStringLiteral("the presence record's certificates are unreadable"));
    auto chain = crypto::verifyDeviceChain({dc.value(), ac.value()}, revoked);
    if (!chain)
        return fail(QStringLiteral("the presence record is not trusted: %1").arg(chain.error()));
    if (chain->account != expectedAccount)
        return fail(QStringLiteral("the presence record belongs to another account"));
    if (!dc->verifySignature(inner, outer.value(QStringLiteral("sig")).toByteArray()))
        return fail(QStringLiteral("the presence record's signature is not valid"));

    PresenceRecord r;
    r.account = chain->account;
    r.device = chain->device;
    r.displayName = m.value(QStringLiteral("name")).toString().left(64);
    r.deviceName = m.value(QStringLiteral("deviceName")).toString().left(64);
    const qint64 state = m.value(QStringLiteral("state")).toInteger();
    const qint64 cls = m.value(QStringLiteral("class")).toInteger();
    if (state < 0 || state > 3 || cls < 0 || cls > 3)
        return fail(QStringLiteral("the presence record has an unknown state or device class"));
    r.state = static_cast<PresenceState>(state);
    r.deviceClass = static_cast<DeviceClass>(cls);
    const QCborArray devs = m.value(QStringLiteral("devices")).toArray();
    if (devs.size() > kMaxDevices)
        return fail(QStringLiteral("the presence record lists too many devices"));
    for (const QCborValue& d : devs)
        if (auto id = DeviceId::fromBytes(d.toByteArray())) r.accountDevices.append(*id);
    // Absent in records of older versions: no live sessions.
    auto live = livesessions::decode(m.value(QStringLiteral("sessions")));
    if (!live) return fail(live.error());
    r.sessions = std::move(live.value());
    r.published = QDateTime::fromMSecsSinceEpoch(m.value(QStringLiteral("published")).toInteger());
    r.expires = QDateTime::fromMSecsSinceEpoch(m.value(QStringLiteral("expires")).toInteger());
    r.deviceCert = dc.value();
    r.accountCert = ac.value();
    return r;
}

} // namespace plenum::identity

#include "identity/pairingmessages.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamReader>
#include <QJsonDocument>

namespace plenum::identity {

namespace {

Result<QCborMap> parseMap(const QByteArray& bytes, qsizetype limit, const QString& what)
{
    if (bytes.size() > limit) return fail(QStringLiteral("the %1 is too large").arg(what));
    QCborParserError err;
    const QCborValue v = QCborValue::fromCbor(bytes, &err);
    if (err.error != QCborError::NoError || !v.isMap())
        return fail(QStringLiteral("the %1 is not readable").arg(what));
    return v.toMap();
}

QString str(const QCborMap& m, const char* key)
{
    return m.value(QLatin1String(key)).toString();
}

QByteArray bytesOf(const QCborMap& m, const char* key)
{
    return m.value(QLatin1String(key)).toByteArray();
}

} // namespace

QByteArray PairingRequest::encode() const
{
    return QCborMap{{QStringLiteral("key"), devicePublicKeyDer},
                    {QStringLiteral("name"), deviceName},
                    {QStringLiteral("proof"), proof}}
        .toCborValue()
        .toCbor();
}

Result<PairingRequest> PairingRequest::decode(const QByteArray& bytes)
{
    auto m = parseMap(bytes, 8 * 1024, QStringLiteral("pairing request"));
    if (!m) return Error{m.error()};
    PairingRequest r{bytesOf(m.value(), "key"), str(m.value(), "name"),
                     bytesOf(m.value(), "proof")};
    if (r.devicePublicKeyDer.isEmpty() || r.proof.size() != 32)
        return fail(QStringLiteral("the pairing request lacks a key or a proof"));
    if (r.deviceName.size() > kMaxNameLength)
        return fail(QStringLiteral("the device name in the pairing request is too long"));
    return r;
}

PairingGrant PairingGrant::from(const Profile& host, const crypto::Certificate& newDeviceCert)
{
    PairingGrant g;
    g.accountKeyPem = host.account.key().toPem();
    g.accountCert = host.account.certificate();
    g.deviceCert = newDeviceCert;
    g.displayName = host.account.displayName();
    g.avatar = host.account.avatar();
    g.devices = host.account.devices();
    g.revoked = host.account.revoked().values();
    g.contacts = host.contacts;
    g.preferences = host.preferences;
    return g;
}

QByteArray PairingGrant::encode() const
{
    QCborArray devs;
    for (const DeviceRecord& d : devices)
        devs.append(QCborMap{{QStringLiteral("name"), d.name},
                             {QStringLiteral("cert"), d.certificate.toDer()}});
    QCborArray rev;
    for (const DeviceId& r : revoked)
        rev.append(r.toBytes());
    return QCborMap{
        {QStringLiteral("accountKey"), accountKeyPem},
        {QStringLiteral("accountCert"), accountCert.toDer()},
        {QStringLiteral("deviceCert"), deviceCert.toDer()},
        {QStringLiteral("displayName"), displayName},
        {QStringLiteral("avatar"), avatar},
        {QStringLiteral("devices"), devs},
        {QStringLiteral("revoked"), rev},
        {QStringLiteral("contacts"), contacts.toCbor()},
        {QStringLiteral("preferences"), QJsonDocument(preferences).toJson(QJsonDocument::Compact)}}
        .toCborValue()
        .toCbor();
}

Result<PairingGrant> PairingGrant::decode(const QByteArray& bytes)
{
    auto parsed = parseMap(bytes, kMaxEncoded, QStringLiteral("pairing grant"));
    if (!parsed) return Error{parsed.error()};
    const QCborMap& m = parsed.value();
    PairingGrant g;
    g.accountKeyPem = bytesOf(m, "accountKey");
    auto ac = crypto::Certificate::fromDer(bytesOf(m, "accountCert"));
    auto dc = crypto::Certificate::fromDer(bytesOf(m, "deviceCert"));
    if (!ac || !dc) return fail(QStringLiteral("the pairing grant has an unreadable certificate"));
    g.accountCert = ac.value();
    g.deviceCert = dc.value();
    g.displayName = str(m, "displayName");
    g.avatar = bytesOf(m, "avatar");
    const QCborArray devs = m.value(QStringLiteral("devices")).toArray();
    if (devs.size() > Account::kMaxDevices)
        return fail(QStringLiteral("the pairing grant lists too many devices"));
    for (const QCborValue& v : devs) {
        auto c =
            crypto::Certificate::fromDer(v.toMap().value(QStringLiteral("cert")).toByteArray());
        if (!c) return fail(QStringLiteral("the pairing grant lists an unreadable device"));
        g.devices.append({crypto::deviceIdOf(c.value()),
                          v.toMap().value(QStringLiteral("name")).toString(), c.value()});
    }
    for (const QCborValue& v : m.value(QStringLiteral("revoked")).toArray()) {
        const auto id = DeviceId::fromBytes(v.toByteArray());
        if (!id) return fail(QStringLiteral("the pairing grant lists a bad revoked device"));
        g.revoked.append(*id);
    }
    auto contacts = ContactList::fromCbor(m.value(QStringLiteral("contacts")));
    if (!contacts) return Error{contacts.error()};
    g.contacts = contacts.value();
    const QJsonDocument prefs = QJsonDocument::fromJson(bytesOf(m, "preferences"));
    g.preferences = prefs.object();
    return g;
}

Result<Profile> PairingGrant::toProfile(crypto::PrivateKey deviceKey) const
{
    if (deviceCert.publicKeyDer() != deviceKey.publicKeyDer())
        return fail(QStringLiteral("the pairing grant certifies a different device key"));
    auto accountKey = crypto::PrivateKey::fromPem(accountKeyPem);
    if (!accountKey)
        return fail(QStringLiteral("the pairing grant's account key: %1").arg(accountKey.error()));
    auto account = Account::fromParts(std::move(accountKey).value(), accountCert, displayName);
    if (!account) return Error{account.error()};
    if (auto s = account->setAvatar(avatar); !s) return Error{s.error()};
    for (const DeviceId& r : revoked)
        account->addRevoked(r);
    for (const DeviceRecord& d : devices)
        if (auto s = account->addDevice(d); !s) return Error{s.error()};
    if (auto s = account->addDevice(
            {crypto::deviceIdOf(deviceCert), deviceCert.commonName(), deviceCert});
        !s)
        return Error{s.error()};
    auto device = DeviceIdentity::withCertificate(std::move(deviceKey), deviceCert, accountCert);
    if (!device) return Error{device.error()};
    Profile p;
    p.account = std::move(account).value();
    p.device = std::move(device).value();
    p.contacts = contacts;
    p.preferences = preferences;
    return p;
}

} // namespace plenum::identity

#include "identity/profilestore.h"

#include "storage/privatefile.h"

#include <QCborValue>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace plenum::identity {

namespace {

const QStringList kIdentityFiles = {
    QStringLiteral("account.key"), QStringLiteral("account.crt"), QStringLiteral("device.key"),
    QStringLiteral("device.crt"),  QStringLiteral("link.key"),    QStringLiteral("link.crt"),
};

constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// A profile folder that another user can write lets that user swap our key files: refused.
Status checkFolderIsOurs(const QString& dir)
{
    struct stat st {};
    if (::stat(QFile::encodeName(dir).constData(), &st) != 0)
        return fail(
            QStringLiteral("cannot inspect the profile folder %1: %2").arg(dir, errnoText()));
    if (!S_ISDIR(st.st_mode))
        return fail(QStringLiteral("the profile path %1 is not a folder").arg(dir));
    if (st.st_uid != ::geteuid())
        return fail(QStringLiteral("the profile folder %1 belongs to another user").arg(dir));
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return fail(
            QStringLiteral("the profile folder %1 can be written by other users; refusing it "
                           "(run chmod 700 on it)")
                .arg(dir));
    return Ok{};
}

QJsonObject accountJson(const Account& a)
{
    QJsonArray devices;
    for (const DeviceRecord& d : a.devices())
        devices.append(
            QJsonObject{{QStringLiteral("name"), d.name},
                        {QStringLiteral("cert"), QString::fromLatin1(d.certificate.toPem())}});
    QJsonArray revoked;
    for (const DeviceId& r : a.revoked())
        revoked.append(r.toHex());
    return {{QStringLiteral("displayName"), a.displayName()},
            {QStringLiteral("avatar"), QString::fromLatin1(a.avatar().toBase64())},
            {QStringLiteral("devices"), devices},
            {QStringLiteral("revoked"), revoked}};
}

Status restoreAccountState(Account& a, const QJsonObject& o)
{
    if (auto s = a.setAvatar(
            QByteArray::fromBase64(o.value(QStringLiteral("avatar")).toString().toLatin1()));
        !s)
        return s;
    for (const QJsonValue& r : o.value(QStringLiteral("revoked")).toArray()) {
        const auto id = DeviceId::fromHex(r.toString());
        if (!id) return fail(QStringLiteral("account.json lists a revoked device with a bad id"));
        a.addRevoked(*id);
    }
    for (const QJsonValue& v : o.value(QStringLiteral("devices")).toArray()) {
        const QJsonObject d = v.toObject();
        auto cert =
            crypto::Certificate::fromPem(d.value(QStringLiteral("cert")).toString().toLatin1());
        if (!cert) return fail(QStringLiteral("account.json: %1").arg(cert.error()));
        const DeviceRecord rec{crypto::deviceIdOf(cert.value()),
                               d.value(QStringLiteral("name")).toString(), cert.value()};
        if (a.revoked().contains(rec.id)) continue;
        if (auto s = a.addDevice(rec); !s)
            return fail(QStringLiteral("account.json: %1").arg(s.error()));
    }
    return Ok{};
}

} // namespace

ProfileStore::ProfileStore(QString directory) : dir_(std::move(directory)) {}

QString ProfileStore::path(const QString& name) const
{
    return QDir(dir_).filePath(name);
}

bool ProfileStore::hasIdentity() const
{
    for (const QString& f : kIdentityFiles)
        if (QFile::exists(path(f))) return true;
    return false;
}

Status ProfileStore::writeFile(const QString& name, const QByteArray& bytes) const
{
    return storage::savePrivate(path(name), bytes, QStringLiteral("the profile file ") + name);
}

Result<QByteArray> ProfileStore::readFile(const QString& name) const
{
    // Regular files only, and a bounded read: a key file that is a symlink to /dev/zero or a
    // FIFO must give an error, not exhaust memory or block start-up.
    auto read =
        storage::readRegular(path(name), kMaxFileBytes, QStringLiteral("the profile file ") + name);
    if (!read) return Error{read.error()};
    if (!read->has_value())
        return fail(QStringLiteral("the profile file %1 is missing").arg(path(name)));
    return read.value().value();
}

Result<Profile> ProfileStore::create(const QString& displayName, const QString& deviceName) const
{
    if (hasIdentity())
        return fail(
            QStringLiteral("a profile already exists in %1; it is never overwritten").arg(dir_));
    auto p = Profile::createNew(displayName, deviceName);
    if (!p) return p;
    if (auto s = adopt(p.value()); !s) return Error{s.error()};
    return p;
}

Status ProfileStore::adopt(const Profile& p) const
{
    if (hasIdentity())
        return fail(
            QStringLiteral("a profile already exists in %1; it is never overwritten").arg(dir_));
    if (!QDir().mkpath(dir_))
        return fail(QStringLiteral("cannot create the directory %1").arg(dir_));
    if (!QFile::setPermissions(dir_, kOwnerOnly | QFileDevice::ExeOwner))
        return fail(QStringLiteral("cannot make the profile folder %1 private (0700)").arg(dir_));
    if (auto s = checkFolderIsOurs(dir_); !s) return s;
    const std::pair<QString, QByteArray> files[] = {
        {QStringLiteral("account.crt"), p.account.certificate().toPem()},
        {QStringLiteral("device.crt"), p.device.deviceCertificate().toPem()},
        {QStringLiteral("link.crt"), p.device.linkCertificate().toPem()},
        {QStringLiteral("device.key"), p.device.deviceKey().toPem()},
        {QStringLiteral("link.key"), p.device.linkKey().toPem()},
        {QStringLiteral("account.key"), p.account.key().toPem()},
    };
    for (const auto& [name, bytes] : files)
        if (auto s = writeFile(name, bytes); !s) return s;
    return saveState(p);
}

Status ProfileStore::saveState(const Profile& p) const
{
    if (auto s = checkFolderIsOurs(dir_); !s) return s;
    if (auto s = writeFile(QStringLiteral("account.json"),
                           QJsonDocument(accountJson(p.account)).toJson());
        !s)
        return s;
    if (auto s = writeFile(QStringLiteral("contacts.cbor"), p.contacts.toCbor().toCbor()); !s)
        return s;
    return writeFile(QStringLiteral("preferences.json"), QJsonDocument(p.preferences).toJson());
}

Result<Profile> ProfileStore::load() const
{
    if (!hasIdentity()) return fail(QStringLiteral("there is no profile in %1").arg(dir_));
    if (auto s = checkFolderIsOurs(dir_); !s) return Error{s.error()};
    std::map<QString, QByteArray> raw;
    for (const QString& f : kIdentityFiles) {
        auto bytes = readFile(f);
        if (!bytes) return Error{bytes.error()};
        raw[f] = bytes.value();
    }
    auto key = [&](const char* name) -> Result<crypto::PrivateKey> {
        auto k = crypto::PrivateKey::fromPem(raw[QString::fromLatin1(name)]);
        if (!k)
            return fail(QStringLiteral("the profile file %1 is corrupt: %2")
                            .arg(path(QString::fromLatin1(name)), k.error()));
        return k;
    };
    auto cert = [&](const char* name) -> Result<crypto::Certificate> {
        auto c = crypto::Certificate::fromPem(raw[QString::fromLatin1(name)]);
        if (!c)
            return fail(QStringLiteral("the profile file %1 is corrupt: %2")
                            .arg(path(QString::fromLatin1(name)), c.error()));
        return c;
    };
    auto accountKey = key("account.key");
    auto deviceKey = key("device.key");
    auto linkKey = key("link.key");
    auto accountCert = cert("account.crt");
    auto deviceCert = cert("device.crt");
    auto linkCert = cert("link.crt");
    for (const QString* e :
         {accountKey ? nullptr : &accountKey.error(), deviceKey ? nullptr : &deviceKey.error(),
          linkKey ? nullptr : &linkKey.error(), accountCert ? nullptr : &accountCert.error(),
          deviceCert ? nullptr : &deviceCert.error(), linkCert ? nullptr : &linkCert.error()})
        if (e) return fail(*e);

    auto json = readFile(QStringLiteral("account.json"));
    if (!json) return Error{json.error()};
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(json.value(), &perr);
    if (!doc.isObject())
        return fail(QStringLiteral("the profile file %1 is corrupt: %2")
                        .arg(path(QStringLiteral("account.json")), perr.errorString()));

    auto account = Account::fromParts(std::move(accountKey).value(), accountCert.value(),
                                      doc.object().value(QStringLiteral("displayName")).toString());
    if (!account)
        return fail(
            QStringLiteral("the profile in %1 is inconsistent: %2").arg(dir_, account.error()));
    if (auto s = restoreAccountState(account.value(), doc.object()); !s) return Error{s.error()};
    auto device = DeviceIdentity::fromParts(std::move(deviceKey).value(), deviceCert.value(),
                                            std::move(linkKey).value(), linkCert.value(),
                                            accountCert.value());
    if (!device)
        return fail(
            QStringLiteral("the profile in %1 is inconsistent: %2").arg(dir_, device.error()));

    Profile p;
    p.account = std::move(account).value();
    p.device = std::move(device).value();
    if (auto c = readFile(QStringLiteral("contacts.cbor")); c) {
        QCborParserError cerr;
        const QCborValue v = QCborValue::fromCbor(c.value(), &cerr);
        auto contacts = ContactList::fromCbor(v);
        if (cerr.error != QCborError::NoError || !contacts)
            return fail(QStringLiteral("the profile file %1 is corrupt")
                            .arg(path(QStringLiteral("contacts.cbor"))));
        p.contacts = contacts.value();
    } else {
        return Error{c.error()};
    }
    if (auto prefs = readFile(QStringLiteral("preferences.json")); prefs) {
        const QJsonDocument d = QJsonDocument::fromJson(prefs.value(), &perr);
        if (!d.isObject())
            return fail(QStringLiteral("the profile file %1 is corrupt")
                            .arg(path(QStringLiteral("preferences.json"))));
        p.preferences = d.object();
    } else {
        return Error{prefs.error()};
    }
    return p;
}

} // namespace plenum::identity

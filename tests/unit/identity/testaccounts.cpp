#include "testaccounts.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace plenum::testsupport {

crypto::PrivateKey cachedAccountKey(int n)
{
    const QString path = QDir::temp().filePath(QStringLiteral("plenum-test-account-%1.pem").arg(n));
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
        if (auto k = crypto::PrivateKey::fromPem(f.readAll());
            k && k->kind() == crypto::KeyKind::Rsa4096)
            return std::move(k).value();
    }
    auto key = crypto::PrivateKey::generate(crypto::KeyKind::Rsa4096).value();
    QSaveFile out(path); // atomic: parallel test processes never read half a key
    if (out.open(QIODevice::WriteOnly)) {
        out.write(key.toPem());
        out.commit();
    }
    return key;
}

identity::Account testAccount(int n, const QString& name)
{
    auto key = cachedAccountKey(n);
    auto cert =
        crypto::issueCertificate(key, name, crypto::CertRole::Account, nullptr, key).value();
    return identity::Account::fromParts(std::move(key), cert, name).value();
}

identity::Profile testProfile(int n, const QString& name, const QString& deviceName)
{
    identity::Profile p;
    p.account = testAccount(n, name);
    p.device = identity::DeviceIdentity::create(deviceName, p.account).value();
    return p;
}

} // namespace plenum::testsupport

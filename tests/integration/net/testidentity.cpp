#include "testidentity.h"

namespace plenum::net::test {

namespace {

template <typename T> T must(Result<T> r, const char* what)
{
    if (!r) qFatal("test identity: %s: %s", what, qPrintable(r.error()));
    return std::move(r).value();
}

} // namespace

TestIdentity makeTestIdentity(const QString& name, crypto::KeyKind deviceKind,
                              crypto::KeyKind accountKind)
{
    using namespace plenum::crypto;
    const PrivateKey accountKey = must(PrivateKey::generate(accountKind), "account key");
    const PrivateKey deviceKey = must(PrivateKey::generate(deviceKind), "device key");
    const PrivateKey linkKey = must(PrivateKey::generate(KeyKind::Ed25519), "link key");
    const Certificate account = must(issueCertificate(accountKey, name + QStringLiteral(" account"),
                                                      CertRole::Account, nullptr, accountKey),
                                     "account certificate");
    const Certificate device = must(issueCertificate(deviceKey, name + QStringLiteral(" device"),
                                                     CertRole::Device, &account, accountKey),
                                    "device certificate");
    const Certificate link = must(issueCertificate(linkKey, name + QStringLiteral(" link"),
                                                   CertRole::Link, &device, deviceKey),
                                  "link certificate");
    TestIdentity id;
    id.device = deviceIdOf(device);
    id.account = accountIdOf(account);
    id.credentials =
        must(LinkCredentials::fromIdentity(linkKey, {link, device, account}), "link credentials");
    return id;
}

} // namespace plenum::net::test

#pragma once
// One device's keys and certificates for tests and benchmarks: Ed25519 account, device and
// link keys (fast to make; the chain rules are the same as for the product's RSA keys) and
// the chain [link, device, account], verified.

#include "crypto/certificate.h"
#include "crypto/keys.h"

#include <QList>
#include <QString>

namespace plenum::crypto::test {

struct TestChain {
    PrivateKey accountKey, deviceKey, linkKey;
    Certificate account, device, link;
    VerifiedChain chain;

    explicit TestChain(const QString& name = QStringLiteral("a"))
    {
        accountKey = PrivateKey::generate(KeyKind::Ed25519).value();
        deviceKey = PrivateKey::generate(KeyKind::Ed25519).value();
        linkKey = PrivateKey::generate(KeyKind::Ed25519).value();
        account =
            issueCertificate(accountKey, name, CertRole::Account, nullptr, accountKey).value();
        device = issueCertificate(deviceKey, QStringLiteral("device"), CertRole::Device, &account,
                                  accountKey)
                     .value();
        link = issueCertificate(linkKey, QStringLiteral("link"), CertRole::Link, &device, deviceKey)
                   .value();
        chain = verifyChain(certs()).value();
    }
    QList<Certificate> certs() const { return {link, device, account}; }
    DeviceId id() const { return chain.device; }
    AccountId accountId() const { return chain.account; }
};

} // namespace plenum::crypto::test

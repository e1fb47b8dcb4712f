#include "node/guestpairing.h"

#include "identity/devicemailbox.h"
#include "identity/pairingrequester.h"
#include "identity/profilestore.h"

#include <QDir>

#include <cstdio>

namespace plenum::node {

GuestPairing::GuestPairing(identity::DhtNode* dht, const crypto::PrivateKey* deviceKey,
                           QObject* parent)
    : QObject(parent), dht_(dht), key_(deviceKey)
{
    timeout_.setSingleShot(true);
    connect(&timeout_, &QTimer::timeout, this, [this] {
        finish(QStringLiteral("the device that showed the code did not answer; check the code "
                              "(it is single-use and valid for 10 minutes) and try again"));
    });
}

Status GuestPairing::start(const QString& code, const QString& deviceName)
{
    if (mailbox_) return fail("pairing was already started");
    auto mailbox = identity::DeviceMailbox::createUncertified(dht_, *key_, this);
    if (!mailbox) return fail("cannot open a pairing mailbox: " + mailbox.error());
    mailbox_ = mailbox.value();
    requester_ = new identity::PairingRequester(mailbox_, key_, this);
    connect(requester_, &identity::PairingRequester::paired, this, [this] { finish({}); });
    connect(requester_, &identity::PairingRequester::failed, this,
            [this](const QString& why) { finish(why); });
    mailbox_->start();
    if (auto s = requester_->start(code.trimmed(), deviceName); !s) return s;
    timeout_.start(kTimeoutMs);
    return Ok{};
}

void GuestPairing::finish(const QString& failure)
{
    if (done_) return;
    done_ = true;
    timeout_.stop();
    if (failure.isEmpty())
        Q_EMIT succeeded();
    else
        Q_EMIT failed(failure);
}

Result<identity::Profile> GuestPairing::takeProfile()
{
    auto key = crypto::PrivateKey::fromPem(key_->toPem());
    if (!key) return fail("cannot copy the device key: " + key.error());
    return requester_->takeProfile(std::move(key).value());
}

Status GuestPairing::replaceOnDisk(const QString& dir, const identity::Profile& profile)
{
    const QString staging = QDir(dir).filePath(QStringLiteral("pairing-staging"));
    QDir(staging).removeRecursively();
    if (auto s = identity::ProfileStore(staging).adopt(profile); !s) return s;
    const QStringList files = QDir(staging).entryList(QDir::Files);
    for (const QString& f : files) {
        const QByteArray from = QFile::encodeName(QDir(staging).filePath(f));
        const QByteArray to = QFile::encodeName(QDir(dir).filePath(f));
        // rename(2) replaces the old file atomically.
        if (std::rename(from.constData(), to.constData()) != 0)
            return fail(QStringLiteral("cannot move the paired profile's %1 into %2").arg(f, dir));
    }
    QDir(staging).removeRecursively();
    return Ok{};
}

} // namespace plenum::node

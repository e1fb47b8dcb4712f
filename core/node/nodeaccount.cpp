#include "node/nodeaccount.h"

#include "identity/devicemailbox.h"
#include "identity/pairingresponder.h"
#include "identity/presence.h"
#include "identity/profilestore.h"
#include "net/linkmanager.h"

#include <QDateTime>

namespace plenum::node {

namespace {

std::optional<identity::PresenceState> presenceFromText(const QString& s)
{
    if (s == QLatin1String("online")) return identity::PresenceState::Online;
    if (s == QLatin1String("away")) return identity::PresenceState::Away;
    if (s == QLatin1String("busy")) return identity::PresenceState::Busy;
    return std::nullopt;
}

QString presenceText(identity::PresenceState state)
{
    switch (state) {
    case identity::PresenceState::Online:
        return QStringLiteral("online");
    case identity::PresenceState::Away:
        return QStringLiteral("away");
    case identity::PresenceState::Busy:
        return QStringLiteral("busy");
    case identity::PresenceState::Offline:
        break;
    }
    return QStringLiteral("offline");
}

} // namespace

NodeAccount::NodeAccount(identity::Profile& profile, QString profileDir,
                         protocol::DeviceClass deviceClass, QObject* parent)
    : QObject(parent), profile_(profile), profileDir_(std::move(profileDir)),
      deviceClass_(deviceClass)
{
}

NodeAccount::~NodeAccount()
{
    detach();
}

void NodeAccount::attach(identity::DhtNode* dht, identity::DeviceMailbox* mailbox,
                         net::LinkManager* links)
{
    mailbox_ = mailbox;
    links_ = links;
    presence_ = new identity::Presence(dht, &profile_.device, this);
    connect(presence_, &identity::Presence::presenceChanged, this,
            [this](const AccountId& a, const DeviceId&, identity::PresenceState) {
                Q_EMIT presenceChanged(a, presenceOf(a));
            });
    connect(presence_, &identity::Presence::sessionsChanged, this,
            [this](const AccountId& a, const DeviceId& d) {
                if (a == profile_.account.id() && d != profile_.device.id())
                    Q_EMIT liveSessionsChanged();
            });
    for (const auto& c : profile_.contacts.all())
        presence_->watch(c.account);
    presence_->watch(profile_.account.id()); // our other devices: their class
    presence_->setSessions(liveSessions_);
    publishPresence();
}

void NodeAccount::detach()
{
    delete responder_;
    responder_ = nullptr;
    delete presence_;
    presence_ = nullptr;
    mailbox_ = nullptr;
    links_ = nullptr;
}

Status NodeAccount::save()
{
    if (auto s = identity::ProfileStore(profileDir_).saveState(profile_); !s)
        return fail("the profile could not be saved: " + s.error());
    return Ok{};
}

// ---- contacts and blocking ----

Status NodeAccount::addContact(const AccountId& account)
{
    if (account == profile_.account.id()) return fail("an account cannot be its own contact");
    if (!profile_.contacts.contains(account)) {
        if (auto s = profile_.contacts.add(account, QString()); !s) return s;
        if (auto s = save(); !s) return s;
        Q_EMIT contactsChanged();
    }
    if (presence_) presence_->watch(account);
    return Ok{};
}

QSet<AccountId> NodeAccount::blocked() const
{
    QSet<AccountId> out;
    for (const auto& c : profile_.contacts.all())
        if (c.blocked) out.insert(c.account);
    return out;
}

Status NodeAccount::setBlocked(const AccountId& account, bool blocked)
{
    if (account == profile_.account.id()) return fail("an account cannot block itself");
    if (profile_.contacts.isBlocked(account) == blocked) return Ok{};
    if (auto s = profile_.contacts.setBlocked(account, blocked); !s) return s;
    Q_EMIT blockedChanged();
    if (auto s = save(); !s) return s;
    Q_EMIT contactsChanged();
    return Ok{};
}

// ---- presence ----

QString NodeAccount::presenceOf(const AccountId& account) const
{
    if (!presence_) return QStringLiteral("offline");
    return presenceText(presence_->stateOf(account));
}

QList<DeviceId> NodeAccount::devicesOf(const AccountId& account) const
{
    QList<DeviceId> live, rest;
    if (!presence_) return live;
    for (const auto& r : presence_->devicesOf(account))
        (r.state != identity::PresenceState::Offline ? live : rest).append(r.device);
    return live + rest;
}

QList<DeviceId> NodeAccount::onlineDevicesOf(const AccountId& account) const
{
    QList<DeviceId> out;
    if (!presence_) return out;
    const QDateTime t = QDateTime::currentDateTimeUtc();
    for (const auto& r : presence_->devicesOf(account))
        if (isOnline(r, t)) out.append(r.device);
    return out;
}

std::optional<qint64> NodeAccount::onlineSince(const AccountId& account,
                                               const DeviceId& device) const
{
    if (!presence_) return std::nullopt;
    const QDateTime t = QDateTime::currentDateTimeUtc();
    for (const auto& r : presence_->devicesOf(account))
        if (r.device == device && isOnline(r, t)) return r.published.toMSecsSinceEpoch();
    return std::nullopt;
}

bool NodeAccount::isOnline(const identity::PresenceRecord& r, const QDateTime& now) const
{
    return r.isLive(now) && !profile_.account.revoked().contains(r.device);
}

bool NodeAccount::watch(const AccountId& account)
{
    if (!presence_) return false;
    presence_->watch(account);
    return true;
}

NodeAccount::AccountName NodeAccount::accountName(const AccountId& account) const
{
    if (account == profile_.account.id())
        return {profile_.account.displayName(), NameSource::Contact};
    if (const auto* c = profile_.contacts.find(account); c && !c->displayName.isEmpty())
        return {c->displayName, NameSource::Contact};
    if (presence_)
        for (const auto& r : presence_->devicesOf(account))
            if (!r.displayName.isEmpty()) return {r.displayName, NameSource::Signed};
    return {};
}

void NodeAccount::unwatchStranger(const AccountId& account)
{
    if (!presence_ || account == profile_.account.id() || profile_.contacts.contains(account))
        return;
    presence_->unwatch(account);
}

void NodeAccount::publishPresence()
{
    if (!presence_) return;
    QList<DeviceId> devices;
    for (const auto& d : profile_.account.devices())
        devices.append(d.id);
    presence_->publish(presenceState_, deviceClass_, profile_.account.displayName(), devices);
}

Status NodeAccount::setPresence(const QString& status)
{
    const auto state = presenceFromText(status);
    if (!state) return fail("presence must be online, away or busy");
    presenceState_ = *state;
    publishPresence();
    return Ok{};
}

QString NodeAccount::myPresence() const
{
    return presenceText(presenceState_);
}

Status NodeAccount::setDisplayName(const QString& name)
{
    const QString old = profile_.account.displayName();
    if (auto s = profile_.account.setDisplayName(name.trimmed()); !s) return s;
    if (auto s = save(); !s) {
        (void)profile_.account.setDisplayName(old);
        return s;
    }
    publishPresence();
    return Ok{};
}

// ---- this account's devices ----

void NodeAccount::setLiveSessions(const QList<identity::LiveSession>& sessions)
{
    liveSessions_ = sessions;
    if (presence_) presence_->setSessions(sessions);
}

QList<NodeAccount::LiveSessionElsewhere> NodeAccount::liveSessionsElsewhere() const
{
    QList<LiveSessionElsewhere> out;
    if (!presence_) return out;
    const QDateTime t = QDateTime::currentDateTimeUtc();
    for (const auto& r : presence_->devicesOf(profile_.account.id())) {
        if (r.device == profile_.device.id() || !r.isLive(t) ||
            profile_.account.revoked().contains(r.device))
            continue;
        for (const identity::LiveSession& s : r.sessions)
            out.append({r.device, r.deviceName, r.deviceClass, s});
    }
    return out;
}

std::optional<protocol::DeviceClass> NodeAccount::deviceClassOf(const DeviceId& device) const
{
    if (presence_)
        for (const auto& r : presence_->devicesOf(profile_.account.id()))
            if (r.device == device) return r.deviceClass;
    return std::nullopt;
}

Status NodeAccount::revokeDevice(const DeviceId& device)
{
    if (device == profile_.device.id()) return fail("this device cannot revoke itself");
    if (!profile_.account.revoke(device)) return fail("that device is not one of this account's");
    if (auto s = save(); !s) return s;
    if (mailbox_) mailbox_->setRevoked(profile_.account.revoked());
    if (links_) links_->disconnectFrom(device, QStringLiteral("the device was revoked"));
    publishPresence();
    Q_EMIT devicesChanged();
    return Ok{};
}

Result<QString> NodeAccount::newPairingCode()
{
    if (!mailbox_) return fail("the node is not connected yet");
    if (!responder_) {
        responder_ = new identity::PairingResponder(mailbox_, &profile_, this);
        connect(responder_, &identity::PairingResponder::devicePaired, this,
                [this](const DeviceId& id, const QString& deviceName) {
                    // certifyDevice() listed it in the account: keep and announce the list.
                    if (auto s = save(); !s) Q_EMIT warning(s.error());
                    publishPresence();
                    Q_EMIT devicesChanged();
                    Q_EMIT devicePaired(id, deviceName);
                });
        connect(responder_, &identity::PairingResponder::pairingRefused, this,
                &NodeAccount::pairingRefused);
    }
    return responder_->createCode().toText();
}

} // namespace plenum::node

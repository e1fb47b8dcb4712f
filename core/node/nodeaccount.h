#pragma once
// What this device keeps and publishes for its account (DESIGN §2, §4): contacts and blocking
// (in the profile), presence on the DHT (ours, and our contacts' as watched), the display
// name, the account's devices and their revocation, and pairing codes for new devices. The
// profile is the Node's; this writes it to disk after each change. The network parts it
// speaks through are attached once the Node has started them, and detached when it stops.

#include "identity/presencerecord.h"
#include "identity/profile.h"
#include "protocol/messages.h"
#include "protocol/result.h"

#include <QObject>
#include <QSet>

#include <optional>

namespace plenum::identity {
class DhtNode;
class DeviceMailbox;
class Presence;
class PairingResponder;
} // namespace plenum::identity
namespace plenum::net {
class LinkManager;
}

namespace plenum::node {

class NodeAccount : public QObject {
    Q_OBJECT
public:
    NodeAccount(identity::Profile& profile, QString profileDir, protocol::DeviceClass deviceClass,
                QObject* parent = nullptr);
    ~NodeAccount() override;

    // Starts presence (publishes ours, watches the contacts') and keeps the mailbox and the
    // links for revocation and pairing codes. detach() stops all that (before they go).
    void attach(identity::DhtNode* dht, identity::DeviceMailbox* mailbox, net::LinkManager* links);
    void detach();

    // ---- contacts and blocking ----
    const identity::ContactList& contacts() const { return profile_.contacts; }
    Status addContact(const AccountId& account);
    // Persisted in the contact list (a blocked non-contact is recorded); blockedChanged first.
    Status setBlocked(const AccountId& account, bool blocked);
    QSet<AccountId> blocked() const;

    // ---- presence ----
    // Online/Away/Busy/Offline as the contact's presence on the DHT says ("offline" if unknown).
    QString presenceOf(const AccountId& account) const;
    // The account's devices as its presence lists them (live ones first; empty if unknown).
    QList<DeviceId> devicesOf(const AccountId& account) const;
    // The ones live now and not revoked by this account (whom an invitation goes to).
    QList<DeviceId> onlineDevicesOf(const AccountId& account) const;
    // One of them: when its live record was published (ms since the epoch), else nullopt.
    std::optional<qint64> onlineSince(const AccountId& account, const DeviceId& device) const;
    // Starts watching the account's presence (false: not started yet).
    bool watch(const AccountId& account);
    // A name the account gave itself (contact entry, else presence), or empty.
    QString knownName(const AccountId& account) const { return accountName(account).name; }
    // An account's name and on whose word (issue 13): the contact entry kept on this device
    // (this account: its profile), else the account's signed presence record (a device the
    // account certified signed it; Presence checks the chain); None if neither is known here.
    // Never what a message claims about its sender.
    enum class NameSource { None, Contact, Signed };
    struct AccountName {
        QString name;
        NameSource source = NameSource::None;
    };
    AccountName accountName(const AccountId& account) const;
    // Stops watching a presence watched only to learn its name (a stranger's invitation):
    // contacts and this account stay watched.
    void unwatchStranger(const AccountId& account);
    Status setPresence(const QString& status);
    QString myPresence() const;
    Status setDisplayName(const QString& name);

    // ---- this account's devices ----
    // The class a device of this account publishes in its presence (unset until seen).
    std::optional<protocol::DeviceClass> deviceClassOf(const DeviceId& device) const;
    QList<identity::DeviceRecord> myDevices() const { return profile_.account.devices(); }
    Status revokeDevice(const DeviceId& device);
    Result<QString> newPairingCode();
    // "Continue here" (docs/handoff.md): the sessions this device is live in go into its
    // presence; the account's other live devices' sessions come back from theirs.
    struct LiveSessionElsewhere {
        DeviceId device;
        QString deviceName;
        protocol::DeviceClass deviceClass = protocol::DeviceClass::Desktop;
        identity::LiveSession session;
    };
    void setLiveSessions(const QList<identity::LiveSession>& sessions);
    QList<LiveSessionElsewhere> liveSessionsElsewhere() const;

    Status save();

Q_SIGNALS:
    void contactsChanged();
    void blockedChanged();
    void presenceChanged(plenum::AccountId account, QString presence);
    void devicesChanged();
    void liveSessionsChanged();
    void devicePaired(plenum::DeviceId device, QString name);
    void pairingRefused(QString reason);
    void warning(QString text);

private:
    void publishPresence();
    // Live now, and not a device this account revoked.
    bool isOnline(const identity::PresenceRecord& r, const QDateTime& now) const;

    identity::Profile& profile_;
    QString profileDir_;
    protocol::DeviceClass deviceClass_;
    identity::PresenceState presenceState_ = identity::PresenceState::Online;
    QList<identity::LiveSession> liveSessions_; // kept for a presence started later
    identity::Presence* presence_ = nullptr;
    identity::DeviceMailbox* mailbox_ = nullptr;
    net::LinkManager* links_ = nullptr;
    identity::PairingResponder* responder_ = nullptr; // made on the first pairing code
};

} // namespace plenum::node

#pragma once
// Publishes this device's presence under its account's DHT key and watches contacts'
// (DESIGN §2). Each device owns one value slot (value id from its DeviceId), re-published
// before its TTL runs out; watchers learn changes through `listen` within milliseconds.

#include "identity/dhtnode.h"
#include "identity/presencerecord.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace plenum::identity {

class Presence : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultTtlSecs = 120;

    Presence(DhtNode* node, const DeviceIdentity* device, QObject* parent = nullptr);

    static QByteArray keyFor(const AccountId& account);

    // Publishes now and then every TTL/2 until stopped or set Offline.
    void publish(PresenceState state, DeviceClass deviceClass, const QString& displayName,
                 const QList<DeviceId>& accountDevices);
    void setTtl(int seconds) { ttlSecs_ = seconds; }
    // The sessions this device is live in (PresenceRecord::sessions); republished if changed.
    void setSessions(const QList<LiveSession>& sessions);

    void watch(const AccountId& account);
    void unwatch(const AccountId& account);
    void setRevoked(const QSet<DeviceId>& revoked) { revoked_ = revoked; }

    // The best live state over the account's devices (Offline if none is live).
    PresenceState stateOf(const AccountId& account) const;
    QList<PresenceRecord> devicesOf(const AccountId& account) const;

Q_SIGNALS:
    void presenceChanged(plenum::AccountId account, plenum::DeviceId device,
                         plenum::identity::PresenceState state);
    // A device's list of live sessions changed (or it went away with some).
    void sessionsChanged(plenum::AccountId account, plenum::DeviceId device);

private:
    void republish();
    void onValues(const AccountId& account, const QList<DhtValue>& values);

    DhtNode* node_;
    const DeviceIdentity* device_;
    PresenceRecord mine_;
    bool publishing_ = false;
    int ttlSecs_ = kDefaultTtlSecs;
    QTimer refresh_;
    QHash<AccountId, quint64> watches_;
    QHash<AccountId, QHash<DeviceId, PresenceRecord>> seen_;
    QSet<DeviceId> revoked_;
};

} // namespace plenum::identity

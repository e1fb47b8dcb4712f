#pragma once
// Publishes this device's presence under its account's DHT key and watches contacts'
// (DESIGN §2). Each device owns one value slot (value id from its DeviceId), re-published
// before its TTL runs out; watchers learn changes through `listen` within milliseconds.
// Changes of the live-session list are paced (PutPacer): at most one put per
// kMinPutIntervalMs, the newest list last. What the user chooses (publish) goes out at once.

#include "identity/dhtnode.h"
#include "identity/presencerecord.h"
#include "identity/putpacer.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace plenum::identity {

class Presence : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultTtlSecs = 120;
    // Session changes come in bursts when links drop and come back (issue 14: each member
    // re-put its record on every removal and re-admission); 5 s keeps "Continue here" and
    // the contacts' view current without a put per roster change.
    static constexpr int kMinPutIntervalMs = 5000;

    Presence(DhtNode* node, const DeviceIdentity* device, QObject* parent = nullptr);

    static QByteArray keyFor(const AccountId& account);

    // Publishes now (not paced: the user chose it, or the node came up) and then every TTL/2
    // until stopped or set Offline.
    void publish(PresenceState state, DeviceClass deviceClass, const QString& displayName,
                 const QList<DeviceId>& accountDevices);
    void setTtl(int seconds) { ttlSecs_ = seconds; }
    // The sessions this device is live in (PresenceRecord::sessions); republished if changed,
    // paced: at once after a quiet interval, else when the interval ends, with the newest list.
    void setSessions(const QList<LiveSession>& sessions);
    void setMinPutInterval(int ms) { pacer_.setInterval(ms); }

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
    // Puts mine_ now; every put goes through here (and tells the pacer).
    void republish();
    void onOwedTimer();
    static qint64 nowMs();
    void onValues(const AccountId& account, const QList<DhtValue>& values);

    DhtNode* node_;
    const DeviceIdentity* device_;
    PresenceRecord mine_;
    bool publishing_ = false;
    int ttlSecs_ = kDefaultTtlSecs;
    QTimer refresh_;
    PutPacer pacer_{kMinPutIntervalMs};
    QTimer owed_; // fires at pacer_.due()
    QHash<AccountId, quint64> watches_;
    QHash<AccountId, QHash<DeviceId, PresenceRecord>> seen_;
    QSet<DeviceId> revoked_;
};

} // namespace plenum::identity

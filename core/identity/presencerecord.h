#pragma once
// One device's presence as published on the DHT under its account's key (DESIGN §2):
// state, device class and the account's device list, with an expiry. Signed by the device
// inside the record (and again by OpenDHT), carrying [device, account] certificates so a
// watcher who knows only the AccountId can check it.

#include "identity/deviceidentity.h"
#include "identity/livesessions.h"
#include "protocol/deviceclass.h"

#include <QDateTime>

namespace plenum::identity {

enum class PresenceState : quint8 { Offline = 0, Online = 1, Away = 2, Busy = 3 };
// The device class of rosters (one enum; a record holds the same numbers on the DHT).
using DeviceClass = protocol::DeviceClass;

struct PresenceRecord {
    static constexpr qsizetype kMaxEncoded = 24 * 1024;
    static constexpr int kMaxDevices = 64;
    // Bounds of the live-session list (identity/livesessions.h).
    static constexpr int kMaxLiveSessions = livesessions::kMaxCount;
    static constexpr int kMaxTitleChars = livesessions::kMaxTitleChars;

    AccountId account;
    DeviceId device;
    QString displayName;
    QString deviceName;
    PresenceState state = PresenceState::Offline;
    DeviceClass deviceClass = DeviceClass::Desktop;
    QList<DeviceId> accountDevices;
    QList<LiveSession> sessions; // at most kMaxLiveSessions; encode() keeps the first ones
    QDateTime published;
    QDateTime expires;
    crypto::Certificate deviceCert;
    crypto::Certificate accountCert;

    bool isLive(const QDateTime& now) const
    {
        return now < expires && state != PresenceState::Offline;
    }

    QByteArray encode(const DeviceIdentity& signer) const;
    // Checks signature, chain, and that it belongs to `expectedAccount`.
    static Result<PresenceRecord> decode(const QByteArray& bytes, const AccountId& expectedAccount,
                                         const QSet<DeviceId>& revoked = {});
};

} // namespace plenum::identity

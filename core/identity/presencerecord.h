#pragma once
// One device's presence as published on the DHT under its account's key (DESIGN §2):
// state, device class and the account's device list, with an expiry. Signed by the device
// inside the record (and again by OpenDHT), carrying [device, account] certificates so a
// watcher who knows only the AccountId can check it.

#include "identity/deviceidentity.h"
#include "protocol/deviceclass.h"

#include <QDateTime>

namespace plenum::identity {

enum class PresenceState : quint8 { Offline = 0, Online = 1, Away = 2, Busy = 3 };
// The device class of rosters (one enum; a record holds the same numbers on the DHT).
using DeviceClass = protocol::DeviceClass;

// A session this device is live in, so that the account's other devices can offer "Continue
// here" (a pull, docs/handoff.md) without knowing its id. Contacts watching the account's
// presence see it too: the title is the other members' names, nothing from the conversation.
struct LiveSession {
    SessionId sid;
    QString title;
    friend bool operator==(const LiveSession&, const LiveSession&) = default;
};

struct PresenceRecord {
    static constexpr qsizetype kMaxEncoded = 24 * 1024;
    static constexpr int kMaxDevices = 64;
    // Bounds of the live-session list: 16 x (32 + 48 x up to 4 bytes) stays under 4 KiB.
    static constexpr int kMaxLiveSessions = 16;
    static constexpr int kMaxTitleChars = 48;

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

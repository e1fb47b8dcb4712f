#pragma once
// Everything one device keeps about its user: the account (with its key, as Jami does), this
// device's identity, contacts and preferences.

#include "identity/account.h"
#include "identity/contactlist.h"
#include "identity/deviceidentity.h"

#include <QJsonObject>

namespace plenum::identity {

struct Profile {
    Account account;
    DeviceIdentity device;
    ContactList contacts;
    QJsonObject preferences;

    // A brand-new account with this device as its first device (RSA-4096 keygen: ~0.3 s+).
    static Result<Profile> createNew(const QString& displayName, const QString& deviceName);
};

} // namespace plenum::identity

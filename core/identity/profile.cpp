#include "identity/profile.h"

namespace plenum::identity {

Result<Profile> Profile::createNew(const QString& displayName, const QString& deviceName)
{
    auto account = Account::create(displayName);
    if (!account) return Error{account.error()};
    auto device = DeviceIdentity::create(deviceName, account.value());
    if (!device) return Error{device.error()};
    Profile p;
    p.account = std::move(account).value();
    p.device = std::move(device).value();
    return p;
}

} // namespace plenum::identity

#include "protocol/deviceclass.h"

namespace plenum::protocol {

QString deviceClassName(DeviceClass c)
{
    switch (c) {
    case DeviceClass::Phone:
        return QStringLiteral("phone");
    case DeviceClass::Laptop:
        return QStringLiteral("laptop");
    case DeviceClass::Desktop:
        return QStringLiteral("desktop");
    case DeviceClass::Wired:
        return QStringLiteral("wired");
    }
    return QStringLiteral("desktop");
}

std::optional<DeviceClass> deviceClassFromName(const QString& name)
{
    for (auto c :
         {DeviceClass::Phone, DeviceClass::Laptop, DeviceClass::Desktop, DeviceClass::Wired})
        if (deviceClassName(c) == name) return c;
    return std::nullopt;
}

} // namespace plenum::protocol

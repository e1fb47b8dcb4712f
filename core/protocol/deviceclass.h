#pragma once
// The one device class (protocol::DeviceClass, messages.h): rosters and presence records
// carry it, elections bid with it, files and events write it by name, and the UI shows it.

#include "protocol/messages.h"

#include <QString>

#include <optional>

namespace plenum::protocol {

// "phone", "laptop", "desktop" or "wired": how the class is written in files and events.
QString deviceClassName(DeviceClass deviceClass);
std::optional<DeviceClass> deviceClassFromName(const QString& name);

} // namespace plenum::protocol

#pragma once
// The text forms users type for servers, shared by plenum-peer's options and the GUI's
// settings: "IP:PORT" and TURN's "USER:PASS@IP:PORT". Literal addresses only: nothing here
// resolves names (tests must not cause DNS look-ups).

#include "net/iceconfig.h"

#include <QString>

#include <optional>

namespace plenum::net {

// "IP:PORT" with a literal IPv4/IPv6 address and a port 1..65535.
bool parseHostPort(const QString& text, QString& host, quint16& port);
std::optional<StunServer> parseStunServer(const QString& text);
// "USER:PASS@IP:PORT" (the user name is not empty; the password may hold ':' and '@').
std::optional<TurnServer> parseTurnServer(const QString& text);

} // namespace plenum::net

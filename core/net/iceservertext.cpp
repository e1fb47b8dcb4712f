#include "net/iceservertext.h"

#include <QHostAddress>

namespace plenum::net {

bool parseHostPort(const QString& text, QString& host, quint16& port)
{
    const int colon = int(text.lastIndexOf(QLatin1Char(':')));
    if (colon <= 0) return false;
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    if (!ok || p == 0 || p > 65535) return false;
    host = text.left(colon);
    port = quint16(p);
    return !QHostAddress(host).isNull();
}

std::optional<StunServer> parseStunServer(const QString& text)
{
    StunServer s;
    if (!parseHostPort(text, s.ip, s.port)) return std::nullopt;
    return s;
}

std::optional<TurnServer> parseTurnServer(const QString& text)
{
    const int at = int(text.lastIndexOf(QLatin1Char('@')));
    const int colon = int(text.indexOf(QLatin1Char(':')));
    TurnServer t;
    if (colon <= 0 || at < colon || !parseHostPort(text.mid(at + 1), t.ip, t.port))
        return std::nullopt;
    t.username = text.left(colon);
    t.password = text.mid(colon + 1, at - colon - 1);
    return t;
}

} // namespace plenum::net

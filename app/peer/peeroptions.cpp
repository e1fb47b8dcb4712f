#include "peeroptions.h"

#include "net/iceservertext.h"

#include <QHostAddress>

namespace plenum::peer {

Result<node::NodeOptions> parseOptions(const QStringList& args)
{
    node::NodeOptions o;
    QStringList bootstrap;
    quint16 dhtPort = 0;
    bool lan = true;
    quint32 networkId = 0x706c6e6d; // "plnm": a private network unless --network-id says otherwise
    QString dhtBind;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args.at(i);
        auto next = [&](QString& into) {
            if (i + 1 >= args.size()) return false;
            into = args.at(++i);
            return true;
        };
        QString v;
        if (a == QLatin1String("--allow-loopback"))
            o.ice.allowLoopback = true;
        else if (a == QLatin1String("--auto-accept"))
            o.autoAccept = true;
        else if (a == QLatin1String("--no-lan-discovery"))
            lan = false;
        else if (!next(v))
            return fail("unknown option or missing value: " + a);
        else if (a == QLatin1String("--profile"))
            o.profileDir = v;
        else if (a == QLatin1String("--pair"))
            o.pairCode = v;
        else if (a == QLatin1String("--name"))
            o.name = v;
        else if (a == QLatin1String("--device-class")) {
            if (v == QLatin1String("desktop"))
                o.deviceClass = protocol::DeviceClass::Desktop;
            else if (v == QLatin1String("laptop"))
                o.deviceClass = protocol::DeviceClass::Laptop;
            else if (v == QLatin1String("phone"))
                o.deviceClass = protocol::DeviceClass::Phone;
            else
                return fail("--device-class must be desktop, laptop or phone");
        } else if (a == QLatin1String("--bootstrap")) {
            QString host;
            quint16 port = 0;
            if (!net::parseHostPort(v, host, port))
                return fail("--bootstrap needs a literal IP address and a port: " + v);
            bootstrap.append(v);
        } else if (a == QLatin1String("--dht-port")) {
            bool ok = false;
            dhtPort = quint16(v.toUInt(&ok));
            if (!ok) return fail("--dht-port needs a port number");
        } else if (a == QLatin1String("--network-id")) {
            bool ok = false;
            networkId = v.toUInt(&ok);
            if (!ok) return fail("--network-id needs a number");
        } else if (a == QLatin1String("--dht-bind")) {
            if (QHostAddress(v).isNull()) return fail("--dht-bind needs a literal IP address");
            dhtBind = v;
        } else if (a == QLatin1String("--local-address")) {
            if (QHostAddress(v).isNull()) return fail("--local-address needs a literal IP address");
            o.ice.localAddresses.append(v);
        } else if (a == QLatin1String("--stun")) {
            auto s = net::parseStunServer(v);
            if (!s) return fail("--stun needs IP:PORT");
            o.ice.stun.append(*s);
        } else if (a == QLatin1String("--media-loss")) {
            bool ok = false;
            const double percent = v.toDouble(&ok);
            if (!ok || percent < 0 || percent > 100)
                return fail("--media-loss needs a percentage from 0 to 100");
            o.mediaReceiveLoss = percent / 100;
        } else if (a == QLatin1String("--turn")) {
            auto t = net::parseTurnServer(v);
            if (!t) return fail("--turn needs USER:PASS@IP:PORT");
            o.ice.turn.append(*t);
        } else
            return fail("unknown option: " + a);
    }
    if (o.profileDir.isEmpty()) return fail("--profile DIR is required");
    if (lan) {
        o.dht = identity::DhtConfig::forUser();
        o.dht.bootstrap.append(bootstrap);
    } else {
        o.dht = identity::DhtConfig::isolated(
            bootstrap, networkId,
            dhtBind.isEmpty() && o.ice.allowLoopback ? QStringLiteral("127.0.0.1") : dhtBind);
    }
    o.dht.port = dhtPort;
    return o;
}

} // namespace plenum::peer

#include "identity/dhtconfig.h"

namespace plenum::identity {

DhtConfig DhtConfig::forUser()
{
    DhtConfig c;
    c.bootstrap = {QStringLiteral("bootstrap.jami.net:4222")};
    c.lanDiscovery = true;
    c.networkId = 0;
    return c;
}

DhtConfig DhtConfig::isolated(const QStringList& bootstrap, quint32 networkId,
                              const QString& bindAddress)
{
    DhtConfig c;
    c.bootstrap = bootstrap;
    c.lanDiscovery = false;
    c.networkId = networkId;
    c.bindAddress = bindAddress;
    c.noNameResolution = true;
    return c;
}

QString DhtConfig::refusedHere() const
{
    if (qEnvironmentVariableIntValue(kPrivateOnlyVariable) != 1) return {};
    const QString why =
        QStringLiteral(" (%1 is set: this process may only use a private DHT on this machine)")
            .arg(QLatin1String(kPrivateOnlyVariable));
    if (networkId == 0) return QStringLiteral("the public DHT network is off-limits") + why;
    if (!noNameResolution) return QStringLiteral("bootstrap nodes must be literal addresses") + why;
    if (lanDiscovery) return QStringLiteral("LAN discovery (multicast) is off-limits") + why;
    return {};
}

} // namespace plenum::identity

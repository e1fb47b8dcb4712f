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

} // namespace plenum::identity

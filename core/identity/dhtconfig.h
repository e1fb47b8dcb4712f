#pragma once
// How a device's DHT node is set up. Two named constructors so that no caller can forget
// which world it lives in (DESIGN §2): users get LAN discovery and public bootstrap nodes;
// tests, benchmarks and --demo get a private network on given addresses and nothing else.

#include <QString>
#include <QStringList>

namespace plenum::identity {

struct DhtConfig {
    QStringList bootstrap;         // "host:port"; in isolated mode only literal IP addresses
    bool lanDiscovery = false;     // OpenDHT peer discovery (multicast on the LAN)
    quint32 networkId = 0;         // OpenDHT network id; 0 is the public network
    QString bindAddress;           // empty: every interface
    quint16 port = 0;              // 0: any free port
    bool noNameResolution = false; // refuses bootstrap addresses that are not literal IPs

    // Public network, LAN discovery on, the public bootstrap node.
    static DhtConfig forUser();
    // A private network: LAN discovery off, bound to `bindAddress` (loopback by default),
    // bootstrapping only from `bootstrap` (may be empty for the first node).
    static DhtConfig isolated(const QStringList& bootstrap, quint32 networkId,
                              const QString& bindAddress = QStringLiteral("127.0.0.1"));

    // Set for every test (tests/CMakeLists.txt): nothing a test starts may reach beyond this
    // machine, whatever options it forgot to pass.
    static constexpr const char* kPrivateOnlyVariable = "PLENUM_PRIVATE_NETWORK_ONLY";
    // Why this process may not start a DHT with this configuration, or empty. Under
    // kPrivateOnlyVariable a DHT must be a private network (not id 0) that bootstraps from
    // literal addresses only, without LAN discovery (multicast). The one test of LAN
    // discovery lifts it around its starts, inside the namespaces it makes.
    QString refusedHere() const;
};

} // namespace plenum::identity

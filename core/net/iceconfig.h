#pragma once
// What an ICE agent may use: STUN/TURN servers and which candidates the user allows
// (DESIGN §2 "NAT traversal"). Addresses are literal IPs: core/net never resolves names
// (tests must not cause DNS look-ups).

#include <QList>
#include <QString>

namespace plenum::net {

struct StunServer {
    QString ip;
    quint16 port = 3478;
};

struct TurnServer {
    enum class Transport { Udp, Tcp };
    QString ip;
    quint16 port = 3478;
    QString username;
    QString password;
    Transport transport = Transport::Udp;
};

struct IceConfig {
    QList<StunServer> stun; // libnice uses the first one only
    QList<TurnServer> turn;
    // Local addresses to gather from; empty = every interface libnice finds (loopback excluded).
    QList<QString> localAddresses;
    bool allowLoopback = false; // tests: gather 127.0.0.1 too
    bool allowHost = true;      // announce host candidates (off hides LAN addresses)
    bool relayOnly = false;     // libnice force-relay: only TURN paths
    // RFC 8445 Ta. libnice's default is 20 ms; joins must be fast (FACTS.md table).
    int stunPacingMs = 5;
    bool iceTcp = false; // TCP host pairs outrank UDP; only for TURN-TCP setups
};

} // namespace plenum::net

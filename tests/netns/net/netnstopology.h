#pragma once
// Two hosts behind separate NATs and a "public" namespace with coturn, all in network
// namespaces this test creates and deletes (even on failure). Addresses stay inside the
// namespaces: 10.77.{1,2}.0/24 private, 100.64.{1,2}.0/24 NAT uplinks, 100.64.0.1 coturn.
//
//   hostA 10.77.1.2 -- 10.77.1.1 natA 100.64.1.2 --+
//                                                  pub (router, coturn 100.64.0.1)
//   hostB 10.77.2.2 -- 10.77.2.1 natB 100.64.2.2 --+

#include <QProcess>
#include <QString>

#include <memory>

namespace plenum::net::test {

class NetnsTopology {
public:
    NetnsTopology();
    ~NetnsTopology();

    // Empty when ready; otherwise why the test must be skipped.
    QString skipReason() const { return skip_; }
    // Non-empty when the topology could not be built although namespaces work: a failure.
    QString error() const { return error_; }
    QString ns(const QString& role) const { return prefix_ + role; } // "hostA", "pub", ...
    bool startTurn(const QString& user, const QString& password);
    // Drops UDP forwarded between the two NATs' uplinks (TURN stays reachable).
    bool blockUdpBetweenHosts();

    static constexpr const char* kTurnIp = "100.64.0.1";
    static constexpr const char* kHostA = "10.77.1.2";
    static constexpr const char* kHostB = "10.77.2.2";

private:
    bool run(const QString& command);
    bool inNs(const QString& role, const QString& command);

    QString prefix_;
    QString skip_;
    QString error_;
    QStringList created_;
    std::unique_ptr<QProcess> turn_;
};

} // namespace plenum::net::test

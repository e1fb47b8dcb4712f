#pragma once
// Two hosts on one LAN, each a network namespace this test creates and deletes (even on
// failure), joined by a veth pair: 10.78.0.1 (host "a", which also runs a private dhtnode on
// port 4222) and 10.78.0.2 (host "b"). Nothing is routed anywhere else.
// setLoss() makes both hosts drop that share of the UDP packets they receive from the LAN, in
// the kernel (nftables `numgen random`: this kernel has no netem), like a lossy Wi-Fi both ways.

#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace plenum::testsupport {

class LossyLan {
public:
    explicit LossyLan(quint32 dhtNetworkId);
    ~LossyLan();

    // Empty when ready; otherwise why the test must be skipped.
    QString skipReason() const { return skip_; }
    // Non-empty when the LAN could not be built although namespaces work: a failure.
    QString error() const { return error_; }

    QStringList launcher(char host) const; // `ip netns exec <ns>`
    static QString address(char host) { return host == 'a' ? kHostA : kHostB; }
    static QString bootstrap() { return QStringLiteral("10.78.0.1:4222"); }
    bool setLoss(int percent);

    static constexpr const char* kHostA = "10.78.0.1";
    static constexpr const char* kHostB = "10.78.0.2";

private:
    bool run(const QString& command);
    QString ns(char host) const { return prefix_ + QLatin1Char(host); }

    QString prefix_;
    QString skip_;
    QString error_;
    QStringList created_;
    std::unique_ptr<QProcess> dht_;
};

} // namespace plenum::testsupport

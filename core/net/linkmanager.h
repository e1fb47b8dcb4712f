#pragma once
// All control links of one device, identified by the remote DeviceId (DESIGN §3). Routes
// signaling to links, creates a link for each acceptable incoming offer, and resolves glare:
// when two devices link to each other at once, the lower DeviceId's attempt wins
// (DESIGN §5.1 rule 2). A new offer from a peer whose link is up builds a second link that
// replaces the first only once it is up.

#include "net/controllink.h"
#include "net/signaling.h"

#include <QHash>
#include <QObject>

namespace plenum::net {

class LinkManager : public QObject {
    Q_OBJECT
public:
    LinkManager(const LinkCredentials& credentials, ChainVerifier verifier, Signaling* signaling,
                const ControlLinkConfig& config, QObject* parent = nullptr);

    DeviceId self() const { return credentials_.self(); }
    // Returns the link to `peer`, starting one when there is none (or it is down).
    ControlLink* connectTo(const DeviceId& peer);
    ControlLink* link(const DeviceId& peer) const { return links_.value(peer); }
    QList<DeviceId> peers() const { return links_.keys(); }
    void disconnectFrom(const DeviceId& peer, const QString& reason);
    // Decides which devices may open a link to us (the session layer's admission rules).
    // Default: everyone whose certificate chain verifies.
    void setAcceptFilter(std::function<bool(const DeviceId&)> filter);
    ControlLinkConfig& config() { return config_; }

Q_SIGNALS:
    void linkCreated(plenum::net::ControlLink* link); // before it is up: connect its signals
    void linkUp(plenum::DeviceId peer);
    void linkDown(plenum::DeviceId peer, QString reason);
    void message(plenum::DeviceId peer, QByteArray message);

private:
    void onSignal(const DeviceId& from, const QByteArray& bytes);
    void onOffer(const DeviceId& from, const SignalMessage& offer);
    ControlLink* createLink(const DeviceId& peer, bool replacement = false);
    void promote(ControlLink* replacement);
    void forget(ControlLink* link);

    LinkCredentials credentials_;
    ChainVerifier verifier_;
    Signaling* signaling_;
    ControlLinkConfig config_;
    std::function<bool(const DeviceId&)> acceptFilter_;
    QHash<DeviceId, ControlLink*> links_;
    // A new link from a peer whose link is up; it replaces links_[peer] once it is up.
    QHash<DeviceId, ControlLink*> replacing_;
    // Candidates that overtook their offer (the DHT does not keep order), bounded.
    QHash<DeviceId, QList<SignalMessage>> early_;
};

} // namespace plenum::net

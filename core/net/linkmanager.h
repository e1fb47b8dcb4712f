#pragma once
// All control links of one device, identified by the remote DeviceId (DESIGN §3). Routes
// signaling to links, creates a link for each acceptable incoming offer, and resolves glare:
// when two devices link to each other at once, the lower DeviceId's attempt wins
// (DESIGN §5.1 rule 2). A new offer from a peer whose link is up builds a second link that
// replaces the first only once it is up.

#include "net/controllink.h"
#include "net/ratelimiter.h"
#include "net/signaling.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

namespace plenum::net {

// Who may open a link to us (DESIGN §5.1 rule 6, issue 13). The Node decides: contacts,
// co-members and devices we invited or that invited us are Trusted; every other device is a
// Stranger, whose link attempts are rate-limited per sender and in total; Refused devices
// (blocked accounts) are ignored as if we were offline.
enum class LinkAdmission { Trusted, Stranger, Refused };

struct LinkAttemptLimits {
    RateLimiter::Limits trusted{10, 1'000};   // per trusted device: a re-link storm only
    RateLimiter::Limits stranger{3, 20'000};  // per stranger device
    RateLimiter::Limits strangers{20, 1'000}; // all strangers together (ids are cheap to make)
};

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
    // Without a policy everyone is Trusted (only the per-device limit applies); the TLS
    // chain check follows for whoever is let in.
    void setAcceptPolicy(std::function<LinkAdmission(const DeviceId&)> policy);
    // The older yes/no form: true = Trusted, false = Refused.
    void setAcceptFilter(std::function<bool(const DeviceId&)> filter);
    void setAttemptLimits(const LinkAttemptLimits& limits);
    // Offers refused by the policy or a rate limit since start (for stats and tests).
    int refusedOffers() const { return refusedOffers_; }
    ControlLinkConfig& config() { return config_; }

Q_SIGNALS:
    void linkCreated(plenum::net::ControlLink* link); // before it is up: connect its signals
    // An incoming link attempt was dropped: refused by policy, or over a rate limit.
    void offerRefused(plenum::DeviceId peer, QString reason);
    void linkUp(plenum::DeviceId peer);
    void linkDown(plenum::DeviceId peer, QString reason);
    void message(plenum::DeviceId peer, QByteArray message);

private:
    void onSignal(const DeviceId& from, const QByteArray& bytes);
    void onOffer(const DeviceId& from, const SignalMessage& offer);
    bool admitOffer(const DeviceId& from);
    ControlLink* createLink(const DeviceId& peer, bool replacement = false);
    void promote(ControlLink* replacement);
    void forget(ControlLink* link);

    LinkCredentials credentials_;
    ChainVerifier verifier_;
    Signaling* signaling_;
    ControlLinkConfig config_;
    std::function<LinkAdmission(const DeviceId&)> acceptPolicy_;
    RateLimiter trustedLimiter_;
    RateLimiter strangerLimiter_;
    RateLimiter strangersLimiter_;
    QElapsedTimer clock_;
    int refusedOffers_ = 0;
    QHash<DeviceId, ControlLink*> links_;
    // A new link from a peer whose link is up; it replaces links_[peer] once it is up.
    QHash<DeviceId, ControlLink*> replacing_;
    // Candidates that overtook their offer (the DHT does not keep order), bounded.
    QHash<DeviceId, QList<SignalMessage>> early_;
};

} // namespace plenum::net

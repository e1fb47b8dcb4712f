#pragma once
// The Node's net::Signaling (issue 11, DESIGN §3): ICE signaling to a device that a session of
// ours knows goes through a relay, the session's SM, over links that are already up; only first
// contact (and whatever the relay cannot carry) uses the DHT mailbox.
//
// What travels through the relay is a DHT mailbox envelope (DeviceMailbox::sealFor/openRelayed):
// encrypted to the recipient, signed by the sender, stamped and nonce'd, so the relay can neither
// read, forge nor replay it. Messages to one device queued in one event-loop turn go in one
// envelope (an offer with its candidates: one RSA operation per end, not one per candidate).
//
// Fallback to the DHT, per device: the relay says it cannot forward (RELAY_FAILED), or neither
// the answer to our offer nor a link to the device came within kFallbackMs (a relay that drops
// or tampers, or forwards onto a link the device is closing). What was sent through the relay
// since a link to the device was last up is then sent again through the DHT, for our latest
// offer's and answer's attempts only; duplicates are harmless (LinkManager ignores a known
// attempt's offer, ICE a known candidate).

#include "identity/devicemailbox.h"
#include "identity/dhtsignaling.h"
#include "protocol/messages.h"

#include <QHash>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace plenum::node {

class SignalRouter : public net::Signaling {
    Q_OBJECT
public:
    static constexpr int kFallbackMs = 1000;
    static constexpr int kMaxPendingPerPeer = 64; // SignalMessages waiting for a relay or a key

    struct Relay {
        DeviceId device;
        SessionId sid; // the session that justifies the relay (the relay checks it)
    };
    struct Hooks {
        // The relay for `to`, if a session of ours knows it; nullopt: use the DHT.
        std::function<std::optional<Relay>(const DeviceId& to)> relayFor;
        std::function<bool(const DeviceId& device)> linkUp;
        std::function<void(const DeviceId& relay, const protocol::Message& message)> sendOnLink;
        std::function<protocol::Header(const SessionId& sid)> header;
    };
    struct Stats {
        QHash<DeviceId, int> dhtSentTo;   // SignalMessages sent through the DHT, per device
        QHash<DeviceId, int> relaySentTo; // SignalMessages sent through a relay, per device
        int envelopesRelayed = 0;         // sealed envelopes we sent to a relay
        int fallbacks = 0;                // devices switched to the DHT after a relay failure
        int rejected = 0;                 // relayed envelopes refused (tampered, replayed...)
    };

    SignalRouter(identity::DeviceMailbox* mailbox, Hooks hooks, QObject* parent = nullptr);

    void send(const DeviceId& to, const QByteArray& bytes) override;

    // Relay messages addressed to this device, from the link peer `relay`.
    void onRelaySignal(const DeviceId& relay, const SessionId& sid,
                       const protocol::RelaySignal& message);
    void onRelayKey(const DeviceId& relay, const protocol::RelayKey& message);
    void onRelayFailed(const DeviceId& relay, const protocol::RelayFailed& message);
    void onLinkUp(const DeviceId& peer);

    const Stats& stats() const { return stats_; }

Q_SIGNALS:
    void warning(QString text);

private:
    struct Peer {
        Relay relay;
        QList<QByteArray> pending; // not yet sent: waiting for the turn, the relay or a key
        // Relayed since the last link to the device came up. Only that link proves delivery:
        // hearing from the device proves nothing, since its own offer or candidates cross ours
        // in flight (issue 15: they cleared an answer the relay then failed to deliver).
        QList<QByteArray> unanswered;
        quint64 offered = 0;  // attempt of our latest offer to the device
        quint64 answered = 0; // attempt of our latest answer to it
        bool dhtOnly = false; // the relay failed for this device: DHT from now on
        bool keyAsked = false;
        bool flushQueued = false;
        std::unique_ptr<QTimer> deadline;
    };
    void sendByDht(const DeviceId& to, const QByteArray& bytes);
    void flush(const DeviceId& to);
    void heardFrom(const DeviceId& peer, const QByteArray& signal);
    void fallBack(const DeviceId& to, const QString& why);

    identity::DeviceMailbox* mailbox_;
    identity::DhtSignaling dht_;
    Hooks hooks_;
    QHash<DeviceId, std::shared_ptr<Peer>> peers_;
    // Devices whose signaling reached us through a relay: answers go back the same way.
    QHash<DeviceId, Relay> cameVia_;
    Stats stats_;
};

} // namespace plenum::node

#pragma once
// Requests to one device over the DHT (DESIGN §2): invitations, ICE offers/answers, hand-off
// notices and pairing messages, as SealedEnvelopes under the hash of the recipient's
// DeviceId. The mailbox also publishes this device's certificates so a sender that knows only
// the DeviceId can encrypt to it (the id is the hash of the key, so the lookup is checked).

#include "identity/deviceidentity.h"
#include "identity/dhtnode.h"
#include "identity/envelopeopener.h"
#include "identity/replayguard.h"

#include <QHash>
#include <QObject>

#include <deque>
#include <functional>

namespace plenum::identity {

class DeviceMailbox : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kMaxAgeMs = 10 * 60 * 1000; // OpenDHT keeps values 10 min
    static constexpr qint64 kMaxSkewMs = 2 * 60 * 1000;
    // Nonces are remembered for the whole acceptance window (ReplayGuard), not a fixed count.
    // A device that just came online may not have its certificates stored yet: retry soon
    // (a first contact waits for this), then back off: 50, 100, 200, 400, 800 ms.
    static constexpr int kLookUpAttempts = 6;
    static constexpr int kFirstLookUpRetryMs = 50;

    // A full device: its chain goes with every request, and its certificates are published.
    // `device` (and, below, `key`) must outlive the mailbox.
    static Result<DeviceMailbox*> create(DhtNode* node, const DeviceIdentity& device,
                                         QObject* parent = nullptr);
    // A device being paired: no chain yet; may send PairingRequest only.
    static Result<DeviceMailbox*> createUncertified(DhtNode* node, const crypto::PrivateKey& key,
                                                    QObject* parent = nullptr);

    static QByteArray inboxKey(const DeviceId& device);
    static QByteArray certificateKey(const DeviceId& device);

    DeviceId self() const { return opener_.self(); }

    // Starts listening (and publishing certificates, if certified).
    void start();

    // Sends to a device; its certificate is looked up on the DHT unless already known.
    void send(const DeviceId& to, RequestKind kind, const QByteArray& body,
              std::function<void(Status)> done = {});
    // Sends to a key given directly (the pairing grant goes to the new device's key).
    void sendToKey(const DeviceId& to, const QByteArray& publicKeyDer, RequestKind kind,
                   const QByteArray& body, std::function<void(Status)> done = {});
    // Learns a device's certificate from elsewhere (presence, a roster), saving a lookup.
    void addKnownDevice(const crypto::Certificate& deviceCert);

    // Requests signed by a device of an account for which this returns true (a blocked
    // account) are dropped, as if we were offline. The account is the one of the signer's
    // verified chain, never a claim inside the request.
    void setRefusal(std::function<bool(const AccountId&)> refuse) { refuse_ = std::move(refuse); }
    // Keeps the replay memory in `path` (in the profile), so that a restart does not let a
    // captured request (an ICE offer) be replayed. Without it, the memory lives in RAM only.
    Status setReplayRecord(const QString& path);
    void setRevoked(const QSet<DeviceId>& revoked) { revoked_ = revoked; }

    // Relayed signaling (issue 11): the same sealed envelopes, carried over another device's
    // link instead of the DHT, so the relay can neither read, forge nor replay them.
    bool knowsKey(const DeviceId& to) const { return knownKeys_.contains(to); }
    // Seals `body` for a device whose key is known (knowsKey); an error otherwise.
    Result<QByteArray> sealFor(const DeviceId& to, RequestKind kind, const QByteArray& body) const;
    // Opens an envelope that arrived through a relay with every check a DHT value gets
    // (decryption, signature, recipient, chain, age, block list, replay memory). As for
    // a DHT request, the sender's key is learnt, so the answer needs no DHT look-up.
    Result<OpenedEnvelope> openRelayed(const QByteArray& sealed);

Q_SIGNALS:
    void requestReceived(plenum::identity::OpenedEnvelope request);
    // A value arrived but was refused (tampered, not for us, untrusted): for logs and tests.
    void requestRejected(QString reason);

private:
    DeviceMailbox(DhtNode* node, EnvelopeOpener opener, QObject* parent);
    void lookUp(const DeviceId& to, std::function<void(Result<QByteArray>)> then);
    void fetchCertificate(const DeviceId& to);
    void finishLookUp(const DeviceId& to, const Result<QByteArray>& key);
    void onValues(const QList<DhtValue>& values);
    // The checks every arriving envelope gets; `silent` is set for drops that must look like
    // being offline (a blocked sender) or that are expected (the DHT delivers values twice).
    Result<OpenedEnvelope> admit(const QByteArray& sealed, qint64 nowMs, bool* silent);

    DhtNode* node_;
    EnvelopeOpener opener_;
    const crypto::PrivateKey* key_ = nullptr;
    QList<crypto::Certificate> chain_;
    QHash<DeviceId, QByteArray> knownKeys_; // DeviceId -> DER public key
    // Sends waiting for one look-up, in order (so requests to a device keep their order).
    QHash<DeviceId, QList<std::function<void(Result<QByteArray>)>>> pendingLookUps_;
    std::function<bool(const AccountId&)> refuse_;
    QSet<DeviceId> revoked_;
    ReplayGuard replays_{kMaxAgeMs + kMaxSkewMs};
    quint64 listenToken_ = 0;
};

} // namespace plenum::identity

Q_DECLARE_METATYPE(plenum::identity::OpenedEnvelope)

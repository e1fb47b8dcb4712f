#pragma once
// This device's OpenDHT node. The runner has its own thread; every callback is delivered
// on the Qt thread that owns this object (queued), never on the DHT thread.
// The node's identity is the device's RSA key and certificate (FACTS.md: OpenDHT 2.4 signs
// and encrypts only with RSA identities).

#include "crypto/certificate.h"
#include "identity/dhtconfig.h"

#include <QObject>

#include <functional>
#include <memory>

namespace dht {
class DhtRunner;
}

namespace plenum::identity {

struct DhtValue {
    quint64 id = 0;
    QByteArray data;
    QByteArray ownerKeyDer; // the signer's public key (DER) for signed values, else empty
    bool expired = false;   // listen: the value went away
};

class DhtNode : public QObject {
    Q_OBJECT
public:
    using ValuesCallback = std::function<void(const QList<DhtValue>&)>;
    using DoneCallback = std::function<void(bool ok)>;

    explicit DhtNode(QObject* parent = nullptr);
    ~DhtNode() override;

    Status start(const DhtConfig& config, const crypto::PrivateKey& deviceKey,
                 const crypto::Certificate& deviceCert);
    void stop();
    bool isRunning() const;
    bool isConnected() const { return connected_; }
    quint16 port() const;
    // "address:port" another node can bootstrap from (the bind address, or 127.0.0.1).
    QString endpoint() const;

    // `key` is hashed with InfoHash::get. Signed puts carry this device as owner; a value id
    // of 0 lets OpenDHT pick one. Virtual so that a test can count what a publisher puts, and
    // fail or delay what a reader gets.
    virtual void put(const QByteArray& key, const QByteArray& data, quint64 valueId, bool sign,
                     bool permanent, DoneCallback done = {});
    void cancelPut(const QByteArray& key, quint64 valueId);
    virtual void get(const QByteArray& key, ValuesCallback onValues, DoneCallback done = {});
    quint64 listen(const QByteArray& key, ValuesCallback onValues);
    void cancelListen(quint64 token);

Q_SIGNALS:
    void connected();
    void disconnected();

private:
    struct Listen;
    std::unique_ptr<dht::DhtRunner> runner_;
    std::map<quint64, std::unique_ptr<Listen>> listens_;
    quint64 nextToken_ = 1;
    bool connected_ = false;
    QString bindAddress_;
};

} // namespace plenum::identity

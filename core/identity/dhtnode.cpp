#include "identity/dhtnode.h"

#include <opendht.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <QMetaObject>

namespace plenum::identity {

namespace {

dht::InfoHash hashOf(const QByteArray& key)
{
    return dht::InfoHash::get(reinterpret_cast<const uint8_t*>(key.constData()),
                              static_cast<size_t>(key.size()));
}

// A literal IPv4 address, without any name resolution.
std::optional<dht::SockAddr> literalAddress(const QString& host, quint16 port)
{
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    if (inet_pton(AF_INET, host.toLatin1().constData(), &sin.sin_addr) != 1) return std::nullopt;
    return dht::SockAddr(reinterpret_cast<const sockaddr*>(&sin), sizeof sin);
}

QList<DhtValue> convert(const std::vector<std::shared_ptr<dht::Value>>& values, bool expired)
{
    QList<DhtValue> out;
    out.reserve(static_cast<qsizetype>(values.size()));
    for (const auto& v : values) {
        DhtValue d;
        d.id = v->id;
        d.data = QByteArray(reinterpret_cast<const char*>(v->data.data()),
                            static_cast<qsizetype>(v->data.size()));
        if (v->owner) {
            dht::Blob der;
            v->owner->pack(der);
            d.ownerKeyDer = QByteArray(reinterpret_cast<const char*>(der.data()),
                                       static_cast<qsizetype>(der.size()));
        }
        d.expired = expired;
        out.append(std::move(d));
    }
    return out;
}

} // namespace

struct DhtNode::Listen {
    dht::InfoHash hash;
    std::shared_future<size_t> token;
    ValuesCallback callback;
};

DhtNode::DhtNode(QObject* parent) : QObject(parent) {}

DhtNode::~DhtNode()
{
    stop();
}

bool DhtNode::isRunning() const
{
    return runner_ && runner_->isRunning();
}

Status DhtNode::start(const DhtConfig& config, const crypto::PrivateKey& deviceKey,
                      const crypto::Certificate& deviceCert)
{
    if (runner_) return fail(QStringLiteral("the DHT node is already running"));
    if (const QString refused = config.refusedHere(); !refused.isEmpty()) return fail(refused);
    std::vector<dht::SockAddr> bootstrap;
    for (const QString& entry : config.bootstrap) {
        const auto colon = entry.lastIndexOf(u':');
        bool portOk = false;
        const quint16 port = colon > 0 ? entry.mid(colon + 1).toUShort(&portOk) : 0;
        if (!portOk)
            return fail(QStringLiteral("the bootstrap node \"%1\" has no port").arg(entry));
        if (auto addr = literalAddress(entry.left(colon), port)) {
            bootstrap.push_back(*addr);
        } else if (config.noNameResolution) {
            return fail(QStringLiteral("an isolated DHT only bootstraps from IP addresses, not "
                                       "\"%1\"")
                            .arg(entry));
        }
    }

    dht::DhtRunner::Config rc;
    rc.threaded = true;
    rc.peer_discovery = config.lanDiscovery;
    rc.peer_publish = config.lanDiscovery;
    rc.dht_config.node_config.network = config.networkId;
    rc.dht_config.node_config.maintain_storage = false;
    try {
        const QByteArray pem = deviceKey.toPem();
        const QByteArray der = deviceCert.toDer();
        auto key = std::make_shared<dht::crypto::PrivateKey>(
            reinterpret_cast<const uint8_t*>(pem.constData()), static_cast<size_t>(pem.size()),
            nullptr);
        auto cert = std::make_shared<dht::crypto::Certificate>(dht::Blob(der.begin(), der.end()));
        rc.dht_config.id = {key, cert};
    } catch (const std::exception& e) {
        return fail(QStringLiteral("the device identity cannot be used by the DHT: %1")
                        .arg(QString::fromUtf8(e.what())));
    }
    bindAddress_ = config.bindAddress;
    if (!config.bindAddress.isEmpty()) {
        auto bind = literalAddress(config.bindAddress, config.port);
        if (!bind) return fail(QStringLiteral("the bind address must be an IPv4 address"));
        rc.bind4 = *bind;
        // Otherwise OpenDHT also binds [::] on every interface; keep IPv6 on loopback.
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_addr = in6addr_loopback;
        sin6.sin6_port = htons(config.port);
        rc.bind6 = dht::SockAddr(reinterpret_cast<const sockaddr*>(&sin6), sizeof sin6);
    }

    runner_ = std::make_unique<dht::DhtRunner>();
    dht::DhtRunner::Context ctx;
    // Runs on the DHT thread: hop to ours.
    ctx.statusChangedCallback = [this](dht::NodeStatus v4, dht::NodeStatus v6) {
        const bool up = v4 == dht::NodeStatus::Connected || v6 == dht::NodeStatus::Connected;
        QMetaObject::invokeMethod(
            this,
            [this, up] {
                if (up == connected_) return;
                connected_ = up;
                if (up)
                    Q_EMIT connected();
                else
                    Q_EMIT disconnected();
            },
            Qt::QueuedConnection);
    };
    try {
        runner_->run(config.port, rc, std::move(ctx));
    } catch (const std::exception& e) {
        runner_.reset();
        const QString what = QString::fromUtf8(e.what());
        // OpenDHT says "Can't bind socket": the user can act on which port, not on that.
        if (config.port != 0 && what.contains(QStringLiteral("bind"), Qt::CaseInsensitive))
            return fail(QStringLiteral("UDP port %1 is already in use by another program")
                            .arg(config.port));
        return fail(QStringLiteral("the DHT node could not start: %1").arg(what));
    }
    if (!bootstrap.empty()) runner_->bootstrap(bootstrap);
    return Ok{};
}

void DhtNode::stop()
{
    if (!runner_) return;
    for (auto& [token, l] : listens_)
        runner_->cancelListen(l->hash, l->token);
    listens_.clear();
    runner_->join(); // no callback runs after this
    runner_.reset();
    connected_ = false;
}

quint16 DhtNode::port() const
{
    return runner_ ? runner_->getBoundPort(AF_INET) : 0;
}

QString DhtNode::endpoint() const
{
    const QString host = bindAddress_.isEmpty() ? QStringLiteral("127.0.0.1") : bindAddress_;
    return host + u':' + QString::number(port());
}

void DhtNode::put(const QByteArray& key, const QByteArray& data, quint64 valueId, bool sign,
                  bool permanent, DoneCallback done)
{
    if (!runner_) {
        if (done) done(false);
        return;
    }
    auto value = std::make_shared<dht::Value>(dht::Blob(data.begin(), data.end()));
    if (valueId != 0) value->id = valueId;
    auto cb = [this, done = std::move(done)](bool ok,
                                             const std::vector<std::shared_ptr<dht::Node>>&) {
        if (!done) return;
        QMetaObject::invokeMethod(
            this, [done, ok] { done(ok); }, Qt::QueuedConnection);
    };
    if (sign)
        runner_->putSigned(hashOf(key), value, cb, permanent);
    else
        runner_->put(hashOf(key), value, cb, dht::time_point::max(), permanent);
}

void DhtNode::cancelPut(const QByteArray& key, quint64 valueId)
{
    if (runner_) runner_->cancelPut(hashOf(key), valueId);
}

void DhtNode::get(const QByteArray& key, ValuesCallback onValues, DoneCallback done)
{
    if (!runner_) {
        if (done) done(false);
        return;
    }
    runner_->get(
        hashOf(key),
        [this, onValues](const std::vector<std::shared_ptr<dht::Value>>& values) {
            auto list = convert(values, false);
            QMetaObject::invokeMethod(
                this, [onValues, list] { onValues(list); }, Qt::QueuedConnection);
            return true;
        },
        [this, done](bool ok, const std::vector<std::shared_ptr<dht::Node>>&) {
            if (!done) return;
            QMetaObject::invokeMethod(
                this, [done, ok] { done(ok); }, Qt::QueuedConnection);
        });
}

quint64 DhtNode::listen(const QByteArray& key, ValuesCallback onValues)
{
    if (!runner_) return 0;
    const quint64 token = nextToken_++;
    auto l = std::make_unique<Listen>();
    l->hash = hashOf(key);
    l->callback = std::move(onValues);
    l->token = runner_->listen(
        l->hash,
        [this, token](const std::vector<std::shared_ptr<dht::Value>>& values, bool expired) {
            auto list = convert(values, expired);
            QMetaObject::invokeMethod(
                this,
                [this, token, list] {
                    // The listen may have been cancelled while this was queued.
                    if (auto it = listens_.find(token); it != listens_.end())
                        it->second->callback(list);
                },
                Qt::QueuedConnection);
            return true;
        });
    listens_.emplace(token, std::move(l));
    return token;
}

void DhtNode::cancelListen(quint64 token)
{
    auto it = listens_.find(token);
    if (it == listens_.end()) return;
    if (runner_) runner_->cancelListen(it->second->hash, it->second->token);
    listens_.erase(it);
}

} // namespace plenum::identity

#include "identity/presence.h"

#include <QDeadlineTimer>
#include <QtEndian>

#include <algorithm>

namespace plenum::identity {

namespace {
// One value slot per device under the account key.
quint64 slotOf(const DeviceId& d)
{
    return qFromBigEndian<quint64>(d.bytes().data()) | 1; // never 0 (OpenDHT: "pick one")
}
} // namespace

Presence::Presence(DhtNode* node, const DeviceIdentity* device, QObject* parent)
    : QObject(parent), node_(node), device_(device)
{
    connect(&refresh_, &QTimer::timeout, this, &Presence::republish);
    owed_.setSingleShot(true);
    connect(&owed_, &QTimer::timeout, this, &Presence::onOwedTimer);
}

qint64 Presence::nowMs()
{
    return QDeadlineTimer::current().deadline(); // monotonic: a wall-clock step cannot stall it
}

QByteArray Presence::keyFor(const AccountId& account)
{
    return QByteArrayLiteral("plenum:presence:") + account.toHex().toLatin1();
}

void Presence::publish(PresenceState state, DeviceClass deviceClass, const QString& displayName,
                       const QList<DeviceId>& accountDevices)
{
    mine_.account = device_->accountId();
    mine_.device = device_->id();
    mine_.displayName = displayName;
    mine_.deviceName = device_->name();
    mine_.state = state;
    mine_.deviceClass = deviceClass;
    mine_.accountDevices = accountDevices;
    publishing_ = state != PresenceState::Offline;
    republish();
    if (publishing_)
        refresh_.start(ttlSecs_ * 1000 / 2);
    else
        refresh_.stop();
}

void Presence::setSessions(const QList<LiveSession>& sessions)
{
    const QList<LiveSession> bounded =
        sessions.first(std::min<qsizetype>(sessions.size(), PresenceRecord::kMaxLiveSessions));
    if (bounded == mine_.sessions) return;
    mine_.sessions = bounded;
    if (!publishing_) return;
    if (pacer_.changed(nowMs()))
        republish();
    else if (!owed_.isActive())
        owed_.start(int(std::max<qint64>(0, pacer_.due().value_or(0) - nowMs())));
}

void Presence::onOwedTimer()
{
    if (!publishing_) return;
    if (pacer_.onTimer(nowMs()))
        republish();
    else if (const auto due = pacer_.due()) // fired early: wait for the rest
        owed_.start(int(std::max<qint64>(1, *due - nowMs())));
}

void Presence::republish()
{
    pacer_.put(nowMs());
    owed_.stop();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    mine_.published = now;
    mine_.expires = now.addSecs(ttlSecs_);
    node_->put(keyFor(mine_.account), mine_.encode(*device_), slotOf(mine_.device), true, false);
}

void Presence::watch(const AccountId& account)
{
    if (watches_.contains(account)) return;
    watches_.insert(account,
                    node_->listen(keyFor(account), [this, account](const QList<DhtValue>& v) {
                        onValues(account, v);
                    }));
}

void Presence::unwatch(const AccountId& account)
{
    if (auto it = watches_.find(account); it != watches_.end()) {
        node_->cancelListen(it.value());
        watches_.erase(it);
    }
    seen_.remove(account);
}

void Presence::onValues(const AccountId& account, const QList<DhtValue>& values)
{
    for (const DhtValue& v : values) {
        auto rec = PresenceRecord::decode(v.data, account, revoked_);
        if (!rec) continue; // forged or foreign values under a public key are ignored
        // The DHT signer must be the device the record speaks for.
        if (!v.ownerKeyDer.isEmpty() && v.ownerKeyDer != rec->deviceCert.publicKeyDer()) continue;
        auto& devices = seen_[account];
        if (v.expired) {
            const bool hadSessions = !devices.value(rec->device).sessions.isEmpty();
            if (devices.remove(rec->device))
                Q_EMIT presenceChanged(account, rec->device, PresenceState::Offline);
            if (hadSessions) Q_EMIT sessionsChanged(account, rec->device);
            continue;
        }
        const auto old = devices.find(rec->device);
        if (old != devices.end() && old->published > rec->published) continue; // stale copy
        const bool changed = old == devices.end() || old->state != rec->state;
        const bool sessions =
            old == devices.end() ? !rec->sessions.isEmpty() : old->sessions != rec->sessions;
        devices.insert(rec->device, rec.value());
        if (changed) Q_EMIT presenceChanged(account, rec->device, rec->state);
        if (sessions) Q_EMIT sessionsChanged(account, rec->device);
    }
}

PresenceState Presence::stateOf(const AccountId& account) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    PresenceState best = PresenceState::Offline;
    // Online beats Busy beats Away beats Offline.
    auto rank = [](PresenceState s) {
        switch (s) {
        case PresenceState::Online:
            return 3;
        case PresenceState::Busy:
            return 2;
        case PresenceState::Away:
            return 1;
        case PresenceState::Offline:
            return 0;
        }
        return 0;
    };
    for (const PresenceRecord& r : seen_.value(account))
        if (r.isLive(now) && rank(r.state) > rank(best)) best = r.state;
    return best;
}

QList<PresenceRecord> Presence::devicesOf(const AccountId& account) const
{
    return seen_.value(account).values();
}

} // namespace plenum::identity

#include "node/node.h"

#include "chat/chatsignature.h"
#include "protocol/claims.h"

#include "chat/visibility.h"
#include "identity/devicemailbox.h"
#include "identity/dhtnode.h"
#include "identity/dhtsignaling.h"
#include "identity/linktrust.h"
#include "identity/pairingresponder.h"
#include "identity/presence.h"
#include "identity/profilestore.h"
#include "net/linkmanager.h"
#include "protocol/codec.h"
#include "session/roster.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>

namespace plenum::node {

using protocol::ChatMessage;
using protocol::Message;

namespace {

// First contact (no link yet) goes through the DHT mailbox, and only these (issue 6).
bool travelsByDht(const protocol::Body& body)
{
    return std::holds_alternative<protocol::Invite>(body) ||
           std::holds_alternative<protocol::InviteAnswer>(body) ||
           std::holds_alternative<protocol::Cancel>(body) ||
           std::holds_alternative<protocol::Rejoin>(body) ||
           std::holds_alternative<protocol::ErrorReply>(body);
}

bool isChat(const protocol::Body& body)
{
    return std::holds_alternative<protocol::ChatMessage>(body) ||
           std::holds_alternative<protocol::ChatAck>(body) ||
           std::holds_alternative<protocol::Typing>(body) ||
           std::holds_alternative<protocol::HighWater>(body) ||
           std::holds_alternative<protocol::ChatPull>(body);
}

const QString kDeviceFile = QStringLiteral("device.json");

// The device class kept beside the keys (device-local: it is not synced by pairing).
std::optional<protocol::DeviceClass> storedClass(const QString& dir)
{
    QFile f(QDir(dir).filePath(kDeviceFile));
    if (!f.open(QIODevice::ReadOnly) || f.size() > 4096) return std::nullopt;
    const QString c = QJsonDocument::fromJson(f.readAll()).object().value("class").toString();
    for (auto k : {protocol::DeviceClass::Phone, protocol::DeviceClass::Laptop,
                   protocol::DeviceClass::Desktop, protocol::DeviceClass::Wired})
        if (Node::className(k) == c) return k;
    return std::nullopt;
}

Status storeClass(const QString& dir, protocol::DeviceClass c)
{
    QSaveFile f(QDir(dir).filePath(kDeviceFile));
    const QByteArray bytes = QJsonDocument(QJsonObject{{"class", Node::className(c)}}).toJson();
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    return Ok{};
}

std::optional<identity::PresenceState> presenceFromText(const QString& s)
{
    if (s == QLatin1String("online")) return identity::PresenceState::Online;
    if (s == QLatin1String("away")) return identity::PresenceState::Away;
    if (s == QLatin1String("busy")) return identity::PresenceState::Busy;
    return std::nullopt;
}

QString presenceText(identity::PresenceState state)
{
    switch (state) {
    case identity::PresenceState::Online:
        return QStringLiteral("online");
    case identity::PresenceState::Away:
        return QStringLiteral("away");
    case identity::PresenceState::Busy:
        return QStringLiteral("busy");
    case identity::PresenceState::Offline:
        break;
    }
    return QStringLiteral("offline");
}

QList<DeviceId> othersIn(const protocol::RosterSnapshot& roster, const DeviceId& self)
{
    QList<DeviceId> out;
    for (const auto& m : roster.members)
        if (m.device != self) out.append(m.device);
    return out;
}

} // namespace

QString Node::className(protocol::DeviceClass c)
{
    switch (c) {
    case protocol::DeviceClass::Phone:
        return QStringLiteral("phone");
    case protocol::DeviceClass::Laptop:
        return QStringLiteral("laptop");
    case protocol::DeviceClass::Desktop:
        return QStringLiteral("desktop");
    case protocol::DeviceClass::Wired:
        return QStringLiteral("wired");
    }
    return QStringLiteral("desktop");
}

Result<identity::Profile> Node::createProfile(const QString& dir, const QString& name,
                                              protocol::DeviceClass deviceClass)
{
    if (dir.isEmpty()) return fail("no profile directory was given");
    if (!QDir().mkpath(dir)) return fail("cannot create the profile directory " + dir);
    const QString display = name.trimmed().isEmpty() ? QStringLiteral("Plenum user") : name;
    auto profile = identity::ProfileStore(dir).create(display, display);
    if (!profile) return profile;
    if (auto s = storeClass(dir, deviceClass); !s) return Error{s.error()};
    return profile;
}

Result<std::unique_ptr<Node>> Node::open(const NodeOptions& options)
{
    if (options.profileDir.isEmpty()) return fail("no profile directory was given");
    if (!QDir().mkpath(options.profileDir))
        return fail("cannot create the profile directory " + options.profileDir);
    identity::ProfileStore store(options.profileDir);
    auto profile =
        store.hasIdentity()
            ? store.load()
            : store.create(options.name.isEmpty() ? QStringLiteral("Plenum user") : options.name,
                           options.name.isEmpty() ? QStringLiteral("device") : options.name);
    if (!profile) return fail("cannot open the profile: " + profile.error());
    auto history = chat::HistoryStore::open(options.profileDir + QStringLiteral("/history.sqlite"));
    if (!history) return fail("cannot open the chat history: " + history.error());
    NodeOptions resolved = options;
    if (!resolved.deviceClass) resolved.deviceClass = storedClass(options.profileDir);
    return std::unique_ptr<Node>(
        new Node(resolved, std::move(profile.value()), std::move(history.value())));
}

Node::Node(NodeOptions options, identity::Profile profile,
           std::unique_ptr<chat::HistoryStore> history)
    : options_(std::move(options)), profile_(std::move(profile)), history_(std::move(history)),
      records_(options_.profileDir + QStringLiteral("/sessions")),
      tickets_(&profile_.device.deviceKey())
{
    deviceClass_ = options_.deviceClass.value_or(protocol::DeviceClass::Desktop);
    makeHost();
}

// The session core speaks for this profile's account and device: made again after pairing.
void Node::makeHost()
{
    tickets_.learn(profile_.device.id(), profile_.device.deviceCertificate().publicKeyDer());
    if (auto own = crypto::verifyChain(profile_.device.chain())) linkKeys_.learn(own.value());
    protocol::MemberInfo self;
    self.device = profile_.device.id();
    self.account = profile_.account.id();
    self.name = profile_.account.displayName();
    self.deviceClass = deviceClass_;
    host_ = std::make_unique<session::SessionHost>(
        session::SessionConfig{}, self, static_cast<session::Outbox&>(*this), tickets_,
        [] { return QRandomGenerator::global()->generate64(); });
    applyBlocks();
}

Node::~Node()
{
    // Links and the DHT are children; stop them before the host they call into goes away.
    delete guest_;
    guest_ = nullptr;
    stopNetwork();
}

session::Millis Node::now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

quint16 Node::dhtPort() const
{
    return dht_ ? dht_->port() : 0;
}

Status Node::start()
{
    if (auto s = startDht(); !s) return s;
    // A fresh profile pairs first; the services start with the paired identity (or, if
    // pairing fails, with the fresh one).
    if (!options_.pairCode.isEmpty()) return pair(options_.pairCode);
    return startServices();
}

Status Node::startDht()
{
    dht_ = new identity::DhtNode(this);
    if (auto s = dht_->start(options_.dht, profile_.device.deviceKey(),
                             profile_.device.deviceCertificate());
        !s)
        return fail("cannot start the DHT node: " + s.error());
    return Ok{};
}

void Node::stopNetwork()
{
    delete links_;
    links_ = nullptr;
    delete responder_;
    responder_ = nullptr;
    delete presence_;
    presence_ = nullptr;
    delete signaling_;
    signaling_ = nullptr;
    delete mailbox_;
    mailbox_ = nullptr;
    if (dht_) dht_->stop();
    delete dht_;
    dht_ = nullptr;
}

Status Node::startServices()
{
    auto mailbox = identity::DeviceMailbox::create(dht_, profile_.device, this);
    if (!mailbox) return fail("cannot open the DHT mailbox: " + mailbox.error());
    mailbox_ = mailbox.value();
    mailbox_->setRevoked(profile_.account.revoked());
    // Blocking at the mailbox: requests signed by a blocked account's device are dropped.
    mailbox_->setRefusal([this](const AccountId& a) { return profile_.contacts.isBlocked(a); });
    // Replay protection that survives restarts (docs/security.md).
    if (auto s = mailbox_->setReplayRecord(options_.profileDir + QStringLiteral("/mailbox.replay"));
        !s)
        Q_EMIT warning("the mailbox replay record cannot be kept (replays are refused until the "
                       "next restart only): " +
                       s.error());
    connect(mailbox_, &identity::DeviceMailbox::requestReceived, this, &Node::onRequest);
    signaling_ = new identity::DhtSignaling(mailbox_, this);
    mailbox_->start();

    presence_ = new identity::Presence(dht_, &profile_.device, this);
    connect(presence_, &identity::Presence::presenceChanged, this,
            [this](const AccountId& a, const DeviceId&, identity::PresenceState) {
                Q_EMIT presenceChanged(a, presenceOf(a));
            });
    for (const auto& c : profile_.contacts.all())
        presence_->watch(c.account);
    publishPresence();

    auto credentials = identity::LinkTrust::credentialsOf(profile_.device);
    if (!credentials) return fail("cannot build the link credentials: " + credentials.error());
    net::ControlLinkConfig config;
    config.ice = options_.ice;
    // Devices revoked while running are refused too: the set is read at each handshake.
    auto inner = identity::LinkTrust::verifier(profile_.account.revoked());
    net::ChainVerifier verifier =
        [this, inner](const QList<QByteArray>& der) -> Result<net::PeerIdentity> {
        auto peer = inner(der);
        if (peer && profile_.account.revoked().contains(peer->device))
            return fail("the device was revoked by its account");
        // The chain verified: keep its link key for checking the peer's signatures.
        if (peer && !der.isEmpty())
            if (auto link = crypto::Certificate::fromDer(der.front()))
                linkKeys_.learn(
                    crypto::VerifiedChain{peer->device, peer->account, link.value(), {}, {}});
        return peer;
    };
    links_ = new net::LinkManager(credentials.value(), tickets_.recording(verifier), signaling_,
                                  config, this);
    links_->setAcceptPolicy([this](const DeviceId& d) { return linkAdmission(d); });
    connect(links_, &net::LinkManager::offerRefused, this,
            [this](const DeviceId& d, const QString& why) {
                Q_EMIT warning("a link attempt from " + d.shortHex() + " was refused: " + why);
            });
    connect(links_, &net::LinkManager::linkCreated, this,
            [](net::ControlLink* link) { link->setSessionActive(true); });
    // Queued: a link may report synchronously from inside connectTo()/send(), which the
    // session core calls from its own handlers; it must not be re-entered there.
    connect(links_, &net::LinkManager::linkUp, this, &Node::onLinkUp, Qt::QueuedConnection);
    connect(
        links_, &net::LinkManager::linkDown, this,
        [this](const DeviceId& peer, const QString&) { onLinkDown(peer); }, Qt::QueuedConnection);
    connect(links_, &net::LinkManager::message, this, &Node::onLinkMessage, Qt::QueuedConnection);

    QStringList errors;
    const auto records = records_.readAll(&errors);
    for (const QString& e : errors)
        Q_EMIT warning("a session record was skipped: " + e);
    host_->restore(records, now());
    for (const auto& r : records)
        if (!r.ended) {
            current_ = r.sid;
            chatOf(r.sid).wasMember = true;
            if (const session::Session* s = host_->session(r.sid);
                s && !s->committed().members.isEmpty())
                applyChat(r.sid,
                          chatOf(r.sid).sender->setMembers(othersIn(s->committed(), device())));
        }
    return Ok{};
}

Status Node::injectChat(const SessionId& sid, const DeviceId& to, ChatMessage message, bool sign)
{
    if (!host_->session(sid)) return fail("no such session");
    net::ControlLink* link = links_ ? links_->link(to) : nullptr;
    if (!link || link->state() != net::ControlLink::State::Up)
        return fail("no link to that device");
    if (sign) chat::signChat(message, sid, profile_.device.linkKey());
    sendOnLink(to, Message{headerFor(sid), message});
    return Ok{};
}

net::LinkAdmission Node::linkAdmission(const DeviceId& d) const
{
    using net::LinkAdmission;
    for (const auto& own : profile_.account.devices())
        if (own.id == d) return LinkAdmission::Trusted;
    if (invitePeers_.contains(d)) return LinkAdmission::Trusted;
    for (const SessionId& sid : host_->sessionIds())
        if (const session::Session* s = host_->session(sid))
            if (session::member(s->accepted(), d) || session::member(s->committed(), d))
                return LinkAdmission::Trusted;
    if (presence_)
        for (const auto& c : profile_.contacts.all())
            for (const auto& r : presence_->devicesOf(c.account))
                if (r.device == d)
                    return profile_.contacts.isBlocked(c.account) ? LinkAdmission::Refused
                                                                  : LinkAdmission::Trusted;
    return LinkAdmission::Stranger;
}

void Node::shutdown()
{
    for (const SessionId& sid : host_->sessionIds())
        if (const auto* s = host_->session(sid); s && s->phase() == session::Session::Phase::Member)
            host_->leave(sid, now());
    flushHistory();
}

// ---- commands ----

SessionId Node::create(std::uint32_t capacity, bool inviteOnly)
{
    host_->config().rules.capacity = capacity;
    host_->config().rules.inviteOnly = inviteOnly;
    host_->config().rules.owner = account();
    const SessionId sid = host_->create(now());
    current_ = sid;
    chatOf(sid);
    return sid;
}

Status Node::invite(const SessionId& sid, const AccountId& account, QList<DeviceId> devices)
{
    if (!host_->session(sid)) return fail("there is no such session");
    if (devices.isEmpty()) {
        if (!presence_) return fail("the node is not connected yet");
        presence_->watch(account);
        devices = onlineDevicesOf(account);
        if (devices.isEmpty()) {
            // A presence not watched before needs a DHT round trip: look again for a while.
            inviteWhenOnline(sid, account, kPresenceWaitMs);
            return Ok{};
        }
    }
    host_->invite(sid, account, devices, now());
    return Ok{};
}

QList<DeviceId> Node::onlineDevicesOf(const AccountId& account) const
{
    QList<DeviceId> out;
    if (!presence_) return out;
    const QDateTime t = QDateTime::currentDateTimeUtc();
    for (const auto& r : presence_->devicesOf(account))
        if (r.isLive(t) && !profile_.account.revoked().contains(r.device)) out.append(r.device);
    return out;
}

void Node::inviteWhenOnline(const SessionId& sid, const AccountId& account, int leftMs)
{
    QTimer::singleShot(kPresencePollMs, this, [this, sid, account, leftMs] {
        if (!host_->session(sid)) return;
        const QList<DeviceId> devices = onlineDevicesOf(account);
        if (!devices.isEmpty()) {
            host_->invite(sid, account, devices, now());
        } else if (leftMs > kPresencePollMs) {
            inviteWhenOnline(sid, account, leftMs - kPresencePollMs);
        } else {
            Q_EMIT inviteResult(sid, account, DeviceId{}, int(protocol::Code::Offline),
                                QStringLiteral("no device of that account is online"));
        }
    });
}

Status Node::accept(const SessionId& sid)
{
    if (!host_->session(sid)) return fail("there is no such invitation");
    current_ = sid;
    host_->accept(sid, now());
    return Ok{};
}

Status Node::decline(const SessionId& sid)
{
    if (!host_->session(sid)) return fail("there is no such invitation");
    host_->decline(sid, now());
    return Ok{};
}

Status Node::leave(const SessionId& sid)
{
    if (!host_->session(sid)) return fail("there is no such session");
    host_->leave(sid, now());
    return Ok{};
}

Result<std::uint64_t> Node::say(const SessionId& sid, const QString& text,
                                const QList<AccountId>& to)
{
    const session::Session* s = host_->session(sid);
    if (!s || s->phase() != session::Session::Phase::Member)
        return fail("this device is not a member of that session");
    if (auto ok = chat::checkOutgoingText(text); !ok) return Error{ok.error()};
    QList<DeviceId> recipients;
    for (const AccountId& a : to) {
        bool found = false;
        for (const auto& m : s->committed().members)
            if (m.account == a && m.device != device()) {
                recipients.append(m.device);
                found = true;
            }
        if (!found && a != account()) return fail("a side-chat recipient is not in the session");
    }
    if (!to.isEmpty() && recipients.isEmpty()) return fail("the side-chat has no recipient");
    Chat& c = chatOf(sid);
    ChatMessage m = c.sender->compose(text, recipients);
    chat::signChat(m, sid, profile_.device.linkKey()); // DESIGN §6
    // §5.1 rule 8: on disk before it leaves.
    history_->add(account(), sid, m, now());
    auto flushed = history_->flush();
    if (!flushed) return fail("the message could not be saved: " + flushed.error());
    c.sync->record(m);
    applyChat(sid, c.sender->send(m, now()));
    sendTyping(sid, c.typing.onSend(now()));
    return m.seq;
}

Status Node::type(const SessionId& sid, const QString& text)
{
    const session::Session* s = host_->session(sid);
    if (!s || s->phase() != session::Session::Phase::Member)
        return fail("this device is not a member of that session");
    sendTyping(sid, chatOf(sid).typing.onEdit(text, now()));
    return Ok{};
}

void Node::sendTyping(const SessionId& sid, const std::optional<protocol::Typing>& update)
{
    Chat& c = chatOf(sid);
    const session::Session* s = host_->session(sid);
    if (update && s)
        for (const DeviceId& peer : othersIn(s->committed(), device()))
            sendOnLink(peer, Message{headerFor(sid), *update});
    if (auto at = c.typing.nextWake())
        c.typingTimer.start(int(std::clamp<session::Millis>(*at - now(), 0, 3600 * 1000)));
    else
        c.typingTimer.stop();
}

Result<QList<chat::StoredMessage>> Node::history(const SessionId& sid, int limit) const
{
    return history_->lastMessages(account(), sid, limit);
}

std::optional<protocol::RosterSnapshot> Node::roster(const SessionId& sid) const
{
    const session::Session* s = host_->session(sid);
    if (!s) return std::nullopt;
    return s->committed();
}

std::optional<chat::Receipt> Node::receipt(const SessionId& sid, std::uint64_t seq) const
{
    auto it = chats_.find(sid);
    if (it == chats_.end()) return std::nullopt;
    return it->second->sender->receipt(seq);
}

Status Node::addContact(const AccountId& account)
{
    if (account == this->account()) return fail("an account cannot be its own contact");
    if (!profile_.contacts.contains(account)) {
        if (auto s = profile_.contacts.add(account, QString()); !s) return s;
        if (auto s = saveProfile(); !s) return s;
        Q_EMIT contactsChanged();
    }
    if (presence_) presence_->watch(account);
    return Ok{};
}

Status Node::saveProfile()
{
    if (auto s = identity::ProfileStore(options_.profileDir).saveState(profile_); !s)
        return fail("the profile could not be saved: " + s.error());
    return Ok{};
}

void Node::applyBlocks()
{
    QSet<AccountId> blocked;
    for (const auto& c : profile_.contacts.all())
        if (c.blocked) blocked.insert(c.account);
    host_->setBlocked(blocked);
}

Status Node::setBlocked(const AccountId& account, bool blocked)
{
    if (account == this->account()) return fail("an account cannot block itself");
    if (profile_.contacts.isBlocked(account) == blocked) return Ok{};
    if (auto s = profile_.contacts.setBlocked(account, blocked); !s) return s;
    applyBlocks();
    if (auto s = saveProfile(); !s) return s;
    Q_EMIT contactsChanged();
    return Ok{};
}

QList<DeviceId> Node::devicesOf(const AccountId& account) const
{
    QList<DeviceId> live, rest;
    if (!presence_) return live;
    for (const auto& r : presence_->devicesOf(account))
        (r.state != identity::PresenceState::Offline ? live : rest).append(r.device);
    return live + rest;
}

QString Node::nameOf(const AccountId& account) const
{
    if (account == this->account()) return name();
    for (const SessionId& sid : host_->sessionIds())
        if (const session::Session* s = host_->session(sid))
            for (const auto& m : s->committed().members)
                if (m.account == account && !m.name.isEmpty()) return m.name;
    if (const auto* c = profile_.contacts.find(account); c && !c->displayName.isEmpty())
        return c->displayName;
    if (presence_)
        for (const auto& r : presence_->devicesOf(account))
            if (!r.displayName.isEmpty()) return r.displayName;
    return account.shortHex();
}

Status Node::revokeDevice(const DeviceId& device)
{
    if (device == this->device()) return fail("this device cannot revoke itself");
    if (!profile_.account.revoke(device)) return fail("that device is not one of this account's");
    if (auto s = saveProfile(); !s) return s;
    if (mailbox_) mailbox_->setRevoked(profile_.account.revoked());
    if (links_) links_->disconnectFrom(device, QStringLiteral("the device was revoked"));
    publishPresence();
    Q_EMIT devicesChanged();
    return Ok{};
}

void Node::publishPresence()
{
    if (!presence_) return;
    QList<DeviceId> devices;
    for (const auto& d : profile_.account.devices())
        devices.append(d.id);
    presence_->publish(presenceState_, identity::DeviceClass(quint8(deviceClass_)),
                       profile_.account.displayName(), devices);
}

Status Node::setPresence(const QString& status)
{
    const auto state = presenceFromText(status);
    if (!state) return fail("presence must be online, away or busy");
    presenceState_ = *state;
    publishPresence();
    return Ok{};
}

QString Node::myPresence() const
{
    return presenceText(presenceState_);
}

Status Node::setDisplayName(const QString& name)
{
    const QString old = profile_.account.displayName();
    if (auto s = profile_.account.setDisplayName(name.trimmed()); !s) return s;
    if (auto s = saveProfile(); !s) {
        (void)profile_.account.setDisplayName(old);
        return s;
    }
    publishPresence();
    return Ok{};
}

Status Node::retry(const SessionId& sid, std::uint64_t seq)
{
    auto it = chats_.find(sid);
    if (it == chats_.end() || !it->second->sender->receipt(seq))
        return fail("there is no message of this device to retry");
    applyChat(sid, it->second->sender->retry(seq, now()));
    return Ok{};
}

Result<QList<chat::StoredMessage>> Node::historyBefore(const SessionId& sid, std::uint64_t lamport,
                                                       const DeviceId& sender, int limit) const
{
    return history_->messagesBefore(account(), sid, lamport, sender, limit);
}

void Node::setLiveTyping(bool live)
{
    liveTyping_ = live;
    for (auto& [sid, c] : chats_)
        c->typing.setPlain(!live);
}

Result<QString> Node::newPairingCode()
{
    if (!mailbox_) return fail("the node is not connected yet");
    if (!responder_) {
        responder_ = new identity::PairingResponder(mailbox_, &profile_, this);
        connect(responder_, &identity::PairingResponder::devicePaired, this,
                [this](const DeviceId& id, const QString& deviceName) {
                    // certifyDevice() listed it in the account: keep and announce the list.
                    if (auto s = saveProfile(); !s) Q_EMIT warning(s.error());
                    publishPresence();
                    Q_EMIT devicesChanged();
                    Q_EMIT devicePaired(id, deviceName);
                });
        connect(responder_, &identity::PairingResponder::pairingRefused, this,
                &Node::pairingRefused);
    }
    return responder_->createCode().toText();
}

Status Node::checkFreshForPairing() const
{
    if (!profile_.contacts.all().isEmpty())
        return fail("this profile already has contacts; pairing would replace its account");
    if (!host_->sessionIds().isEmpty() || !QDir(options_.profileDir + "/sessions").isEmpty())
        return fail("this profile is in a session; pairing would replace its account");
    if (auto h = history_->hasMessages(account()); !h || h.value())
        return fail("this profile has chat history; pairing would replace its account");
    if (profile_.account.devices().size() > 1)
        return fail("this account already has other devices; pairing would replace it");
    return Ok{};
}

Status Node::pair(const QString& code)
{
    if (guest_) return fail("pairing is already under way");
    if (!dht_) return fail("the node is not started");
    if (auto s = checkFreshForPairing(); !s) return s;
    guest_ = new GuestPairing(dht_, &profile_.device.deviceKey(), this);
    // Deferred: the grant arrives inside a DHT callback, and adopting it restarts the DHT.
    connect(guest_, &GuestPairing::succeeded, this,
            [this] { QTimer::singleShot(0, this, &Node::adoptPairing); });
    connect(guest_, &GuestPairing::failed, this, &Node::onPairingFailed);
    QString deviceName = profile_.account.displayName();
    for (const auto& d : profile_.account.devices())
        if (d.id == device()) deviceName = d.name;
    if (auto s = guest_->start(code, deviceName); !s) {
        delete guest_;
        guest_ = nullptr;
        return s;
    }
    return Ok{};
}

void Node::onPairingFailed(const QString& reason)
{
    guest_->deleteLater(); // we may be inside its signal
    guest_ = nullptr;
    if (!mailbox_)
        if (auto s = startServices(); !s) Q_EMIT warning(s.error());
    Q_EMIT pairingFailed(reason);
}

void Node::adoptPairing()
{
    auto profile = guest_->takeProfile();
    if (profile) {
        if (auto s = GuestPairing::replaceOnDisk(options_.profileDir, profile.value()); !s)
            profile = Error{s.error()};
    }
    if (!profile)
        return onPairingFailed("the paired profile could not be kept: " + profile.error());
    delete guest_;
    guest_ = nullptr;
    // Everything that speaks for the old (fresh, unused) account starts again.
    stopNetwork();
    chats_.clear();
    timers_.clear();
    current_.reset();
    host_.reset();
    profile_ = std::move(profile).value();
    makeHost();
    Status started = startDht();
    if (started) started = startServices();
    if (!started) {
        Q_EMIT pairingFailed("paired, but the network did not start again: " + started.error());
        return;
    }
    Q_EMIT paired(account());
    Q_EMIT devicesChanged();
    Q_EMIT contactsChanged();
}

QString Node::presenceOf(const AccountId& account) const
{
    if (!presence_) return QStringLiteral("offline");
    return presenceText(presence_->stateOf(account));
}

// ---- Outbox ----

protocol::Header Node::headerFor(const SessionId& sid) const
{
    protocol::Header h;
    h.sid = sid;
    if (const session::Session* s = host_->session(sid)) {
        h.epoch = s->epoch();
        h.version = s->committed().at.version;
        h.sm = s->sm();
    }
    return h;
}

void Node::sendOnLink(const DeviceId& to, const Message& message)
{
    // Fault injection (tests): every chat message to that device is lost, also the copies
    // anti-entropy sends in answer to a pull, or the message would arrive after all.
    if (dropChatTo_.contains(to) && std::holds_alternative<protocol::ChatMessage>(message.body))
        return;
    net::ControlLink* link = links_ ? links_->link(to) : nullptr;
    if (link && link->state() == net::ControlLink::State::Up) {
        if (auto s = link->send(protocol::encode(message)); !s)
            Q_EMIT warning("a message to " + to.shortHex() + " was not sent: " + s.error());
    }
}

void Node::send(const DeviceId& to, const Message& message)
{
    if (std::holds_alternative<protocol::Invite>(message.body)) invitePeers_.insert(to);
    net::ControlLink* link = links_ ? links_->link(to) : nullptr;
    if (link && link->state() == net::ControlLink::State::Up) {
        sendOnLink(to, message);
    } else if (mailbox_ && travelsByDht(message.body)) {
        mailbox_->send(to, identity::RequestKind::Invitation, protocol::encode(message));
    }
    // Anything else needs a link; the session core re-sends once the link is up.
}

void Node::openLink(const SessionId&, const DeviceId& to)
{
    if (links_ && to != device()) links_->connectTo(to);
}

void Node::closeLink(const SessionId&, const DeviceId& to)
{
    if (links_) links_->disconnectFrom(to, QStringLiteral("no session needs this link"));
}

void Node::setTimer(const SessionId& sid, session::Millis at)
{
    auto& timer = timers_[sid];
    if (!timer) {
        timer = std::make_unique<QTimer>();
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
        connect(timer.get(), &QTimer::timeout, this, [this, sid] {
            host_->onTick(sid, now());
            flushHistory();
        });
    }
    timer->start(int(std::clamp<session::Millis>(at - now(), 0, 24 * 3600 * 1000)));
}

void Node::cancelTimer(const SessionId& sid)
{
    if (auto it = timers_.find(sid); it != timers_.end()) it->second->stop();
}

void Node::persist(const session::SessionRecord& record)
{
    if (auto s = records_.write(record); !s) Q_EMIT warning(s.error());
}

void Node::forget(const SessionId& sid)
{
    if (auto s = records_.remove(sid); !s) Q_EMIT warning(s.error());
    if (auto it = timers_.find(sid); it != timers_.end()) {
        it->second->stop();
        it->second.release()->deleteLater();
        timers_.erase(it);
    }
}

void Node::notify(const SessionId& sid, const session::SessionEvent& event)
{
    namespace ev = session::event;
    if (const auto* e = std::get_if<ev::Invited>(&event)) {
        Q_EMIT invited(sid, e->from, e->inviterName);
        if (options_.autoAccept)
            QTimer::singleShot(0, this, [this, sid] {
                if (host_->session(sid)) (void)accept(sid);
            });
    } else if (const auto* e = std::get_if<ev::RosterCommitted>(&event)) {
        Chat& c = chatOf(sid);
        for (const DeviceId& d : othersIn(e->roster, device()))
            if (!c.members.contains(d)) c.sync->sawJoin(d, c.sender->lamport(), now());
        c.members = othersIn(e->roster, device());
        applyChat(sid, c.sender->setMembers(c.members));
        Q_EMIT rosterChanged(sid, e->roster);
        broadcastHighWater(sid); // §5.1 rule 8: after every roster change
    } else if (const auto* e = std::get_if<ev::Admitted>(&event)) {
        current_ = sid;
        Chat& c = chatOf(sid);
        // A first join is owed only what follows its cut; a member coming back (REJOIN after
        // a crash or a removal) is owed everything it missed, so it takes no floors.
        if (!c.wasMember) c.sync->joined(c.sender->lamport());
        c.wasMember = true;
        c.members = othersIn(e->roster, device());
        applyChat(sid, c.sender->setMembers(c.members));
        Q_EMIT rosterChanged(sid, e->roster);
        broadcastHighWater(sid); // members answer a joiner with floors
    } else if (const auto* e = std::get_if<ev::BecameSm>(&event)) {
        Q_EMIT becameSm(sid, e->epoch);
    } else if (const auto* e = std::get_if<ev::InviteResult>(&event)) {
        Q_EMIT inviteResult(sid, e->account, e->device, int(e->code), protocol::codeText(e->code));
    } else if (const auto* e = std::get_if<ev::JoinFailed>(&event)) {
        Q_EMIT joinFailed(sid, int(e->code), e->reason);
    } else if (std::holds_alternative<ev::Left>(event)) {
        Q_EMIT left(sid);
    } else if (const auto* e = std::get_if<ev::Removed>(&event)) {
        Q_EMIT removed(sid, e->rejoining);
    } else if (const auto* e = std::get_if<ev::Notice>(&event)) {
        Q_EMIT notice(sid, e->text);
    }
}

// ---- inputs ----

void Node::onRequest(const identity::OpenedEnvelope& request)
{
    if (request.kind != identity::RequestKind::Invitation || !request.chain) return;
    tickets_.learn(request.sender, request.senderKeyDer);
    auto message = protocol::decode(request.body);
    if (!message) {
        Q_EMIT warning("an invalid request from " + request.sender.shortHex() + ": " +
                       message.error());
        return;
    }
    if (const QString why =
            protocol::checkSelfClaim(message->body, request.sender, request.chain->account);
        !why.isEmpty()) {
        Q_EMIT warning("a request from " + request.sender.shortHex() + " was dropped: " + why);
        return;
    }
    if (std::holds_alternative<protocol::Invite>(message->body) && invitePeers_.size() < 4096)
        invitePeers_.insert(request.sender);
    host_->onMessage(request.sender, message.value(), now());
}

void Node::onLinkMessage(const DeviceId& from, const QByteArray& bytes)
{
    auto message = protocol::decode(bytes);
    if (!message) {
        Q_EMIT warning("an invalid message from " + from.shortHex() + ": " + message.error());
        return;
    }
    // Identity binding: what the sender says about itself must match its verified chain.
    if (protocol::selfClaim(message->body)) {
        const auto key = linkKeys_.entry(from);
        const QString why = key ? protocol::checkSelfClaim(message->body, from, key->account)
                                : QStringLiteral("the link's chain is not known");
        if (!why.isEmpty()) {
            Q_EMIT warning("a message from " + from.shortHex() + " was dropped: " + why);
            return;
        }
    }
    if (isChat(message->body))
        onChat(from, message.value());
    else
        host_->onMessage(from, message.value(), now());
}

void Node::onLinkUp(const DeviceId& peer)
{
    host_->onLinkUp(peer, now());
    for (auto& [sid, c] : chats_) {
        applyChat(sid, c->sender->onLinkUp(peer, now()));
        // §5.1 rule 8: after a re-link, exchange high-water marks.
        const session::Session* s = host_->session(sid);
        if (s && s->phase() == session::Session::Phase::Member &&
            session::member(s->committed(), peer))
            sendHighWater(sid, peer);
    }
}

void Node::onLinkDown(const DeviceId& peer)
{
    host_->onLinkDown(peer, now());
    for (auto& [sid, c] : chats_) {
        c->sender->onLinkDown(peer);
        c->sync->onLinkDown(peer);
    }
}

void Node::onChat(const DeviceId& from, const Message& message)
{
    const SessionId sid = message.header.sid;
    const session::Session* s = host_->session(sid);
    if (!s || s->phase() != session::Session::Phase::Member) return;
    const auto* author = session::member(s->accepted(), from) ? &s->accepted() : &s->committed();
    const auto who = session::member(*author, from);
    if (!who) return; // chat only from members (§5.1 rule 8 still applies per link)
    const bool blocked = profile_.contacts.isBlocked(who->account); // as if we were offline
    Chat& c = chatOf(sid);
    if (const auto* m = std::get_if<ChatMessage>(&message.body)) {
        if (!blocked) onChatMessage(sid, from, *m);
    } else if (const auto* a = std::get_if<protocol::ChatAck>(&message.body)) {
        applyChat(sid, c.sender->onAck(from, *a));
    } else if (const auto* t = std::get_if<protocol::Typing>(&message.body)) {
        if (blocked) return;
        Q_EMIT typing(sid, who->account, t->text);
        Q_EMIT typingState(sid, who->account, t->text, t->plain);
    } else if (const auto* hw = std::get_if<protocol::HighWater>(&message.body)) {
        onHighWater(sid, from, *hw);
    } else if (const auto* pull = std::get_if<protocol::ChatPull>(&message.body)) {
        answerPull(sid, from, *pull);
    }
}

// A message straight from its sender, or relayed by a member (a pull answer, or the SM's
// recent history for a joiner). Relayed ones must name the author the roster gives the
// sender, when the sender is a member.
void Node::onChatMessage(const SessionId& sid, const DeviceId& from, const ChatMessage& m)
{
    const session::Session* s = host_->session(sid);
    if (m.seq == 0) return;
    for (const auto* roster : {&s->accepted(), &s->committed()})
        if (auto sender = session::member(*roster, m.sender); sender && sender->account != m.author)
            return;
    if (m.sender == from && !session::member(s->accepted(), from) &&
        !session::member(s->committed(), from))
        return;
    // DESIGN §6: every copy is checked against its author, whoever relayed it; only valid
    // copies are stored, so the first copy wins only among valid ones.
    if (const auto verdict = chat::verifyChat(m, sid, linkKeys_);
        verdict != chat::ChatVerdict::Valid && verdict != chat::ChatVerdict::Stub) {
        Q_EMIT warning("a chat message from " + from.shortHex() + " (sender " +
                       m.sender.shortHex() + ") was dropped: " + chat::verdictText(verdict));
        return;
    }
    Chat& c = chatOf(sid);
    if (profile_.contacts.isBlocked(m.author)) {
        c.sync->record(m); // not kept, and not pulled again either
        return;
    }
    // A Lamport value far beyond our clock is refused, not adopted (nor stored: it would
    // come back on resume).
    if (!c.sender->observe(m.lamport)) {
        Q_EMIT warning("a chat message from " + from.shortHex() +
                       " was dropped: its Lamport clock is far beyond ours");
        return;
    }
    // Known = on disk or waiting for this turn's flush (below a joiner's floor is not known:
    // the SM's recent history for it lies there).
    auto existing = history_->range(account(), sid, m.sender, m.seq, m.seq);
    bool known = existing && !existing->isEmpty();
    for (const Stored& st : pendingStored_)
        known =
            known || (st.sid == sid && st.message.sender == m.sender && st.message.seq == m.seq);
    const bool gap = m.sender == from && m.seq > c.sync->highWater(m.sender) + 1;
    history_->add(account(), sid, m, now());
    pendingAcks_.append({sid, protocol::ChatAck{m.sender, m.seq}});
    pendingStored_.append({sid, m, !known, m.sender != from});
    if (!flushQueued_) {
        flushQueued_ = true;
        QTimer::singleShot(0, this, &Node::flushHistory);
    }
    // A hole in a sender's sequence: ask the others what they hold (§5.1 rule 8).
    if (gap && !known && c.sync->takeGapBroadcast(now())) broadcastHighWater(sid);
}

void Node::onHighWater(const SessionId& sid, const DeviceId& from, const protocol::HighWater& hw)
{
    const session::Session* s = host_->session(sid);
    Chat& c = chatOf(sid);
    // A joiner whose commit we have not applied yet is a newcomer already.
    if (!session::member(s->committed(), from)) c.sync->sawJoin(from, c.sender->lamport(), now());
    if (c.sync->onHighWater(from, hw, now()))
        sendOnLink(from, Message{headerFor(sid), c.sync->marksFor(from, now())});
    if (auto cut = c.sync->cutOf(from, now());
        cut && s->sm() == device() && options_.joinerHistory > 0 && c.sync->takeHistoryTurn(from))
        sendRecentHistory(sid, from, *cut);
    pull(sid);
}

// DESIGN §6: a joiner may receive recent history (the last N messages to everyone before it
// joined; side-chats never).
void Node::sendRecentHistory(const SessionId& sid, const DeviceId& to, std::uint64_t cut)
{
    const int n = std::clamp(options_.joinerHistory, 0, kMaxJoinerHistory);
    auto recent = history_->messagesBefore(account(), sid, cut + 1, DeviceId{}, 2 * n);
    if (!recent) return Q_EMIT warning("recent history for a joiner: " + recent.error());
    QList<ChatMessage> out;
    for (const auto& r : recent.value())
        if (r.message.recipients.isEmpty()) out.append(r.message);
    for (const ChatMessage& m : out.mid(std::max<qsizetype>(0, out.size() - n)))
        sendOnLink(to, Message{headerFor(sid), m});
}

void Node::answerPull(const SessionId& sid, const DeviceId& from, const protocol::ChatPull& p)
{
    if (p.fromSeq == 0 || p.toSeq < p.fromSeq) return;
    const std::uint64_t last = std::min(p.toSeq, p.fromSeq + kMaxPullAnswer - 1);
    auto held = history_->range(account(), sid, p.sender, p.fromSeq, last);
    if (!held) return;
    for (const ChatMessage& m : held.value())
        if (auto copy = chat::copyFor(m, from)) sendOnLink(from, Message{headerFor(sid), *copy});
}

void Node::pull(const SessionId& sid)
{
    const auto pulls = chatOf(sid).sync->plan(now());
    for (const auto& p : pulls)
        sendOnLink(p.from, Message{headerFor(sid), p.request});
    // A pull whose answer never completes (the peer left, its link dropped) is planned again
    // once ChatSync lets it go, even if nothing else happens in the session meanwhile.
    if (!pulls.isEmpty())
        QTimer::singleShot(int(ChatSync::kPullTimeoutMs) + 50, this, [this, sid] {
            const session::Session* s = host_->session(sid);
            if (s && s->phase() == session::Session::Phase::Member) pull(sid);
        });
}

void Node::sendHighWater(const SessionId& sid, const DeviceId& to)
{
    sendOnLink(to, Message{headerFor(sid), chatOf(sid).sync->marksFor(to, now())});
}

void Node::broadcastHighWater(const SessionId& sid)
{
    const session::Session* s = host_->session(sid);
    if (!s) return;
    for (const DeviceId& peer : othersIn(s->committed(), device()))
        sendHighWater(sid, peer);
}

// Once per event-loop turn: one transaction for everything received, then the acks (DESIGN
// §6: a recipient acknowledges only what is on disk).
void Node::flushHistory()
{
    flushQueued_ = false;
    if (history_->queued() == 0 && pendingAcks_.isEmpty()) return;
    auto flushed = history_->flush();
    if (!flushed) {
        Q_EMIT warning("the chat history could not be written: " + flushed.error());
        return; // no acks: the senders retry
    }
    const auto acks = std::exchange(pendingAcks_, {});
    for (const auto& [sid, ack] : acks)
        sendOnLink(ack.sender, Message{headerFor(sid), ack});
    // On disk now: shown (a joiner's history too is stored before it is shown), and counted
    // by anti-entropy; pulled messages may let the next pull go out.
    QSet<SessionId> progressed;
    for (const auto& st : std::exchange(pendingStored_, {})) {
        if (!host_->session(st.sid)) continue;
        chatOf(st.sid).sync->record(st.message);
        const bool forMe =
            st.message.recipients.isEmpty() || st.message.recipients.contains(device());
        if (st.isNew && forMe && !st.message.text.isEmpty())
            Q_EMIT chatReceived(st.sid, st.message);
        if (st.relayed) progressed.insert(st.sid);
    }
    for (const SessionId& sid : progressed)
        pull(sid);
}

Node::Chat& Node::chatOf(const SessionId& sid)
{
    auto& c = chats_[sid];
    if (!c) {
        c = std::make_unique<Chat>();
        c->sender = std::make_unique<chat::ChatSender>(device(), account());
        c->typing.setPlain(!liveTyping_);
        c->sync = std::make_unique<ChatSync>(device());
        // Who is already in (after a restart too): only later additions are newcomers.
        if (const session::Session* s = host_->session(sid))
            c->members = othersIn(s->committed(), device());
        if (auto stored = history_->messagesAfter(account(), sid, {}, kMaxSeededMessages))
            for (const ChatMessage& m : stored.value())
                c->sync->record(m);
        if (auto m = history_->ownMaxima(account(), sid, device()))
            c->sender->resume(m->lastSeq, m->maxLamport);
        for (const DeviceId& peer : host_->links())
            (void)c->sender->onLinkUp(peer, now());
        c->timer.setSingleShot(true);
        connect(&c->timer, &QTimer::timeout, this,
                [this, sid] { applyChat(sid, chatOf(sid).sender->onTick(now())); });
        c->typingTimer.setSingleShot(true);
        connect(&c->typingTimer, &QTimer::timeout, this,
                [this, sid] { sendTyping(sid, chatOf(sid).typing.onTick(now())); });
    }
    return *c;
}

void Node::applyChat(const SessionId& sid, const chat::ChatSender::Output& out)
{
    for (const auto& o : out.sends) {
        if (dropChatTo_.contains(o.to)) continue; // fault injection (tests), see sendOnLink
        if (!o.message.text.isEmpty()) ++chatSentTo_[o.to];
        sendOnLink(o.to, Message{headerFor(sid), o.message});
    }
    Chat& c = chatOf(sid);
    for (std::uint64_t seq : out.changed)
        if (auto r = c.sender->receipt(seq)) Q_EMIT receiptChanged(sid, seq, *r);
    armChatTimer(sid);
}

void Node::armChatTimer(const SessionId& sid)
{
    Chat& c = chatOf(sid);
    if (auto at = c.sender->nextDeadline())
        c.timer.start(int(std::clamp<session::Millis>(*at - now(), 0, 3600 * 1000)));
    else
        c.timer.stop();
}

} // namespace plenum::node

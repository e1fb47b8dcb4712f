// Node: lifecycle and profile — open/create, the parts made for a profile (makeHost,
// makeHandoff), start/stop of the DHT, mailbox and links, link admission, pairing as a new
// device, shutdown. The session core's commands and effects are in nodesession.cpp, the
// network's inputs and relayed signaling in nodelinks.cpp.
#include "node/node.h"

#include "chat/chatsignature.h"
#include "session/roster.h"

#include "identity/devicemailbox.h"
#include "identity/dhtnode.h"
#include "identity/dhtsignaling.h"
#include "identity/linktrust.h"
#include "identity/profilestore.h"
#include "net/linkmanager.h"
#include "node/guestpairing.h"
#include "protocol/deviceclass.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>

namespace plenum::node {

using protocol::Message;

namespace {

const QString kDeviceFile = QStringLiteral("device.json");

// The device class kept beside the keys (device-local: it is not synced by pairing).
std::optional<protocol::DeviceClass> storedClass(const QString& dir)
{
    QFile f(QDir(dir).filePath(kDeviceFile));
    if (!f.open(QIODevice::ReadOnly) || f.size() > 4096) return std::nullopt;
    return protocol::deviceClassFromName(
        QJsonDocument::fromJson(f.readAll()).object().value("class").toString());
}

Status storeClass(const QString& dir, protocol::DeviceClass c)
{
    QSaveFile f(QDir(dir).filePath(kDeviceFile));
    const QByteArray bytes =
        QJsonDocument(QJsonObject{{"class", protocol::deviceClassName(c)}}).toJson();
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    return Ok{};
}

} // namespace

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
    auto lock = ProfileLock::acquire(options.profileDir);
    if (!lock) return Error{lock.error()};
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
    return std::unique_ptr<Node>(new Node(resolved, std::move(lock.value()),
                                          std::move(profile.value()), std::move(history.value())));
}

Node::Node(NodeOptions options, ProfileLock lock, identity::Profile profile,
           std::unique_ptr<chat::HistoryStore> history)
    : options_(std::move(options)), lock_(std::move(lock)), profile_(std::move(profile)),
      history_(std::move(history)), records_(options_.profileDir + QStringLiteral("/sessions")),
      tickets_(&profile_.device.deviceKey()),
      relay_(SignalRelay::Hooks{[this](const SessionId& sid, const DeviceId& d) {
                                    session::Session* s = host_->session(sid);
                                    return s && s->knows(d);
                                },
                                [this](const DeviceId& d) { return linkIsUp(d); },
                                [this](const DeviceId& to, const Message& m) { sendOnLink(to, m); },
                                [this](const SessionId& sid) { return host_->headerFor(sid); },
                                [this](const DeviceId& d) { return linkChains_.value(d); }})
{
    deviceClass_ = options_.deviceClass.value_or(protocol::DeviceClass::Desktop);
    account_ = std::make_unique<NodeAccount>(profile_, options_.profileDir, deviceClass_);
    connect(account_.get(), &NodeAccount::blockedChanged, this, &Node::applyBlocks);
    connect(account_.get(), &NodeAccount::contactsChanged, this, &Node::contactsChanged);
    connect(account_.get(), &NodeAccount::presenceChanged, this, &Node::presenceChanged);
    connect(account_.get(), &NodeAccount::presenceChanged, this,
            [this](const AccountId& account, const QString&) { onInviterPresence(account); });
    connect(account_.get(), &NodeAccount::devicesChanged, this, &Node::devicesChanged);
    connect(account_.get(), &NodeAccount::liveSessionsChanged, this, &Node::liveSessionsChanged);
    connect(account_.get(), &NodeAccount::devicePaired, this, &Node::devicePaired);
    connect(account_.get(), &NodeAccount::pairingRefused, this, &Node::pairingRefused);
    connect(account_.get(), &NodeAccount::warning, this, &Node::warning);
    makeHost();
}

// The session core speaks for this profile's account and device: made again after pairing.
void Node::makeHost()
{
    tickets_.learn(profile_.device.id(), profile_.device.deviceCertificate().publicKeyDer());
    // Our own account, as a link would verify it (the SM checks a hand-off asker's account,
    // and an SM asking for its own seat has no link to itself).
    tickets_.learnAccount(profile_.device.id(), profile_.account.id());
    if (auto own = crypto::verifyChain(profile_.device.chain())) linkKeys_.learn(own.value());
    protocol::MemberInfo self;
    self.device = profile_.device.id();
    self.account = profile_.account.id();
    self.name = profile_.account.displayName();
    self.deviceClass = deviceClass_;
    session::SessionConfig config;
    config.pingsOnLinks = true; // the session header rides on link pings (pingHeaderFor)
    host_ = std::make_unique<session::SessionHost>(
        config, self, effects_, tickets_, [] { return QRandomGenerator::global()->generate64(); });
    applyBlocks();
    const bool liveTyping = !chat_ || chat_->liveTyping(); // kept across pairing
    chat_ = std::make_unique<NodeChat>(
        *host_, *history_, profile_.contacts, options_.joinerHistory,
        [this](const DeviceId& to, const Message& message) { sendOnLink(to, message); }, linkKeys_,
        [this](protocol::ChatMessage& m, const SessionId& sid) {
            chat::signChat(m, sid, profile_.device.linkKey()); // DESIGN §6
        });
    chat_->setLiveTyping(liveTyping);
    connect(chat_.get(), &NodeChat::chatReceived, this, &Node::chatReceived);
    connect(chat_.get(), &NodeChat::receiptChanged, this, &Node::receiptChanged);
    connect(chat_.get(), &NodeChat::typingState, this, &Node::typingState);
    connect(chat_.get(), &NodeChat::warning, this, &Node::warning);
    call_ = std::make_unique<NodeCall>(
        *host_, [this](const DeviceId& to, const Message& message) { sendOnLink(to, message); },
        [this](const DeviceId& peer) { return links_ ? links_->link(peer) : nullptr; });
    call_->setDeviceFactory(audioFactory_);
    call_->setEngineConfig(callConfig_);
    connect(call_.get(), &NodeCall::callChanged, this, &Node::callChanged);
    connect(call_.get(), &NodeCall::statsTick, this, &Node::callStatsTick);
    connect(call_.get(), &NodeCall::firstAudio, this, &Node::callAudio);
    connect(call_.get(), &NodeCall::warning, this, &Node::warning);
    browse_ = std::make_unique<NodeBrowse>(
        *host_, [this](const DeviceId& to, const Message& message) { sendOnLink(to, message); });
    connect(browse_.get(), &NodeBrowse::batonChanged, this, &Node::batonChanged);
    connect(browse_.get(), &NodeBrowse::navigated, this, &Node::navigated);
    connect(browse_.get(), &NodeBrowse::refused, this, &Node::batonRefused);
    makeHandoff();
}

void Node::makeHandoff()
{
    NodeHandoff::Deps deps{
        *host_,
        *history_,
        *chat_,
        linkKeys_,
        [this](const DeviceId& to, const Message& message) { sendOnLink(to, message); },
        [this](const DeviceId& peer) {
            net::ControlLink* link = links_ ? links_->link(peer) : nullptr;
            return link && link->state() == net::ControlLink::State::Up;
        },
        [this](const DeviceId& peer) {
            if (links_ && peer != device()) links_->connectTo(peer);
        },
        [this](const QByteArray& data) { return profile_.device.linkKey().sign(data); },
        [this] { runEffects(); },
        [this](const SessionId& sid) {
            protocol::CallState state;
            state.inCall = call_->activeCall() == sid;
            state.muted = state.inCall && call_->muted();
            state.deafened = state.inCall && call_->deafened();
            return state;
        },
        [this](const DeviceId& peer) -> std::optional<qint64> {
            if (!account_) return std::nullopt;
            return account_->onlineSince(account(), peer);
        },
        [this](const DeviceId& to, const QByteArray& body, std::function<void(Status)> done) {
            if (!mailbox_) return done(fail("the node is not connected yet"));
            if (failHandoffStores_ > 0) {
                --failHandoffStores_;
                return done(fail("no DHT node stored it (a test fault)"));
            }
            mailbox_->send(to, identity::RequestKind::HandoffNotice, body, std::move(done));
        },
        [this] { return profile_.device.chain().front().toDer(); },
        [this](const QList<crypto::Certificate>& chain) {
            return linkKeys_.learnChain(chain, profile_.account.revoked());
        },
        [this](const SessionId& sid, const QList<DeviceId>& members,
               const protocol::CallState& call, const DeviceId& replaces) {
            auto s = call_->joinStandby(sid, members, call, replaces);
            if (!s) Q_EMIT warning("the hand-off's call does not start on standby: " + s.error());
            return bool(s);
        },
        [this](const SessionId& sid) { call_->endStandby(sid); },
        [this](const SessionId& sid) { return call_->standbyReady(sid); },
        options_.profileDir + QStringLiteral("/handoffs.rec")};
    handoff_ = std::make_unique<NodeHandoff>(std::move(deps));
    connect(handoff_.get(), &NodeHandoff::stored, this, &Node::handoffStored);
    connect(handoff_.get(), &NodeHandoff::resumed, this, &Node::handoffResumed);
    connect(call_.get(), &NodeCall::standbyReadyChanged, handoff_.get(), &NodeHandoff::onCallReady);
    // "Continue here": this device's live sessions go into its presence.
    connect(handoff_.get(), &NodeHandoff::liveSessionsChanged, this,
            [this](const QList<identity::LiveSession>& sessions) {
                if (account_) account_->setLiveSessions(sessions);
            });
    connect(handoff_.get(), &NodeHandoff::offered, this, &Node::handoffOffered);
    connect(handoff_.get(), &NodeHandoff::warning, this, &Node::warning);
    connect(handoff_.get(), &NodeHandoff::failed, this, &Node::handoffFailed);
    connect(handoff_.get(), &NodeHandoff::done, this,
            [this](const SessionId& sid, const DeviceId& device, bool pushed,
                   const protocol::CallState& call) {
                if (pushed) {
                    // Out of the session (unless kept): its call and pages stop here.
                    const session::Session* s = host_->session(sid);
                    if (!s || s->phase() != session::Session::Phase::Member) {
                        call_->handOver(sid); // its stream drains while the members switch
                        browse_->onSessionGone(sid);
                        if (current_ == sid) current_.reset();
                    }
                } else {
                    current_ = sid;
                    // A1 was in the call: A2 takes its place (the others hear A2 from now);
                    // its standby streams (if any) become the call without a restart. Without
                    // a standby, A1's mute and deafen from the snapshot are taken here (a
                    // standby took them, and any change since, when it started).
                    if (call.inCall && !call_->activeCall()) {
                        if (!call_->onStandby(sid)) {
                            call_->setMuted(call.muted);
                            call_->setDeafened(call.deafened);
                        }
                        if (auto s = call_->join(sid); !s)
                            Q_EMIT warning("the hand-off could not join the call: " + s.error());
                    }
                }
                Q_EMIT handoffDone(sid, device, pushed);
            });
}

QList<DeviceId> Node::myOnlineDevices() const
{
    QList<DeviceId> out = account_->onlineDevicesOf(account());
    out.removeAll(device());
    return out;
}

Status Node::handoffPush(const SessionId& sid, const DeviceId& device, bool keep, qint64 ttlMs)
{
    if (!links_) return fail("the node is not started");
    bool mine = false;
    for (const auto& d : profile_.account.devices())
        mine = mine || d.id == device;
    if (!mine || profile_.account.revoked().contains(device))
        return fail("that device is not one of this account's");
    return handoff_->push(sid, device, keep, ttlMs);
}

Status Node::handoffPull(const SessionId& sid, bool keep)
{
    if (!links_) return fail("the node is not started");
    // Ask the device whose presence says it is live in the session; without one (its
    // presence not seen yet, or an older version), every online device of the account.
    QList<DeviceId> asked;
    for (const auto& live : account_->liveSessionsElsewhere())
        if (live.session.sid == sid && !asked.contains(live.device)) asked.append(live.device);
    return handoff_->pull(sid, asked.isEmpty() ? myOnlineDevices() : asked, keep);
}

Status Node::handoffAnswer(const SessionId& sid, bool accept)
{
    return handoff_->answer(sid, accept);
}

Status Node::handoffCancel(const SessionId& sid)
{
    return handoff_->cancel(sid);
}

void Node::setAudioDeviceFactory(NodeCall::DeviceFactory factory)
{
    audioFactory_ = std::move(factory);
    call_->setDeviceFactory(audioFactory_);
}

void Node::setCallConfig(const media::CallEngine::Config& config)
{
    callConfig_ = config;
    call_->setEngineConfig(config);
}

void Node::applyBlocks()
{
    host_->setBlocked(account_->blocked());
}

Node::~Node()
{
    // Links and the DHT are children; stop them before the host they call into goes away.
    delete guest_;
    guest_ = nullptr;
    call_.reset(); // its engine holds media streams on the links
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
        return fail("cannot join the network: " + s.error());
    return Ok{};
}

void Node::stopNetwork()
{
    delete links_;
    links_ = nullptr;
    if (account_) account_->detach();
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
    signaling_ = new SignalRouter(
        mailbox_,
        SignalRouter::Hooks{[this](const DeviceId& to) { return relayFor(to); },
                            [this](const DeviceId& d) { return linkIsUp(d); },
                            [this](const DeviceId& to, const Message& m) { sendOnLink(to, m); },
                            [this](const SessionId& sid) { return host_->headerFor(sid); }},
        this);
    connect(signaling_, &SignalRouter::warning, this, &Node::warning);
    mailbox_->start();

    auto credentials = identity::LinkTrust::credentialsOf(profile_.device);
    if (!credentials) return fail("cannot build the link credentials: " + credentials.error());
    net::ControlLinkConfig config;
    config.ice = options_.ice;
    config.mediaReceiveLoss = options_.mediaReceiveLoss;
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
        // [link, device, account]: the device certificate lets us seal relayed signals to it;
        // the chain is what we hand to devices that relay through us (issue 11) and to the
        // invitee of a member's referral (Invite::referral).
        if (peer && der.size() == 3) {
            if (auto device = crypto::Certificate::fromDer(der[1]); device && mailbox_)
                mailbox_->addKnownDevice(device.value());
            if (linkChains_.size() >= kMaxLinkChains && !linkChains_.contains(peer->device))
                linkChains_.erase(linkChains_.begin());
            linkChains_.insert(peer->device, der);
        }
        return peer;
    };
    links_ = new net::LinkManager(credentials.value(), tickets_.recording(verifier), signaling_,
                                  config, this);
    links_->setAcceptPolicy([this](const DeviceId& d) { return linkAdmission(d); });
    connect(links_, &net::LinkManager::offerRefused, this,
            [this](const DeviceId& d, const QString& why) {
                Q_EMIT warning("a link attempt from " + d.shortHex() + " was refused: " + why);
            });
    connect(links_, &net::LinkManager::linkCreated, this, [this](net::ControlLink* link) {
        link->setSessionActive(true);
        // One liveness ping per link: the session core's PINGs ride on the link's own.
        const DeviceId peer = link->peer();
        link->setPingHeaderProvider([this, peer] { return pingHeaderFor(peer); });
        connect(link, &net::ControlLink::pingReceived, this,
                [this, peer](const QByteArray& header) { onLinkPing(peer, header); });
    });
    // Direct: a link that reports from inside connectTo() or send() reaches the Node while it
    // carries out effects, after the session core returned (runEffects).
    connect(links_, &net::LinkManager::linkUp, this, &Node::onLinkUp);
    connect(links_, &net::LinkManager::linkDown, this,
            [this](const DeviceId& peer, const QString& reason) {
                Q_EMIT linkLost(peer, reason);
                onLinkDown(peer);
            });
    connect(links_, &net::LinkManager::message, this, &Node::onLinkMessage);
    account_->attach(dht_, mailbox_, links_);

    QStringList errors;
    const auto records = records_.readAll(&errors);
    for (const QString& e : errors)
        Q_EMIT warning("a session record was skipped: " + e);
    restoreShownReferrals();
    host_->restore(records, now());
    runEffects();
    handoff_->restore();
    for (const auto& r : records)
        if (!r.ended) {
            current_ = r.sid;
            chat_->restored(r.sid);
        }
    return Ok{};
}

net::LinkAdmission Node::linkAdmission(const DeviceId& d) const
{
    using net::LinkAdmission;
    for (const auto& own : profile_.account.devices())
        if (own.id == d) return LinkAdmission::Trusted;
    if (invitePeers_.contains(d) || formerMembers_.contains(d)) return LinkAdmission::Trusted;
    for (const SessionId& sid : host_->sessionIds())
        if (const session::Session* s = host_->session(sid))
            if (session::member(s->accepted(), d) || session::member(s->committed(), d))
                return LinkAdmission::Trusted;
    for (const auto& c : profile_.contacts.all())
        if (account_->devicesOf(c.account).contains(d))
            return profile_.contacts.isBlocked(c.account) ? LinkAdmission::Refused
                                                          : LinkAdmission::Trusted;
    return LinkAdmission::Stranger;
}

void Node::shutdown()
{
    if (call_->activeCall()) (void)call_->leave(); // the others see us go; the device stops
    for (const SessionId& sid : host_->sessionIds())
        if (const auto* s = host_->session(sid); s && s->phase() == session::Session::Phase::Member)
            host_->leave(sid, now());
    runEffects();
    chat_->flush();
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
    call_.reset(); // before the links it holds media streams on
    stopNetwork();
    handoff_.reset();
    chat_.reset();
    browse_.reset();
    timers_.clear();
    current_.reset();
    host_.reset();
    effects_.clear();
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

} // namespace plenum::node

#include "app/appcontroller.h"

#include "app/demopeers.h"
#include "app/notifier.h"
#include "app/qrimagereader.h"
#include "identity/plenumlink.h"
#include "identity/profilestore.h"
#include "net/iceservertext.h"
#include "node/node.h"
#ifdef PLENUM_HAVE_QT_MULTIMEDIA
#include "media/qtaudiodevice.h"
#endif

#include <QApplication>
#include <QDir>
#include <QImageReader>
#include <QMetaEnum>
#include <QSysInfo>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace plenum::ui {

namespace {

template <typename Id> std::optional<Id> idFrom(const QString& hex)
{
    return Id::fromHex(QStringView(hex).trimmed());
}

// A name as an invitation shows it (issue 13): the name the account is known by here
// (contact entry, else its signed record) and, for a stranger, its short id; never a name an
// INVITE claims. With no name known yet, the verified account's short id only.
QString knownName(const QString& name, node::NodeAccount::NameSource source, const QString& id)
{
    using Source = node::NodeAccount::NameSource;
    switch (source) {
    case Source::Contact:
        return name;
    case Source::Signed:
        return AppController::tr("%1 (%2, not a contact)").arg(name, id);
    case Source::None:
        break;
    }
    return AppController::tr("%1 (name not verified)").arg(id);
}

QString inviterText(const node::Inviter& who)
{
    const QString id = who.account.isNull() ? who.device.shortHex() : who.account.shortHex();
    return knownName(who.name, who.source, id);
}

// The member that asked the inviter, when its own signed referral verified; empty for the
// inviter's own invitation.
QString referrerText(const node::Inviter& who)
{
    if (!who.referredBy) return {};
    const QString id =
        who.referrerAccount ? who.referrerAccount->shortHex() : who.referredBy->shortHex();
    return knownName(who.referrerName, who.referrerSource, id);
}

QString localPath(const QString& pathOrUrl)
{
    if (pathOrUrl.startsWith(QLatin1String("file:"))) return QUrl(pathOrUrl).toLocalFile();
    return pathOrUrl;
}

} // namespace

AppController::AppController(Options options, AppSettings* settings, Notifier* notifier,
                             QObject* parent)
    : QObject(parent), options_(std::move(options)), settings_(settings), notifier_(notifier)
{
    toastTimer_.setSingleShot(true);
    connect(&toastTimer_, &QTimer::timeout, this, [this] {
        toast_.clear();
        Q_EMIT toastChanged();
    });
    connect(settings_, &AppSettings::liveTypingChanged, this, [this](bool on) {
        if (node_) node_->setLiveTyping(on);
    });
    // The lock rule, off by default: the desktop locks -> offer the open conversation to my
    // phone (the phone shows "Continue here?").
    connect(&screenLock_, &ScreenLockWatcher::locked, this, [this] {
        if (settings_->handoffOnLock()) handoff_.offerToPhone();
    });
    screenLock_.start();
    // The devices the person picked last time; a pick is saved at once.
    microphones_.setPreferredId(settings_->microphone());
    speakers_.setPreferredId(settings_->speaker());
    connect(&microphones_, &AudioDeviceModel::preferredChanged, settings_,
            &AppSettings::setMicrophone);
    connect(&speakers_, &AudioDeviceModel::preferredChanged, settings_, &AppSettings::setSpeaker);
    connect(&browse_, &CoBrowseState::blockedSitesChanged, settings_,
            &AppSettings::setBlockedSites);
#ifdef PLENUM_HAVE_QT_MULTIMEDIA
    // A device chosen mid-call replaces the running one at once (the next call uses it too),
    // on the call's audio thread where the device lives.
    connect(&microphones_, &AudioDeviceModel::deviceChanged, this, [this] {
        if (auto* d =
                node_ ? qobject_cast<media::QtAudioDevice*>(node_->callAudioDevice()) : nullptr)
            QMetaObject::invokeMethod(
                d, [d, id = microphones_.currentId()] { d->setInputDevice(id); });
    });
    connect(&speakers_, &AudioDeviceModel::deviceChanged, this, [this] {
        if (auto* d =
                node_ ? qobject_cast<media::QtAudioDevice*>(node_->callAudioDevice()) : nullptr)
            QMetaObject::invokeMethod(d,
                                      [d, id = speakers_.currentId()] { d->setOutputDevice(id); });
    });
#endif
}

AppController::~AppController()
{
    attachNode(nullptr);
    if (node_ && !quitting_) node_->shutdown();
    node_.reset();
    if (demo_) demo_->stop();
}

// ---- start-up ----

void AppController::start()
{
    if (options_.demo) {
        startDemo();
        return;
    }
    if (profileExists()) {
        openNode();
        return;
    }
    setProgress(-1, QString());
    setPhase(Phase::FirstStart);
}

bool AppController::profileExists() const
{
    return identity::ProfileStore(options_.profileDir).hasIdentity();
}

void AppController::retryOpen()
{
    if (phase_ != Phase::Error || options_.demo || !profileExists()) return;
    if (node_) {
        // It opened but could not start (its DHT port, the network): a fresh one starts over.
        // Only from the window, never inside one of the Node's signals.
        attachNode(nullptr);
        node_.reset();
    }
    setError(QString());
    openNode();
}

void AppController::startDemo()
{
    demo_ = new DemoPeers(this);
    connect(demo_, &DemoPeers::progress, this, [this](const QString& text) {
        if (phase_ != Phase::Ready) setProgress(-1, text);
    });
    connect(demo_, &DemoPeers::failed, this, [this](const QString& reason) {
        if (quitting_) return;
        if (phase_ == Phase::Ready) {
            showToast(reason);
            return;
        }
        setError(reason);
        setPhase(Phase::Error);
    });
    connect(demo_, &DemoPeers::bootstrapReady, this, [this](const QString& bootstrap, quint32 id) {
        demoBootstrap_ = bootstrap;
        demoNetworkId_ = id;
        if (profileExists())
            openNode();
        else
            makeProfile(tr("You"), [this] { openNode(); });
    });
    connect(demo_, &DemoPeers::groupReady, this, [this](const QString& sid) {
        demoSid_ = idFrom<SessionId>(sid);
        checkDemoReady();
    });
    setPhase(Phase::Starting);
    if (auto s = demo_->start(); !s) {
        setError(s.error());
        setPhase(Phase::Error);
        return;
    }
    // The demo profile lives in the demo's temporary directory: removed on quit.
    options_.profileDir = demo_->directory() + QStringLiteral("/You");
}

void AppController::makeProfile(const QString& name, std::function<void()> then)
{
    setPhase(Phase::CreatingAccount);
    setProgress(-1, tr("Making your keys…"));
    keygen_ = new QFutureWatcher<QString>(this);
    connect(keygen_, &QFutureWatcher<QString>::finished, this, [this, then] {
        const QString error = keygen_->result();
        keygen_->deleteLater();
        keygen_ = nullptr;
        if (quitting_) return;
        if (!error.isEmpty()) {
            setError(tr("Your account could not be created: %1. Check that %2 can be written, "
                        "then try again.")
                         .arg(error, options_.profileDir));
            setPhase(options_.demo ? Phase::Error : Phase::FirstStart);
            return;
        }
        then();
    });
    const QString dir = options_.profileDir;
    const protocol::DeviceClass deviceClass = options_.deviceClass;
    // RSA keygen takes seconds: off the GUI thread. createProfile touches no QObject.
    keygen_->setFuture(QtConcurrent::run([dir, name, deviceClass] {
        auto r = node::Node::createProfile(dir, name, deviceClass);
        return r ? QString() : r.error();
    }));
}

node::NodeOptions AppController::nodeOptions() const
{
    node::NodeOptions o;
    o.profileDir = options_.profileDir;
    o.deviceClass = options_.deviceClass;
    if (options_.dht) {
        o.dht = *options_.dht;
    } else if (options_.demo) {
        // DESIGN §2: the demo is a private world on loopback.
        o.dht = identity::DhtConfig::isolated({demoBootstrap_}, demoNetworkId_);
    } else {
        o.dht = identity::DhtConfig::forUser();
        o.dht.lanDiscovery = settings_->lanDiscovery();
        o.dht.bootstrap.append(settings_->bootstrapNodes());
    }
    if (options_.demo || options_.loopbackIce) {
        o.ice.allowLoopback = true;
        o.ice.localAddresses = {QStringLiteral("127.0.0.1")};
        return o;
    }
    // Literal addresses only: the app never resolves names for STUN/TURN (core/net).
    if (auto stun = net::parseStunServer(settings_->stunServer())) o.ice.stun.append(*stun);
    if (auto turn = net::parseTurnServer(settings_->turnServer())) o.ice.turn.append(*turn);
    return o;
}

void AppController::openNode(const QString& pairCode)
{
    setPhase(Phase::Connecting);
    setProgress(0.6, tr("Connecting to the network…"));
    node::NodeOptions o = nodeOptions();
    o.pairCode = pairCode;
    auto opened = node::Node::open(o);
    if (!opened && !pairCode.isEmpty()) {
        abandonLinking(opened.error());
        return;
    }
    if (!opened) {
        setError(tr("Your profile could not be opened: %1").arg(opened.error()));
        setPhase(Phase::Error);
        return;
    }
    node_ = std::move(opened.value());
    attachNode(node_.get());
    if (auto s = node_->start(); !s) {
        if (!pairCode.isEmpty()) {
            abandonLinking(s.error());
            return;
        }
        setError(tr("Plenum could not connect: %1. Check the network settings, then try again.")
                     .arg(s.error()));
        setPhase(Phase::Error);
        return;
    }
    if (pairCode.isEmpty()) {
        onNodeReady();
        return;
    }
    setPhase(Phase::Linking);
    setProgress(-1, tr("Linking with your other device…"));
}

// The Node's signals reach this controller, then the models (they show `n`); nullptr: nothing
// is shown (before the Node goes).
void AppController::attachNode(node::Node* n)
{
    if (!n) {
        roster_.setSession(nullptr, {});
        call_.setSession(nullptr, {});
        browse_.setSession(std::nullopt);
        browse_.setNode(nullptr);
        conversation_.setSession(nullptr, {});
        contacts_.setNode(nullptr);
        sessions_.setNode(nullptr);
        devices_.setNode(nullptr);
        handoff_.setNode(nullptr);
        return;
    }
    connect(n, &node::Node::invited, this, &AppController::onInvited);
    connect(n, &node::Node::inviterNamed, this, &AppController::onInviterNamed);
    connect(n, &node::Node::chatReceived, this, &AppController::onChat);
    connect(n, &node::Node::rosterChanged, this, &AppController::onRoster);
    connect(n, &node::Node::callChanged, this, &AppController::onCallChanged);
#ifdef PLENUM_HAVE_QT_MULTIMEDIA
    // The system's default microphone and speaker, following it as it changes.
    // The picked microphone and speaker; "System default" follows the system as it changes.
    n->setAudioDeviceFactory([this] {
        auto device = std::make_unique<media::QtAudioDevice>();
        device->setInputDevice(microphones_.currentId());
        device->setOutputDevice(speakers_.currentId());
        return device;
    });
#endif
    connect(n, &node::Node::inviteResult, this,
            [this](const SessionId&, const AccountId& account, const DeviceId&, int code,
                   const QString& reason) {
                const QString text = inviteResultText(code, node_->nameOf(account), reason);
                if (!text.isEmpty()) showToast(text);
            });
    connect(n, &node::Node::joinFailed, this,
            [this](const SessionId& sid, int code, const QString& reason) {
                invitations_.remove(sid);
                if (openWhenJoined_ == sid) openWhenJoined_.reset();
                showToast(joinFailedText(code, reason));
            });
    connect(n, &node::Node::left, this, [this](const SessionId& sid) {
        if (current_ == sid) closeCurrent();
    });
    connect(n, &node::Node::removed, this, [this](const SessionId& sid, bool rejoining) {
        if (current_ != sid) return;
        if (rejoining) return showToast(tr("Connection lost — rejoining…")); // until a roster
        closeCurrent();
        showToast(tr("You are no longer in that group."));
    });
    connect(n, &node::Node::notice, this, [this](const SessionId& sid, const QString& text) {
        if (current_ == sid) showToast(text);
    });
    connect(n, &node::Node::warning, this,
            [](const QString& text) { qWarning("plenum: %s", qPrintable(text)); });
    connect(n, &node::Node::devicePaired, this, [this](const DeviceId&, const QString& name) {
        showToast(tr("%1 is now linked to your account").arg(name));
    });
    connect(n, &node::Node::pairingRefused, this,
            [this](const QString& reason) { showToast(tr("Pairing refused: %1").arg(reason)); });
    connect(n, &node::Node::paired, this, [this](const AccountId&) { onNodeReady(); });
    connect(n, &node::Node::pairingFailed, this, &AppController::abandonLinking);
    contacts_.setNode(n);
    handoff_.setNode(n);
    browse_.setNode(n);
    browse_.setBlockedSites(settings_->blockedSites());
    sessions_.setNode(n);
    devices_.setNode(n);
}

void AppController::abandonLinking(const QString& reason)
{
    // The half-made profile of this device is useless: start over from first start.
    attachNode(nullptr);
    const QString dir = options_.profileDir;
    if (node_) {
        // Later: this may run inside one of the Node's own signals. The profile goes now (the
        // app may quit first) and again once the Node is gone, with whatever it wrote on its
        // way out.
        node::Node* n = node_.release();
        connect(n, &QObject::destroyed, [dir] { QDir(dir).removeRecursively(); });
        n->deleteLater();
    }
    QDir(dir).removeRecursively();
    setError(tr("This device could not be linked: %1. Make a new code on your other device "
                "and try again.")
                 .arg(reason));
    setProgress(-1, QString());
    setPhase(Phase::FirstStart);
}

void AppController::onNodeReady()
{
    node_->setLiveTyping(settings_->liveTyping());
    myPresence_ = node_->myPresence();
    Q_EMIT myPresenceChanged();
    if (QFile::exists(avatarPath())) myAvatar_ = QUrl::fromLocalFile(avatarPath()).toString();
    roster_.setMyAvatar(myAvatar_);
    contacts_.refresh();
    sessions_.refresh();
    devices_.refresh();
    setProgress(1, QString());
    setError(QString());
    Q_EMIT identityChanged();
    setPhase(Phase::Ready);
    if (demo_) {
        demo_->setUser(myAccount(), myDevice());
        return;
    }
    const QString last = settings_->lastSession();
    if (auto sid = idFrom<SessionId>(last); sid && node_->sessions().contains(*sid))
        openSession(last);
}

// ---- first start ----

void AppController::createAccount(const QString& name, const QString& avatarPath)
{
    const QString clean = name.trimmed();
    if (clean.isEmpty()) {
        setError(tr("Type the name others will see, then try again."));
        return;
    }
    if (phase_ != Phase::FirstStart || keygen_) return;
    setError(QString());
    makeProfile(clean, [this, avatarPath] {
        openNode();
        if (node_ && !avatarPath.isEmpty()) setMyAvatar(avatarPath);
    });
}

void AppController::linkDevice(const QString& code)
{
    const QString clean = code.trimmed();
    if (clean.isEmpty()) {
        setError(tr("Type the pairing code your other device shows, then try again."));
        return;
    }
    if (phase_ != Phase::FirstStart || keygen_) return;
    setError(QString());
    // This device needs its own device key before it can ask to join the account.
    makeProfile(QSysInfo::machineHostName(), [this, clean] { openNode(clean); });
}

QString AppController::linkDeviceFromImage(const QString& path)
{
    auto text = QrImageReader::readFile(localPath(path));
    if (!text) {
        setError(text.error());
        return text.error();
    }
    linkDevice(text.value());
    return {};
}

// ---- contacts ----

QString AppController::addContact(const QString& linkOrAccountHex)
{
    if (!node_) return tr("Plenum is not connected yet.");
    const QString text = linkOrAccountHex.trimmed();
    std::optional<AccountId> account;
    if (text.startsWith(QLatin1String("plenum:"))) {
        auto link = identity::PlenumLink::parse(text);
        if (!link) return tr("That link is not a Plenum contact link: %1").arg(link.error());
        account = link->account;
    } else {
        account = idFrom<AccountId>(text);
        if (!account) return tr("Paste a plenum: link or an account id (64 hexadecimal digits).");
    }
    if (auto s = node_->addContact(*account); !s) return s.error();
    contacts_.refresh();
    return {};
}

void AppController::setBlocked(const QString& account, bool blocked)
{
    auto id = idFrom<AccountId>(account);
    if (!node_ || !id) return;
    if (auto s = node_->setBlocked(*id, blocked); !s) showToast(s.error());
    contacts_.refresh();
}

// ---- sessions ----

QString AppController::currentSession() const
{
    return current_ ? current_->toHex() : QString();
}

QString AppController::startGroup()
{
    if (!node_) return {};
    const SessionId sid =
        node_->create(std::uint32_t(settings_->defaultCapacity()), settings_->defaultInviteOnly());
    sessions_.refresh();
    openSession(sid.toHex());
    return sid.toHex();
}

void AppController::openSession(const QString& sidHex)
{
    auto sid = idFrom<SessionId>(sidHex);
    if (!node_ || !sid) return;
    current_ = *sid;
    roster_.setSession(node_.get(), *sid);
    call_.setSession(node_.get(), *sid);
    browse_.setSession(*sid);
    conversation_.setSession(node_.get(), *sid);
    sessions_.setCurrent(*sid);
    settings_->setLastSession(sid->toHex());
    Q_EMIT currentSessionChanged();
    Q_EMIT sessionOpened(sid->toHex());
}

HandoffController::Hooks AppController::handoffHooks()
{
    return {[this] { return current_; }, [this](const QString& text) { showToast(text); },
            [this](const SessionId& sid) { openSession(sid.toHex()); },
            [this](const SessionId& sid) {
                if (current_ == sid) closeCurrent();
            },
            [this](const QString& title, const QString& body) { notifyUser(title, body); }};
}

void AppController::closeCurrent()
{
    current_.reset();
    roster_.setSession(nullptr, {});
    call_.setSession(nullptr, {});
    browse_.setSession(std::nullopt);
    conversation_.setSession(nullptr, {});
    sessions_.setCurrent({});
    sessions_.refresh();
    settings_->setLastSession(QString());
    Q_EMIT currentSessionChanged();
}

void AppController::invite(const QString& accountHex)
{
    auto account = idFrom<AccountId>(accountHex);
    if (!node_ || !current_ || !account) return;
    const QString name = node_->nameOf(*account);
    // Before the call: a refusal (486, 503) can come back synchronously from inside invite().
    roster_.beginInvite(*account, name);
    if (auto s = node_->invite(*current_, *account, {}); !s) {
        roster_.endInvite(*account);
        showToast(inviteResultText(s.code, name, s.reason));
    }
}

void AppController::acceptInvitation(const QString& sidHex)
{
    auto sid = idFrom<SessionId>(sidHex);
    if (!node_ || !sid) return;
    invitations_.remove(*sid);
    if (auto s = node_->accept(*sid); !s) {
        showToast(s.error());
        return;
    }
    openWhenJoined_ = *sid;
}

void AppController::declineInvitation(const QString& sidHex)
{
    auto sid = idFrom<SessionId>(sidHex);
    if (!node_ || !sid) return;
    invitations_.remove(*sid);
    if (auto s = node_->decline(*sid); !s) showToast(s.error());
}

void AppController::leaveSession()
{
    if (!node_ || !current_) return;
    if (auto s = node_->leave(*current_); !s) showToast(s.error());
    closeCurrent();
}

void AppController::onInvited(const SessionId& sid, const node::Inviter& who)
{
    // --demo: Alice's invitation is the demo itself; take it at once.
    if (demo_ && who.device.toHex() == demo_->aliceDevice()) {
        acceptInvitation(sid.toHex());
        return;
    }
    const QString name = inviterText(who);
    const QString referrer = referrerText(who);
    invitations_.add(sid, who.device, name, who.account, InvitationsModel::Kind::Invitation,
                     referrer);
    notifyUser(tr("Invitation"),
               referrer.isEmpty()
                   ? tr("%1 invites you to a group").arg(name)
                   : tr("%1 invites you to a group; %2 asked for it").arg(name, referrer));
}

void AppController::onInviterNamed(const SessionId& sid, const node::Inviter& who)
{
    // The account's signed record arrived after the invitation was shown: name it now.
    if (invitations_.contains(sid))
        invitations_.add(sid, who.device, inviterText(who), who.account,
                         InvitationsModel::Kind::Invitation, referrerText(who));
}

// --demo is ready when the peers see the user in the group and this device has committed it.
void AppController::checkDemoReady()
{
    if (!demoSid_ || !node_ || demoReadySent_) return;
    const auto roster = node_->roster(*demoSid_);
    const bool joined = roster && roster->members.size() >= 4 &&
                        std::any_of(roster->members.begin(), roster->members.end(),
                                    [&](const auto& m) { return m.device == node_->device(); });
    if (!joined) return;
    demoReadySent_ = true;
    if (current_ != demoSid_) openSession(demoSid_->toHex());
    // The demo peers become contacts, so the contacts pane shows presence and devices.
    for (const QString& account : demo_->accounts())
        if (auto id = idFrom<AccountId>(account)) (void)node_->addContact(*id);
    contacts_.refresh();
    Q_EMIT demoReady(demoSid_->toHex());
}

void AppController::onRoster(const SessionId& sid, const protocol::RosterSnapshot& roster)
{
    if (demoSid_ == sid) checkDemoReady();
    if (openWhenJoined_ != sid) return;
    const bool joined = std::any_of(roster.members.begin(), roster.members.end(),
                                    [&](const auto& m) { return m.device == node_->device(); });
    if (!joined) return;
    openWhenJoined_.reset();
    openSession(sid.toHex());
}

// ---- chat ----

void AppController::send(const QString& text, const QStringList& toAccounts)
{
    if (!node_ || !current_ || text.trimmed().isEmpty()) return;
    QList<AccountId> to;
    for (const QString& a : toAccounts)
        if (auto id = idFrom<AccountId>(a)) to.append(*id);
    auto seq = node_->say(*current_, text, to);
    if (!seq) {
        showToast(seq.error());
        return;
    }
    conversation_.addOwn(seq.value());
    sessions_.noteOwnMessage(*current_, text);
}

void AppController::setTyping(const QString& text)
{
    if (node_ && current_) (void)node_->type(*current_, text);
}

void AppController::retry(const QString& messageId)
{
    const auto seq = conversation_.ownSeqOf(messageId);
    if (!node_ || !current_ || !seq) return;
    if (auto s = node_->retry(*current_, *seq); !s) showToast(s.error());
}

void AppController::loadOlder()
{
    conversation_.loadOlder();
}

void AppController::onChat(const SessionId& sid, const protocol::ChatMessage& m)
{
    if (windowActive_ && current_ == sid) return;
    const QString name = node_->nameOf(m.author);
    notifyUser(m.recipients.isEmpty() ? name : tr("%1 (private)").arg(name), m.text);
}

void AppController::joinCall()
{
    if (!node_ || !current_) return;
    if (auto s = node_->joinCall(*current_); !s)
        showToast(tr("You could not join the call: %1").arg(s.error()));
}

void AppController::leaveCall()
{
    if (node_ && node_->activeCall()) (void)node_->leaveCall();
}

void AppController::setMuted(bool muted)
{
    if (node_) node_->setMuted(muted);
}

void AppController::setDeafened(bool deafened)
{
    if (node_) node_->setDeafened(deafened);
}

// An incoming call: someone started the call of a session this device is in but not its call.
void AppController::onCallChanged(const SessionId& sid)
{
    if (!node_) return;
    const auto members = node_->callMembers(sid);
    int others = 0;
    QString who;
    for (const auto& m : members)
        if (!m.self) {
            ++others;
            if (who.isEmpty()) who = m.name;
        }
    const int before = callSizes_.value(sid, 0);
    callSizes_.insert(sid, others);
    if (before > 0 || others == 0 || node_->activeCall() == sid) return;
    const QString text = tr("%1 started a call").arg(who);
    if (current_ == sid) showToast(text);
    notifyUser(tr("Call"), text);
}

void AppController::notifyUser(const QString& title, const QString& body)
{
    if (windowActive_) return;
    Q_EMIT notify(title, body);
    if (settings_->doNotDisturb()) return;
    if (notifier_) notifier_->show(title, body);
    // QApplication::beep needs a GUI application; tests run with QCoreApplication.
    if (settings_->soundEnabled() && qobject_cast<QApplication*>(QCoreApplication::instance()))
        QApplication::beep();
}

// ---- devices and me ----

QString AppController::newPairingCode()
{
    if (!node_) return {};
    auto code = node_->newPairingCode();
    if (!code) {
        showToast(tr("No pairing code could be made: %1").arg(code.error()));
        return {};
    }
    return code.value();
}

void AppController::revokeDevice(const QString& deviceHex)
{
    auto device = idFrom<DeviceId>(deviceHex);
    if (!node_ || !device) return;
    if (*device == node_->device()) {
        showToast(tr("This device cannot revoke itself; revoke it from another device."));
        return;
    }
    if (auto s = node_->revokeDevice(*device); !s) showToast(s.error());
    devices_.refresh();
}

void AppController::setPresence(const QString& status)
{
    static const QStringList allowed{QStringLiteral("online"), QStringLiteral("away"),
                                     QStringLiteral("busy")};
    if (!node_ || !allowed.contains(status) || status == myPresence_) return;
    if (auto s = node_->setPresence(status); !s) {
        showToast(s.error());
        return;
    }
    myPresence_ = status;
    Q_EMIT myPresenceChanged();
}

void AppController::setMyName(const QString& name)
{
    if (!node_) return;
    if (auto s = node_->setDisplayName(name.trimmed()); !s) {
        showToast(s.error());
        return;
    }
    Q_EMIT identityChanged();
}

QString AppController::avatarPath() const
{
    return options_.profileDir + QStringLiteral("/avatar.png");
}

void AppController::setMyAvatar(const QString& path)
{
    QImageReader reader(localPath(path));
    reader.setAllocationLimit(128); // MB: an untrusted file cannot make us allocate more
    const QImage image = reader.read();
    if (image.isNull()) {
        showToast(tr("That picture could not be read: %1").arg(reader.errorString()));
        return;
    }
    // Kept on this device as a small square PNG; the Node has no avatar API to publish it yet.
    const int side = std::min(image.width(), image.height());
    const QImage square =
        image.copy((image.width() - side) / 2, (image.height() - side) / 2, side, side)
            .scaled(256, 256, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (!square.save(avatarPath(), "PNG")) {
        showToast(tr("The picture could not be saved in %1.").arg(options_.profileDir));
        return;
    }
    myAvatar_ = QUrl::fromLocalFile(avatarPath()).toString();
    roster_.setMyAvatar(myAvatar_);
    Q_EMIT identityChanged();
}

QString AppController::myName() const
{
    return node_ ? node_->name() : QString();
}

QString AppController::myAccount() const
{
    return node_ ? node_->account().toHex() : QString();
}

QString AppController::myDevice() const
{
    return node_ ? node_->device().toHex() : QString();
}

QString AppController::myLink() const
{
    return node_ ? identity::PlenumLink{node_->account(), node_->name()}.toString() : QString();
}

// ---- quitting ----

void AppController::quit()
{
    if (quitting_) return;
    quitting_ = true;
    if (node_) node_->shutdown();
    // Give the BYEs a moment on the wire before the links close (as plenum-peer does).
    QTimer::singleShot(node_ ? 200 : 0, this, [this] {
        attachNode(nullptr);
        node_.reset();
        if (demo_) demo_->stop();
        Q_EMIT finished();
    });
}

// ---- small state ----

QString AppController::inviteResultText(int code, const QString& name, const QString& reason)
{
    switch (protocol::Code(code)) {
    case protocol::Code::Ok:
    case protocol::Code::Accepted:
        return {};
    case protocol::Code::Declined:
        return tr("%1 declined").arg(name);
    case protocol::Code::Offline:
        return tr("%1 is offline").arg(name);
    case protocol::Code::Full:
        return tr("The group is full");
    case protocol::Code::AlreadyHere:
        return tr("%1 is already here").arg(name);
    case protocol::Code::Timeout:
        return tr("%1 did not answer").arg(name);
    case protocol::Code::Forbidden:
        return tr("%1 may not join this group").arg(name);
    case protocol::Code::OneToOneOnly:
        return tr("%1's app can only do one-to-one chats").arg(name);
    case protocol::Code::SessionNotKnown:
    case protocol::Code::NotFound:
        return tr("The group no longer exists");
    }
    return reason.isEmpty() ? tr("%1 could not be invited").arg(name) : reason;
}

QString AppController::joinFailedText(int code, const QString& reason)
{
    switch (protocol::Code(code)) {
    case protocol::Code::Full:
        return tr("You could not join: the group is full");
    case protocol::Code::Forbidden:
        return tr("You could not join: you may not join this group");
    case protocol::Code::SessionNotKnown:
    case protocol::Code::NotFound:
        return tr("You could not join: the group no longer exists");
    case protocol::Code::OneToOneOnly:
        return tr("You could not join: the group takes one-to-one chats only");
    case protocol::Code::AlreadyHere:
        return tr("You are already in that group");
    case protocol::Code::Ok:
    case protocol::Code::Accepted:
    case protocol::Code::Timeout: // the reason names who did not answer
    case protocol::Code::Offline:
    case protocol::Code::Declined:
        break;
    }
    return tr("You could not join the group: %1").arg(reason);
}

QString AppController::phase() const
{
    // The enum's name with a lower-case first letter: "firstStart", "ready" (docs/ui.md).
    QString name = QString::fromLatin1(QMetaEnum::fromType<Phase>().valueToKey(int(phase_)));
    if (!name.isEmpty()) name[0] = name[0].toLower();
    return name;
}

void AppController::setPhase(Phase phase)
{
    if (phase == phase_) return;
    phase_ = phase;
    Q_EMIT phaseChanged();
}

void AppController::setProgress(double progress, const QString& text)
{
    if (progress == progress_ && text == progressText_) return;
    progress_ = progress;
    progressText_ = text;
    Q_EMIT progressChanged();
}

void AppController::setError(const QString& text)
{
    if (text == errorText_) return;
    errorText_ = text;
    Q_EMIT errorTextChanged();
}

void AppController::showToast(const QString& text)
{
    toast_ = text;
    Q_EMIT toastChanged();
    toastTimer_.start(kToastMs);
}

} // namespace plenum::ui

#pragma once
// One device (DESIGN §6, §10): the session core (SessionHost) over real control links, the
// DHT for first contact (DeviceMailbox) and ICE signaling (DhtSignaling). Its parts:
// - the session core's effects are queued (SessionEffects) and carried out here, in order,
//   after each call into it returned: results are Qt signals, and a handler may call the
//   Node again;
// - chat with durable history is NodeChat (a message is acknowledged only once flushed);
// - contacts, presence, the account's devices and pairing codes are NodeAccount.
// The Node owns the profile, the lifecycle (start, pairing as a new device, shutdown) and the
// routing between the network and those parts. Everything runs on the Qt thread that owns it.

#include "identity/profile.h"
#include "node/inviter.h"
#include "node/linkticketauthority.h"
#include "node/nodeaccount.h"
#include "node/nodebrowse.h"
#include "node/nodecall.h"
#include "node/nodechat.h"
#include "node/nodehandoff.h"
#include "node/nodeoptions.h"
#include "node/profilelock.h"
#include "node/sessioneffects.h"
#include "node/sessionrecordfile.h"
#include "node/shownreferrals.h"
#include "node/signalrelay.h"
#include "node/signalrouter.h"
#include "session/sessionhost.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <map>
#include <memory>

namespace plenum::identity {
class DhtNode;
class DeviceMailbox;
class DhtSignaling;
struct OpenedEnvelope;
} // namespace plenum::identity
namespace plenum::net {
class LinkManager;
enum class LinkAdmission;
} // namespace plenum::net

namespace plenum::node {

class GuestPairing;

// What a command answers at once: ok, or a refusal with its status code (protocol::Code: 404
// no such session, 480 offline …; 0 when no code fits, then the reason says it all) and the
// reason. The GUI puts the code in words (AppController::inviteResultText).
struct CodedStatus {
    int code = int(protocol::Code::Ok);
    QString reason;
    bool ok() const { return code == int(protocol::Code::Ok); }
    explicit operator bool() const { return ok(); }
    const QString& error() const { return reason; }
};

class Node : public QObject, private session::Outbox {
    Q_OBJECT
public:
    // Inviting an account whose presence is not known yet waits this long for it.
    static constexpr int kPresenceWaitMs = 5000;
    static constexpr int kPresencePollMs = 100;

    // ---- lifecycle ----
    // Loads the profile in options.profileDir (or creates one named options.name there).
    static Result<std::unique_ptr<Node>> open(const NodeOptions& options);
    // Makes a new account and device in `dir` (RSA keys: seconds on a slow machine) and
    // remembers the device class there. Touches no QObject: safe on a worker thread, so a
    // GUI can show progress; `open` then loads it. Refused if `dir` already holds a profile.
    static Result<identity::Profile> createProfile(const QString& dir, const QString& name,
                                                   protocol::DeviceClass deviceClass);
    ~Node() override;
    // Starts the DHT, the mailbox and the links, and restores sessions kept on disk. With
    // options.pairCode set it starts only the DHT and pairs first (paired/pairingFailed);
    // the rest starts with the paired identity, or with the fresh one if pairing failed.
    Status start();
    // Leaves nothing half-done: BYE to every session's peers (through leave()), then closes.
    void shutdown();

    // ---- this device ----
    AccountId account() const { return profile_.account.id(); }
    DeviceId device() const { return profile_.device.id(); }
    QString name() const { return profile_.account.displayName(); }
    protocol::DeviceClass deviceClass() const { return deviceClass_; }
    quint16 dhtPort() const;

    // ---- sessions (the session core) ----
    SessionId create(std::uint32_t capacity, bool inviteOnly);
    // Devices empty: the account's devices as its presence lists them (none online: a 480
    // inviteResult within kPresenceWaitMs).
    CodedStatus invite(const SessionId& sid, const AccountId& account, QList<DeviceId> devices);
    Status accept(const SessionId& sid);
    Status decline(const SessionId& sid);
    Status leave(const SessionId& sid);
    std::optional<protocol::RosterSnapshot> roster(const SessionId& sid) const;
    // The session the user touched last (the peer's default "sid").
    std::optional<SessionId> currentSession() const { return current_; }
    QList<SessionId> sessions() const { return host_->sessionIds(); }
    // A roster member's name, else the contact's name, else the short hex of the id.
    QString nameOf(const AccountId& account) const;

    // ---- chat (NodeChat) ----
    // Returns the new message's seq. `to` empty = everyone; else a side-chat with those accounts.
    Result<std::uint64_t> say(const SessionId& sid, const QString& text,
                              const QList<AccountId>& to = {})
    {
        return chat_->say(sid, text, to);
    }
    Status type(const SessionId& sid, const QString& text) { return chat_->type(sid, text); }
    // Re-sends a message that failed to the members that did not acknowledge it.
    Status retry(const SessionId& sid, std::uint64_t seq) { return chat_->retry(sid, seq); }
    Result<QList<chat::StoredMessage>> history(const SessionId& sid, int limit) const
    {
        return chat_->history(sid, limit);
    }
    // The `limit` readable messages just before (lamport, sender) in display order (oldest
    // first): lazy loading when the user scrolls up.
    Result<QList<chat::StoredMessage>> historyBefore(const SessionId& sid, std::uint64_t lamport,
                                                     const DeviceId& sender, int limit) const
    {
        return chat_->historyBefore(sid, lamport, sender, limit);
    }
    std::optional<chat::Receipt> receipt(const SessionId& sid, std::uint64_t seq) const
    {
        return chat_->receipt(sid, seq);
    }
    // false: the others see a plain "typing…" instead of the draft.
    void setLiveTyping(bool live) { chat_->setLiveTyping(live); }
    bool liveTyping() const { return chat_->liveTyping(); }

    // ---- calls (NodeCall, docs/media.md "Call control") ----
    // Joins `sid`'s call (the first join starts it); one call at a time per device.
    Status joinCall(const SessionId& sid) { return call_->join(sid); }
    Status leaveCall() { return call_->leave(); }
    void setMuted(bool muted) { call_->setMuted(muted); }
    void setDeafened(bool deafened) { call_->setDeafened(deafened); }
    bool muted() const { return call_->muted(); }
    bool deafened() const { return call_->deafened(); }
    std::optional<SessionId> activeCall() const { return call_->activeCall(); }
    QList<NodeCall::Member> callMembers(const SessionId& sid) const { return call_->members(sid); }
    media::AudioDevice* callAudioDevice() const { return call_->audioDevice(); }
    QList<NodeCall::PeerStats> callStats() const { return call_->stats(); }
    // The audio device of the next call (QtAudioDevice in the app, FileAudioDevice in tests;
    // unset: a silent FileAudioDevice).
    void setAudioDeviceFactory(NodeCall::DeviceFactory factory);
    void setCallConfig(const media::CallEngine::Config& config);

    // ---- co-browsing (NodeBrowse, docs/cobrowse.md) and the baton (§5.1 rule 11) ----
    NodeBrowse& browse() { return *browse_; }
    void requestBaton(const SessionId& sid);
    void passBaton(const SessionId& sid, const DeviceId& to);
    void answerBaton(const SessionId& sid, bool grant);

    // ---- hand-off to another device of this account (NodeHandoff, docs/handoff.md) ----
    // This account's other devices online now (the "Send to…" list; deviceClassOf says which
    // kind each is).
    QList<DeviceId> myOnlineDevices() const;
    // A1: hands `sid` to `device`; `keep`: this device stays too. The outcome comes as
    // handoffDone or handoffFailed (with the reason in words).
    // "Continue here": the sessions this account's other live devices are in (presence).
    QList<NodeAccount::LiveSessionElsewhere> liveSessionsElsewhere() const
    {
        return account_->liveSessionsElsewhere();
    }
    // `ttlMs` (0: 60 s): the seat's life, and how long an offline device's stored snapshot waits.
    Status handoffPush(const SessionId& sid, const DeviceId& device, bool keep = false,
                       qint64 ttlMs = 0);
    // A2 ("Continue here"): asks this account's other online devices for `sid`.
    Status handoffPull(const SessionId& sid, bool keep = false);
    // A2: the user's answer to handoffOffered.
    Status handoffAnswer(const SessionId& sid, bool accept);
    Status handoffCancel(const SessionId& sid);

    // ---- contacts and presence (NodeAccount) ----
    const identity::ContactList& contacts() const { return account_->contacts(); }
    Status addContact(const AccountId& account) { return account_->addContact(account); }
    // Online/Away/Busy/Offline as the contact's presence on the DHT says ("offline" if unknown).
    QString presenceOf(const AccountId& account) const { return account_->presenceOf(account); }
    // Blocking looks like being offline (DESIGN §4): the account's invitations get 480 and its
    // chat is dropped. Persisted in the contact list (a blocked non-contact is recorded).
    Status setBlocked(const AccountId& account, bool blocked)
    {
        return account_->setBlocked(account, blocked);
    }
    // The account's devices as its presence lists them (live ones first; empty if unknown).
    QList<DeviceId> devicesOf(const AccountId& account) const
    {
        return account_->devicesOf(account);
    }
    // "online", "away" or "busy", published on the DHT at once.
    Status setPresence(const QString& status) { return account_->setPresence(status); }
    QString myPresence() const { return account_->myPresence(); }
    Status setDisplayName(const QString& name) { return account_->setDisplayName(name); }

    // ---- this account's devices and pairing ----
    // This account's devices (this one included) and revocation of another one of them.
    QList<identity::DeviceRecord> myDevices() const { return account_->myDevices(); }
    // The class a device of this account publishes in its presence (this one: deviceClass()).
    std::optional<protocol::DeviceClass> deviceClassOf(const DeviceId& device) const
    {
        return device == this->device() ? deviceClass_ : account_->deviceClassOf(device);
    }
    Status revokeDevice(const DeviceId& device) { return account_->revokeDevice(device); }
    // Pairing, existing device: a one-time code for a new device (text; its QR holds the same).
    Result<QString> newPairingCode() { return account_->newPairingCode(); }
    // Pairing, new device: joins the account named by the code. Only on a fresh profile (no
    // contacts, no history, no session); its own account is then replaced by the paired one.
    Status pair(const QString& code);

    // ---- for tests ----
    // Link traffic: control messages sent to each device (side-chat tests check these).
    QHash<DeviceId, int> chatSentTo() const { return chat_->sentTo(); }
    // Fault injection for tests: this device's own chat messages to `peer` are lost on the
    // way (not sent, as if the write never reached the wire; anti-entropy copies too);
    // receipts and retries unchanged.
    void setDropChatTo(const DeviceId& peer, bool drop) { chat_->setDropChatTo(peer, drop); }
    // Tests only (a hostile peer): sends `message` as it is to `to` over the link, signed
    // with this device's link key if `sign` (else unsigned). Nothing is stored here.
    Status injectChat(const SessionId& sid, const DeviceId& to, protocol::ChatMessage message,
                      bool sign);
    // Tests only (a hostile member, issue 13): sends `to` a committed roster of an epoch five
    // after ours that names this device its SM and leaves `leaveOut` out, signed with this
    // device's link key: a signature that proves who wrote it, not that its writer won.
    Status injectNewerEpochRoster(const SessionId& sid, const DeviceId& to,
                                  const DeviceId& leaveOut);
    // Tests only (a hostile inviter, issue 13): this device's INVITEs claim `name` for the
    // inviter (and for this device's endpoint entry), list this device under `account` if set,
    // and name `referrer` (with `account` and `name`) as the member who asked, if set. With
    // `replayReferral`, an INVITE of this device's own carries the last member's referral it
    // passed on (an SM showing a member's signature again).
    struct ForgedInvite {
        QString name;
        std::optional<AccountId> account;
        std::optional<DeviceId> referrer;
        bool replayReferral; // no initializer: clang would refuse optional::emplace()
    };
    void setForgedInvite(std::optional<ForgedInvite> forged) { forgedInvite_ = std::move(forged); }
    // Relayed signaling (issue 11): what went through the DHT and through relays, and what
    // this device relayed for others. Null before start().
    const SignalRouter* signalRouter() const { return signaling_; }
    const SignalRelay& signalRelay() const { return relay_; }
    // Tests only: stop relaying (RELAY_FAILED to every request), or relay as a hostile device.
    void setRelayEnabled(bool on) { relay_.setEnabled(on); }
    // Tests only: the next `count` hand-off notices put on the DHT fail as a put that no node
    // answered does (issue 15: the withdrawal of a cancelled stored push is tried again).
    void setFailHandoffStores(int count) { failHandoffStores_ = count; }
    void setRelayTamper(SignalRelay::Tamper t) { relay_.setTamper(t); }
    // When ICE connected and TLS was established on the current link to each device, in ms
    // since the link was made (-1: not yet): the join-time split of node benchmarks.
    struct LinkTiming {
        qint64 iceMs = -1;
        qint64 tlsMs = -1;
        bool answering = false;
        // Frames sent on it so far (liveness pings, control messages): idle message rates.
        quint64 pingsSent = 0;
        quint64 messagesSent = 0;
    };
    QHash<DeviceId, LinkTiming> linkTimings() const;
    // The newest join of this device, in ms after its INVITE arrived (-1: not yet): when
    // JOINED went to the SM (every endpoint answered the ticket) and when it was admitted.
    struct JoinTrace {
        qint64 joinedMs = -1;
        qint64 admittedMs = -1;
    };
    JoinTrace joinTrace() const { return joinTrace_; }

Q_SIGNALS:
    // sessions
    // An invitation (not a hand-off seat), from whom as this device verified it (never the
    // INVITE's claims); inviterNamed once its name became known later (its signed record
    // arrived), if it was shown without one.
    void invited(plenum::SessionId sid, plenum::node::Inviter inviter);
    void inviterNamed(plenum::SessionId sid, plenum::node::Inviter inviter);
    void rosterChanged(plenum::SessionId sid, plenum::protocol::RosterSnapshot roster);
    void becameSm(plenum::SessionId sid, quint64 epoch);
    void inviteResult(plenum::SessionId sid, plenum::AccountId account, plenum::DeviceId device,
                      int code, QString reason);
    void joinFailed(plenum::SessionId sid, int code, QString reason);
    void left(plenum::SessionId sid);
    void removed(plenum::SessionId sid, bool rejoining);
    void notice(plenum::SessionId sid, QString text);
    // chat
    void chatReceived(plenum::SessionId sid, plenum::protocol::ChatMessage message);
    void receiptChanged(plenum::SessionId sid, quint64 seq, plenum::chat::Receipt receipt);
    // A member's draft; plain = "typing…" without text (then `text` is empty).
    void typingState(plenum::SessionId sid, plenum::AccountId from, QString text, bool plain);
    // calls: who is in `sid`'s call or their mute state changed; once a second during a call;
    // the first audio of a peer after this device joined
    void callChanged(plenum::SessionId sid);
    void callStatsTick(plenum::SessionId sid);
    void callAudio(plenum::SessionId sid, plenum::DeviceId peer, qint64 msSinceJoin);
    // the baton: `from` asks this holder for it; a request, pass or page refused (in words)
    void batonRequested(plenum::SessionId sid, plenum::DeviceId from);
    void batonRefused(plenum::SessionId sid, QString reason);
    // co-browsing (NodeBrowse): the committed baton; a page to show, note or card
    void batonChanged(plenum::SessionId sid, plenum::DeviceId holder, quint64 generation);
    void navigated(plenum::SessionId sid, plenum::cobrowse::Page page, bool shown, bool card);
    // hand-off (NodeHandoff): A2 is offered `sid` by `from` ("Continue here?"); done (A2 in
    // the committed roster; `pushed` = this device was A1); failed, the session as it was on
    // A1, with the reason in words
    void handoffOffered(plenum::SessionId sid, plenum::DeviceId from);
    // A1: `device` is offline; the snapshot waits in its DHT mailbox until `untilMs` (Unix ms).
    void handoffStored(plenum::SessionId sid, plenum::DeviceId device, qint64 untilMs);
    // A1 at start: a push under way when this device stopped goes on (done or failed follows).
    void handoffResumed(plenum::SessionId sid, plenum::DeviceId device);
    void handoffDone(plenum::SessionId sid, plenum::DeviceId device, bool pushed);
    void handoffFailed(plenum::SessionId sid, plenum::DeviceId device, bool pushed, QString reason);
    // contacts, presence, devices
    void contactsChanged();
    void presenceChanged(plenum::AccountId account, QString presence);
    void devicesChanged();
    // liveSessionsElsewhere() changed.
    void liveSessionsChanged();
    // Existing device: a new device joined the account / a pairing attempt was refused.
    void devicePaired(plenum::DeviceId device, QString name);
    void pairingRefused(QString reason);
    // New device: it is now a device of `account` / pairing did not happen.
    void paired(plenum::AccountId account);
    void pairingFailed(QString reason);
    // anything that went wrong without a caller to tell
    void warning(QString text);
    // A control link went down, and why (tests and diagnostics: which liveness rule fired).
    void linkLost(plenum::DeviceId peer, QString reason);

private:
    Node(NodeOptions options, ProfileLock lock, identity::Profile profile,
         std::unique_ptr<chat::HistoryStore> history);

    void inviteWhenOnline(const SessionId& sid, const AccountId& account, int leftMs);
    void makeHost();
    void makeHandoff();
    Status startDht();
    Status startServices();
    void stopNetwork();
    Status checkFreshForPairing() const;
    void onPairingFailed(const QString& reason);
    void adoptPairing();
    void applyBlocks();
    // Who may open a link to us (issue 13): own devices, co-members, contacts' devices and
    // devices we invited or that invited us are trusted; blocked contacts' devices refused;
    // everyone else is a rate-limited stranger.
    net::LinkAdmission linkAdmission(const DeviceId& device) const;

    // Carries out the session core's queued effects, in order (see SessionEffects).
    void runEffects();
    // Outbox: what each effect does in the world.
    void send(const DeviceId& to, const protocol::Message& message) override;
    void openLink(const SessionId& sid, const DeviceId& to) override;
    void closeLink(const SessionId& sid, const DeviceId& to) override;
    void setTimer(const SessionId& sid, session::Millis at) override;
    void cancelTimer(const SessionId& sid) override;
    void persist(const session::SessionRecord& record) override;
    void forget(const SessionId& sid) override;
    void notify(const SessionId& sid, const session::SessionEvent& event) override;
    void refused(const SessionId& sid, const DeviceId& from, const QString& reason,
                 bool outsider) override;

    static session::Millis now();
    void onLinkMessage(const DeviceId& from, const QByteArray& bytes);
    void onRequest(const identity::OpenedEnvelope& request);
    void onLinkUp(const DeviceId& peer);
    void onLinkDown(const DeviceId& peer);
    // ---- invitations (nodeinviter.cpp, issue 13) ----
    // The account of `device`'s verified chain (a link's or a DHT envelope's), if known.
    std::optional<AccountId> verifiedAccountOf(const DeviceId& device);
    // An INVITE from `from`, whose chain is `account`: false (with a warning) if refused, else
    // the pair is remembered for the invitation it starts.
    bool admitInvite(const protocol::Message& message, const DeviceId& from,
                     const AccountId& account);
    Inviter inviterOf(const SessionId& sid, const DeviceId& asker);
    void onInviterPresence(const AccountId& account);
    void endInvitation(const SessionId& sid);
    // RELAY_* messages (issue 11): the relay end and the recipient end.
    void onRelayMessage(const DeviceId& from, const protocol::Message& message);
    std::optional<SignalRouter::Relay> relayFor(const DeviceId& to) const;
    bool linkIsUp(const DeviceId& peer) const;
    void sendOnLink(const DeviceId& to, const protocol::Message& message);
    // The session core's PINGs to `peer`, for the header of the link's next ping, and the
    // other end (node/linkping.h).
    QByteArray pingHeaderFor(const DeviceId& peer);
    void onLinkPing(const DeviceId& from, const QByteArray& header);

    NodeOptions options_;
    ProfileLock lock_;
    identity::Profile profile_;
    std::unique_ptr<chat::HistoryStore> history_;
    SessionRecordFile records_;
    LinkTicketAuthority tickets_;
    protocol::DeviceClass deviceClass_ = protocol::DeviceClass::Desktop;
    SessionEffects effects_; // what host_ asked for, not done yet
    // Link keys and accounts of every chain that verified (own included): chat signatures
    // are checked against them (DESIGN §6). Declared before chat_, which reads it.
    crypto::LinkKeyRing linkKeys_;
    QSet<DeviceId> invitePeers_; // devices we sent INVITE to, or that sent us one
    // The newest admitted INVITE's sender and chain account per invitation (bounded by the
    // session host's pending invitations), and those shown without a name yet.
    struct InviteChain {
        DeviceId device;
        AccountId account;
        // The member's signed referral it was shown with (Invite::referral), if one verified
        // and no earlier invitation showed it (ShownReferrals).
        std::optional<ShownReferrals::Key> referral = {};
    };
    // Checks an INVITE's referral: the referrer's chain, then its signature over this device's
    // account and the session. Returns the referrer it vouches for, or nothing (and says why).
    std::optional<DeviceId> checkReferral(const protocol::Invite& invite, const SessionId& sid);
    // shownReferrals_ on disk (referrals.rec in the profile): read at start, written at each
    // referral shown. Either failing is a warning in words; the memory still works.
    QString shownReferralsPath() const;
    void restoreShownReferrals();
    void saveShownReferrals();
    // [link, device, account] certificates of the devices we verified on links: the relay
    // hands them to devices that relay through us, and as SM we hand a referrer's chain to
    // its invitee (Invite::referral). Bounded: a new device evicts an arbitrary old one.
    QHash<DeviceId, QList<QByteArray>> linkChains_;
    static constexpr qsizetype kMaxLinkChains = 1024;
    std::map<SessionId, InviteChain> inviteChains_;
    ShownReferrals shownReferrals_; // each referral names its member on one invitation
    std::map<SessionId, Inviter> unnamedInviters_;
    std::optional<ForgedInvite> forgedInvite_;
    std::optional<protocol::Invite> replayable_; // tests only: the referral to show again
    int failHandoffStores_ = 0;                  // tests only: see setFailHandoffStores
    std::unique_ptr<session::SessionHost> host_;
    std::unique_ptr<NodeChat> chat_;       // made with host_ (it reads host_'s sessions)
    std::unique_ptr<NodeCall> call_;       // made with host_ (it reads host_'s rosters)
    std::unique_ptr<NodeBrowse> browse_;   // likewise
    std::unique_ptr<NodeHandoff> handoff_; // likewise
    NodeCall::DeviceFactory audioFactory_;
    media::CallEngine::Config callConfig_;
    std::unique_ptr<NodeAccount> account_; // speaks for profile_
    identity::DhtNode* dht_ = nullptr;
    identity::DeviceMailbox* mailbox_ = nullptr;
    SignalRouter* signaling_ = nullptr;
    SignalRelay relay_; // made in the constructor: its hooks read links_ and host_ when called
    QElapsedTimer invitedAt_; // the newest INVITE (for joinTrace)
    JoinTrace joinTrace_;
    net::LinkManager* links_ = nullptr;
    GuestPairing* guest_ = nullptr; // while this device is being paired
    std::map<SessionId, std::unique_ptr<QTimer>> timers_;
    std::optional<SessionId> current_;
    // Devices that a committed roster of one of our sessions dropped (crashed, removed): one
    // that comes back (REJOIN, then a JOIN to every member) is no stranger, whose link
    // attempts are rate-limited to 3 in 20 s (issue 12: a restarted member could not reach
    // the members again). Bounded; what each session's committed roster held last.
    static constexpr qsizetype kMaxFormerMembers = 1024;
    QSet<DeviceId> formerMembers_;
    std::map<SessionId, QSet<DeviceId>> committedMembers_;
    void noteCommitted(const SessionId& sid, const protocol::RosterSnapshot& roster);
};

} // namespace plenum::node

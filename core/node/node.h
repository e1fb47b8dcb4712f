#pragma once
// One device (DESIGN §6, §10): the session core (SessionHost) over real control links, the
// DHT for first contact (DeviceMailbox) and ICE signaling (DhtSignaling), and chat with
// durable history (ChatSender + HistoryStore: a message is acknowledged only once flushed).
// Everything runs on the Qt thread that owns the Node; results are Qt signals.

#include "chat/chatsender.h"
#include "chat/historystore.h"
#include "chat/typingthrottle.h"
#include "crypto/linkkeyring.h"
#include "identity/presencerecord.h"
#include "identity/profile.h"
#include "node/chatsync.h"
#include "node/guestpairing.h"
#include "node/linkticketauthority.h"
#include "node/nodeoptions.h"
#include "node/sessionrecordfile.h"
#include "protocol/limits.h"
#include "session/sessionhost.h"

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
class Presence;
class PairingResponder;
struct OpenedEnvelope;
} // namespace plenum::identity
namespace plenum::net {
class LinkManager;
enum class LinkAdmission;
} // namespace plenum::net

namespace plenum::node {

class Node : public QObject, private session::Outbox {
    Q_OBJECT
public:
    // Inviting an account whose presence is not known yet waits this long for it.
    static constexpr int kPresenceWaitMs = 5000;
    static constexpr int kPresencePollMs = 100;
    // Bounds: recent history a joiner may get, messages per pull answer, messages read from
    // disk to seed anti-entropy for one session.
    static constexpr int kMaxJoinerHistory = 200;
    static constexpr std::uint64_t kMaxPullAnswer = protocol::limits::kMaxPullSpan;
    static constexpr int kMaxSeededMessages = 100'000;

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

    // "phone", "laptop", "desktop" or "wired": how the class is written in files and events.
    static QString className(protocol::DeviceClass deviceClass);

    AccountId account() const { return profile_.account.id(); }
    DeviceId device() const { return profile_.device.id(); }
    QString name() const { return profile_.account.displayName(); }
    protocol::DeviceClass deviceClass() const { return deviceClass_; }
    quint16 dhtPort() const;

    SessionId create(std::uint32_t capacity, bool inviteOnly);
    // Devices empty: the account's devices as its presence lists them.
    Status invite(const SessionId& sid, const AccountId& account, QList<DeviceId> devices);
    Status accept(const SessionId& sid);
    Status decline(const SessionId& sid);
    Status leave(const SessionId& sid);
    // Returns the new message's seq. `to` empty = everyone; else a side-chat with those accounts.
    Result<std::uint64_t> say(const SessionId& sid, const QString& text,
                              const QList<AccountId>& to = {});
    Status type(const SessionId& sid, const QString& text);
    Result<QList<chat::StoredMessage>> history(const SessionId& sid, int limit) const;
    std::optional<protocol::RosterSnapshot> roster(const SessionId& sid) const;
    std::optional<chat::Receipt> receipt(const SessionId& sid, std::uint64_t seq) const;
    // The session the user touched last (the peer's default "sid").
    std::optional<SessionId> currentSession() const { return current_; }
    QList<SessionId> sessions() const { return host_->sessionIds(); }
    const identity::ContactList& contacts() const { return profile_.contacts; }
    Status addContact(const AccountId& account);
    // Online/Away/Busy/Offline as the contact's presence on the DHT says ("offline" if unknown).
    QString presenceOf(const AccountId& account) const;
    // Blocking looks like being offline (DESIGN §4): the account's invitations get 480 and its
    // chat is dropped. Persisted in the contact list (a blocked non-contact is recorded).
    Status setBlocked(const AccountId& account, bool blocked);
    // The account's devices as its presence lists them (live ones first; empty if unknown).
    QList<DeviceId> devicesOf(const AccountId& account) const;
    // A roster member's name, else the contact's name, else the short hex of the id.
    QString nameOf(const AccountId& account) const;

    // This account's devices (this one included) and revocation of another one of them.
    QList<identity::DeviceRecord> myDevices() const { return profile_.account.devices(); }
    Status revokeDevice(const DeviceId& device);
    // "online", "away" or "busy", published on the DHT at once.
    Status setPresence(const QString& status);
    QString myPresence() const;
    Status setDisplayName(const QString& name);

    // Re-sends a message that failed to the members that did not acknowledge it.
    Status retry(const SessionId& sid, std::uint64_t seq);
    // The `limit` readable messages just before (lamport, sender) in display order (oldest
    // first): lazy loading when the user scrolls up.
    Result<QList<chat::StoredMessage>> historyBefore(const SessionId& sid, std::uint64_t lamport,
                                                     const DeviceId& sender, int limit) const;
    // false: the others see a plain "typing…" instead of the draft.
    void setLiveTyping(bool live);
    bool liveTyping() const { return liveTyping_; }

    // Pairing, existing device: a one-time code for a new device (text; its QR holds the same).
    Result<QString> newPairingCode();
    // Pairing, new device: joins the account named by the code. Only on a fresh profile (no
    // contacts, no history, no session); its own account is then replaced by the paired one.
    Status pair(const QString& code);

    // Link traffic: control messages sent to each device (side-chat tests check these).
    QHash<DeviceId, int> chatSentTo() const { return chatSentTo_; }
    // Fault injection for tests: this device's own chat messages to `peer` are lost on the
    // way (not sent, as if the write never reached the wire; anti-entropy copies too);
    // receipts and retries unchanged.
    void setDropChatTo(const DeviceId& peer, bool drop)
    {
        drop ? (void)dropChatTo_.insert(peer) : (void)dropChatTo_.remove(peer);
    }
    // Tests only (a hostile peer): sends `message` as it is to `to` over the link, signed
    // with this device's link key if `sign` (else unsigned). Nothing is stored here.
    Status injectChat(const SessionId& sid, const DeviceId& to, protocol::ChatMessage message,
                      bool sign);

Q_SIGNALS:
    void invited(plenum::SessionId sid, plenum::DeviceId from, QString inviterName);
    void rosterChanged(plenum::SessionId sid, plenum::protocol::RosterSnapshot roster);
    void becameSm(plenum::SessionId sid, quint64 epoch);
    void inviteResult(plenum::SessionId sid, plenum::AccountId account, plenum::DeviceId device,
                      int code, QString reason);
    void joinFailed(plenum::SessionId sid, int code, QString reason);
    void left(plenum::SessionId sid);
    void removed(plenum::SessionId sid, bool rejoining);
    void notice(plenum::SessionId sid, QString text);
    void chatReceived(plenum::SessionId sid, plenum::protocol::ChatMessage message);
    void receiptChanged(plenum::SessionId sid, quint64 seq, plenum::chat::Receipt receipt);
    void typing(plenum::SessionId sid, plenum::AccountId from, QString text);
    // The same update with its mode: plain = "typing…" without text (then `text` is empty).
    void typingState(plenum::SessionId sid, plenum::AccountId from, QString text, bool plain);
    void warning(QString text);
    void contactsChanged();
    void presenceChanged(plenum::AccountId account, QString presence);
    void devicesChanged();
    // Existing device: a new device joined the account / a pairing attempt was refused.
    void devicePaired(plenum::DeviceId device, QString name);
    void pairingRefused(QString reason);
    // New device: it is now a device of `account` / pairing did not happen.
    void paired(plenum::AccountId account);
    void pairingFailed(QString reason);

private:
    struct Chat {
        std::unique_ptr<chat::ChatSender> sender;
        QTimer timer;
        chat::TypingThrottle typing; // <= 10 updates/s, cleared on send or when idle
        QTimer typingTimer;
        bool resumed = false;
        std::unique_ptr<ChatSync> sync; // anti-entropy and joiners' history
        QList<DeviceId> members;        // the others in the last committed roster
        bool wasMember = false;         // admitted before (or restored): not a first join
    };
    struct Stored {
        SessionId sid;
        protocol::ChatMessage message;
        bool isNew = false;   // not held before: shown once on disk
        bool relayed = false; // pulled or sent as history, not from its sender
    };

    Node(NodeOptions options, identity::Profile profile,
         std::unique_ptr<chat::HistoryStore> history);

    QList<DeviceId> onlineDevicesOf(const AccountId& account) const;
    void inviteWhenOnline(const SessionId& sid, const AccountId& account, int leftMs);
    void makeHost();
    Status startDht();
    Status startServices();
    void stopNetwork();
    Status checkFreshForPairing() const;
    void onPairingFailed(const QString& reason);
    void adoptPairing();
    Status saveProfile();
    void publishPresence();
    void applyBlocks();
    // Who may open a link to us (issue 13): own devices, co-members, contacts' devices and
    // devices we invited or that invited us are trusted; blocked contacts' devices refused;
    // everyone else is a rate-limited stranger.
    net::LinkAdmission linkAdmission(const DeviceId& device) const;

    // Outbox
    void send(const DeviceId& to, const protocol::Message& message) override;
    void openLink(const SessionId& sid, const DeviceId& to) override;
    void closeLink(const SessionId& sid, const DeviceId& to) override;
    void setTimer(const SessionId& sid, session::Millis at) override;
    void cancelTimer(const SessionId& sid) override;
    void persist(const session::SessionRecord& record) override;
    void forget(const SessionId& sid) override;
    void notify(const SessionId& sid, const session::SessionEvent& event) override;

    static session::Millis now();
    void onLinkMessage(const DeviceId& from, const QByteArray& bytes);
    void onRequest(const identity::OpenedEnvelope& request);
    void onLinkUp(const DeviceId& peer);
    void onLinkDown(const DeviceId& peer);
    void onChat(const DeviceId& from, const protocol::Message& message);
    void onChatMessage(const SessionId& sid, const DeviceId& from,
                       const protocol::ChatMessage& message);
    void onHighWater(const SessionId& sid, const DeviceId& from, const protocol::HighWater& hw);
    void sendRecentHistory(const SessionId& sid, const DeviceId& to, std::uint64_t cut);
    void answerPull(const SessionId& sid, const DeviceId& from, const protocol::ChatPull& pull);
    void pull(const SessionId& sid);
    void sendHighWater(const SessionId& sid, const DeviceId& to);
    void broadcastHighWater(const SessionId& sid);
    void flushHistory();
    Chat& chatOf(const SessionId& sid);
    void applyChat(const SessionId& sid, const chat::ChatSender::Output& out);
    void armChatTimer(const SessionId& sid);
    void sendTyping(const SessionId& sid, const std::optional<protocol::Typing>& update);
    protocol::Header headerFor(const SessionId& sid) const;
    void sendOnLink(const DeviceId& to, const protocol::Message& message);

    NodeOptions options_;
    identity::Profile profile_;
    std::unique_ptr<chat::HistoryStore> history_;
    SessionRecordFile records_;
    LinkTicketAuthority tickets_;
    // Link keys and accounts of every chain that verified (own included): chat signatures
    // are checked against them (DESIGN §6).
    crypto::LinkKeyRing linkKeys_;
    QSet<DeviceId> invitePeers_; // devices we sent INVITE to, or that sent us one
    std::unique_ptr<session::SessionHost> host_;
    identity::DhtNode* dht_ = nullptr;
    identity::DeviceMailbox* mailbox_ = nullptr;
    identity::DhtSignaling* signaling_ = nullptr;
    identity::Presence* presence_ = nullptr;
    net::LinkManager* links_ = nullptr;
    identity::PairingResponder* responder_ = nullptr; // made on the first pairing code
    GuestPairing* guest_ = nullptr;                   // while this device is being paired
    std::map<SessionId, std::unique_ptr<QTimer>> timers_;
    std::map<SessionId, std::unique_ptr<Chat>> chats_;
    QList<std::pair<SessionId, protocol::ChatAck>>
        pendingAcks_;             // written, flushed, then acknowledged
    QList<Stored> pendingStored_; // flushed with the acks, then shown and counted
    bool flushQueued_ = false;
    std::optional<SessionId> current_;
    QHash<DeviceId, int> chatSentTo_;
    QSet<DeviceId> dropChatTo_;
    protocol::DeviceClass deviceClass_ = protocol::DeviceClass::Desktop;
    identity::PresenceState presenceState_ = identity::PresenceState::Online;
    bool liveTyping_ = true;
};

} // namespace plenum::node

#pragma once
// One device (DESIGN §6, §10): the session core (SessionHost) over real control links, the
// DHT for first contact (DeviceMailbox) and ICE signaling (DhtSignaling), and chat with
// durable history (ChatSender + HistoryStore: a message is acknowledged only once flushed).
// Everything runs on the Qt thread that owns the Node; results are Qt signals.

#include "chat/chatsender.h"
#include "chat/historystore.h"
#include "chat/typingthrottle.h"
#include "identity/profile.h"
#include "node/linkticketauthority.h"
#include "node/nodeoptions.h"
#include "node/sessionrecordfile.h"
#include "session/sessionhost.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

namespace plenum::identity {
class DhtNode;
class DeviceMailbox;
class DhtSignaling;
class Presence;
struct OpenedEnvelope;
} // namespace plenum::identity
namespace plenum::net {
class LinkManager;
}

namespace plenum::node {

class Node : public QObject, private session::Outbox {
    Q_OBJECT
public:
    // Loads the profile in options.profileDir (or creates one named options.name there).
    static Result<std::unique_ptr<Node>> open(const NodeOptions& options);
    ~Node() override;

    // Starts the DHT, the mailbox and the links, and restores sessions kept on disk.
    Status start();
    // Leaves nothing half-done: BYE to every session's peers (through leave()), then closes.
    void shutdown();

    AccountId account() const { return profile_.account.id(); }
    DeviceId device() const { return profile_.device.id(); }
    QString name() const { return profile_.account.displayName(); }
    protocol::DeviceClass deviceClass() const { return options_.deviceClass; }
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
    // Link traffic: control messages sent to each device (side-chat tests check these).
    QHash<DeviceId, int> chatSentTo() const { return chatSentTo_; }

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
    void warning(QString text);

private:
    struct Chat {
        std::unique_ptr<chat::ChatSender> sender;
        QTimer timer;
        chat::TypingThrottle typing; // <= 10 updates/s, cleared on send or when idle
        QTimer typingTimer;
        bool resumed = false;
    };

    Node(NodeOptions options, identity::Profile profile,
         std::unique_ptr<chat::HistoryStore> history);

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
    std::unique_ptr<session::SessionHost> host_;
    identity::DhtNode* dht_ = nullptr;
    identity::DeviceMailbox* mailbox_ = nullptr;
    identity::DhtSignaling* signaling_ = nullptr;
    identity::Presence* presence_ = nullptr;
    net::LinkManager* links_ = nullptr;
    std::map<SessionId, std::unique_ptr<QTimer>> timers_;
    std::map<SessionId, std::unique_ptr<Chat>> chats_;
    QList<std::pair<SessionId, protocol::ChatAck>>
        pendingAcks_; // written, flushed, then acknowledged
    bool flushQueued_ = false;
    std::optional<SessionId> current_;
    QHash<DeviceId, int> chatSentTo_;
};

} // namespace plenum::node

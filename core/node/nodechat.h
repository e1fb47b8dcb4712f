#pragma once
// The chat of every session of one device, wired to the Node's links and history (DESIGN §6,
// §5.1 rule 8): one ChatSender (sends, acks, retries, receipts), TypingThrottle and
// chat::ChatSync (anti-entropy, history for joiners) per session, over one HistoryStore. A
// message of this device is on disk before it leaves; a received one is acknowledged only
// once flushed, once per event-loop turn. The Node feeds it the session core's roster events,
// link events and the chat messages that arrive; everything else is its own.

#include "chat/chatsender.h"
#include "chat/chatsync.h"
#include "chat/historystore.h"
#include "chat/typingthrottle.h"
#include "crypto/linkkeyring.h"
#include "protocol/limits.h"
#include "session/sessionhost.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

namespace plenum::identity {
class ContactList;
}

namespace plenum::node {

class NodeChat : public QObject {
    Q_OBJECT
public:
    // Bounds: recent history a joiner may get, messages per pull answer, messages read from
    // disk to seed anti-entropy for one session.
    static constexpr int kMaxJoinerHistory = 200;
    static constexpr std::uint64_t kMaxPullAnswer = protocol::limits::kMaxPullSpan;
    static constexpr int kMaxSeededMessages = 100'000;
    // HIGH_WATER re-sent about once a second while a hole stays open: ~20 s, then the next
    // roster change, re-link or gap starts again.
    static constexpr int kGapRetries = 20;
    static constexpr int kGapRetryMs = int(chat::ChatSync::kReplyIntervalMs) + 100;

    // How a control message reaches a peer whose link is up (else it is dropped).
    using LinkSender = std::function<void(const DeviceId& to, const protocol::Message&)>;
    // Signs this device's own message in place with its link key (DESIGN §6).
    using Signer = std::function<void(protocol::ChatMessage&, const SessionId&)>;

    // `host` gives the rosters (chat only among members) and the links that are up;
    // `contacts` who is blocked; `joinerHistory` as NodeOptions::joinerHistory; `linkKeys`
    // the verified chains whose signatures received copies are checked against.
    NodeChat(session::SessionHost& host, chat::HistoryStore& history,
             const identity::ContactList& contacts, int joinerHistory, LinkSender send,
             const crypto::LinkKeyRing& linkKeys, Signer sign, QObject* parent = nullptr);
    ~NodeChat() override;

    // ---- commands (Node's methods of the same name) ----
    Result<std::uint64_t> say(const SessionId& sid, const QString& text,
                              const QList<AccountId>& to);
    Status type(const SessionId& sid, const QString& text);
    Status retry(const SessionId& sid, std::uint64_t seq);
    Result<QList<chat::StoredMessage>> history(const SessionId& sid, int limit) const;
    Result<QList<chat::StoredMessage>> historyBefore(const SessionId& sid, std::uint64_t lamport,
                                                     const DeviceId& sender, int limit) const;
    std::optional<chat::Receipt> receipt(const SessionId& sid, std::uint64_t seq) const;
    void setLiveTyping(bool live);
    bool liveTyping() const { return liveTyping_; }
    QHash<DeviceId, int> sentTo() const { return sentTo_; }
    void setDropChatTo(const DeviceId& peer, bool drop)
    {
        drop ? (void)dropTo_.insert(peer) : (void)dropTo_.remove(peer);
    }

    // ---- from the Node ----
    // A session this device is in now (created, or restored from disk: `restored`).
    void open(const SessionId& sid);
    void restored(const SessionId& sid);
    // The session core's roster events (committed roster, this device admitted): members
    // change, and every member is told our high-water marks.
    void onRosterCommitted(const SessionId& sid, const protocol::RosterSnapshot& roster);
    void onAdmitted(const SessionId& sid, const protocol::RosterSnapshot& roster);
    // A hand-off's new device (DESIGN §8) takes `history` (the verified snapshot's) before it
    // accepts the seat: stored, counted by anti-entropy, and the session's chat starts as a
    // member's (no joiner floors), so the admission's high-water exchange pulls from the
    // members only what came after the snapshot.
    void adoptHandoff(const SessionId& sid, const QList<protocol::ChatMessage>& history);
    // This device is out for good (its rejoin was refused): what it held is not delivered.
    void onShutOut(const SessionId& sid);
    void onLinkUp(const DeviceId& peer);
    void onLinkDown(const DeviceId& peer);
    // A chat body (isChat) that arrived over a link.
    void onMessage(const DeviceId& from, const protocol::Message& message);
    // Writes what was received, then acknowledges and shows it (also at shutdown).
    void flush();

    static bool isChat(const protocol::Body& body);
    // The header chat messages of `sid` carry now.

Q_SIGNALS:
    // A new message for this device, verified; shown before it is on disk (its ack is not).
    void chatReceived(plenum::SessionId sid, plenum::protocol::ChatMessage message);
    void receiptChanged(plenum::SessionId sid, quint64 seq, plenum::chat::Receipt receipt);
    void typingState(plenum::SessionId sid, plenum::AccountId from, QString text, bool plain);
    void warning(QString text);

private:
    struct Chat {
        std::unique_ptr<chat::ChatSender> sender;
        QTimer timer;
        chat::TypingThrottle typing; // <= 10 updates/s, cleared on send or when idle
        QTimer typingTimer;
        std::unique_ptr<chat::ChatSync> sync; // anti-entropy and joiners' history
        QList<DeviceId> members;              // the others in the last committed roster
        bool wasMember = false;               // admitted before (or restored): not a first join
        int gapRetries = 0;                   // HIGH_WATER re-sent while a hole stays open
        bool pullRetryArmed = false;          // a timer will plan the pulls again
    };
    struct Stored {
        SessionId sid;
        protocol::ChatMessage message;
        bool relayed = false; // pulled or sent as history, not from its sender
    };

    DeviceId device() const { return host_.self().device; }
    AccountId account() const { return host_.self().account; }
    Chat& chatOf(const SessionId& sid);
    void onChatMessage(const SessionId& sid, const DeviceId& from,
                       const protocol::ChatMessage& message);
    void onHighWater(const SessionId& sid, const DeviceId& from, const protocol::HighWater& hw);
    void sendRecentHistory(const SessionId& sid, const DeviceId& to, std::uint64_t cut);
    void answerPull(const SessionId& sid, const DeviceId& from, const protocol::ChatPull& pull);
    void pull(const SessionId& sid);
    void sendHighWater(const SessionId& sid, const DeviceId& to);
    void broadcastHighWater(const SessionId& sid);
    void retryGapLater(const SessionId& sid);
    void retryGap(const SessionId& sid);
    void apply(const SessionId& sid, const chat::ChatSender::Output& out);
    void armTimer(const SessionId& sid);
    void sendTyping(const SessionId& sid, const std::optional<protocol::Typing>& update);
    void sendOnLink(const DeviceId& to, const protocol::Message& message);

    session::SessionHost& host_;
    chat::HistoryStore& history_;
    const identity::ContactList& contacts_;
    int joinerHistory_;
    LinkSender send_;
    const crypto::LinkKeyRing& linkKeys_;
    Signer sign_;
    std::map<SessionId, std::unique_ptr<Chat>> chats_;
    QList<std::pair<SessionId, protocol::ChatAck>>
        pendingAcks_;             // written, flushed, then acknowledged
    QList<Stored> pendingStored_; // flushed with the acks, then shown and counted
    bool flushQueued_ = false;
    QHash<DeviceId, int> sentTo_;
    QSet<DeviceId> dropTo_;
    bool liveTyping_ = true;
};

} // namespace plenum::node

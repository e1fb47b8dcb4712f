#pragma once
// Chat history on disk (DESIGN §6): one SQLite database per profile, through Qt Sql
// (QSQLITE) with WAL and synchronous=FULL. Rows are keyed by account and session, so a
// hand-off can carry a session's rows. Writes are queued with add() and written in one
// transaction by flush(), which the caller invokes once per event-loop turn; a message may
// be acknowledged only after the flush that wrote it returned (it is then on disk).

#include "protocol/messages.h"
#include "protocol/result.h"

#include <QHash>
#include <QList>
#include <QString>

#include <cstdint>
#include <memory>

class QSqlQuery;

namespace plenum::chat {

struct StoredMessage {
    protocol::ChatMessage message;
    std::int64_t receivedAtMs = 0;
};

class HistoryStore {
public:
    // Opens (or creates) the database file and its schema.
    static Result<std::unique_ptr<HistoryStore>> open(const QString& path);
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    // Queues a message (or side-chat stub) for the next flush. A second copy of
    // (account, session, sender, seq) is ignored.
    void add(const AccountId& account, const SessionId& session,
             const protocol::ChatMessage& message, std::int64_t receivedAtMs);
    std::size_t queued() const { return queue_.size(); }

    // Writes everything queued in one transaction. Returns the (sender, seq) of each queued
    // message, now on disk and safe to acknowledge. On failure nothing is written and the
    // queue is kept for the next try.
    Result<QList<protocol::ChatAck>> flush();

    // The last `count` readable messages (stubs left out), in display order.
    Result<QList<StoredMessage>> lastMessages(const AccountId& account, const SessionId& session,
                                              int count) const;
    // The last `count` readable messages strictly before (lamport, sender) in display order,
    // oldest first (lazy loading of older history).
    Result<QList<StoredMessage>> messagesBefore(const AccountId& account, const SessionId& session,
                                                std::uint64_t lamport, const DeviceId& sender,
                                                int count) const;
    // Every stored message (stubs included) of a sender with seq > its entry in `after`;
    // senders missing from `after` count from 0. In display order.
    Result<QList<protocol::ChatMessage>> messagesAfter(const AccountId& account,
                                                       const SessionId& session,
                                                       const QList<protocol::SenderMark>& after,
                                                       int limit = 1024) const;
    // Messages of one sender with fromSeq <= seq <= toSeq (to answer CHAT_PULL).
    Result<QList<protocol::ChatMessage>> range(const AccountId& account, const SessionId& session,
                                               const DeviceId& sender, std::uint64_t fromSeq,
                                               std::uint64_t toSeq) const;
    // Whether a message (or stub) of `sender` with this seq is on disk. A seq above every one
    // of that sender's on disk (a live message, the common case) is answered from memory:
    // the store writes every row itself, so it keeps each sender's highest seq.
    Result<bool> contains(const AccountId& account, const SessionId& session,
                          const DeviceId& sender, std::uint64_t seq) const;
    // True if any message (of any session) is stored for this account.
    Result<bool> hasMessages(const AccountId& account) const;
    // Highest stored seq per sender.
    Result<QList<protocol::SenderMark>> maxima(const AccountId& account,
                                               const SessionId& session) const;
    // What ChatSender::resume needs: the own last seq and the session's highest Lamport.
    struct OwnMaxima {
        std::uint64_t lastSeq = 0;
        std::uint64_t maxLamport = 0;
    };
    Result<OwnMaxima> ownMaxima(const AccountId& account, const SessionId& session,
                                const DeviceId& self) const;

private:
    struct Row {
        AccountId account;
        SessionId session;
        protocol::ChatMessage message;
        std::int64_t receivedAtMs;
    };
    explicit HistoryStore(QString connection);
    const QHash<DeviceId, std::uint64_t>* highestSeqs(const AccountId& account,
                                                      const SessionId& session) const;

    QString connection_;
    QList<Row> queue_;
    // The INSERT of flush(), compiled once: it is on the path of every message sent.
    std::unique_ptr<QSqlQuery> insert_;
    // (account, session) -> sender -> highest seq on disk; filled on first use per session.
    mutable QHash<QByteArray, QHash<DeviceId, std::uint64_t>> highest_;
};

} // namespace plenum::chat

#pragma once
// The messages of one session in the shared order (lamport, sender DeviceId) — the order every
// member shows (DESIGN §6). Own messages carry a delivery mark from the Node's receipts; others'
// live typing is one faint line (typingText); older history is prepended on demand (loadOlder).

#include "chat/chatsender.h"
#include "chat/historystore.h"
#include "protocol/ids.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QMetaObject>
#include <QTimer>

namespace plenum::node {
class Node;
}

namespace plenum::ui {

class ConversationModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingTextChanged)
    Q_PROPERTY(bool canLoadOlder READ canLoadOlder NOTIFY canLoadOlderChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    static constexpr int kPage = 50;           // messages per load (first view and each loadOlder)
    static constexpr int kTypingIdleMs = 6000; // a typing line without update fades out

    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        AuthorRole,
        AuthorAccountRole,
        TextRole,
        TimeRole,
        IsMineRole,
        IsPrivateRole,
        RecipientsTextRole,
        DeliveryRole,
        PendingNamesRole,
        LamportRole,
    };

    explicit ConversationModel(QObject* parent = nullptr);

    // Shows the newest kPage messages of `sid` and follows it.
    void setSession(node::Node* node, const SessionId& sid);
    // After Node::say returned `seq`: shows the own message (read back from history).
    void addOwn(std::uint64_t seq);
    // Prepends up to kPage older messages; returns how many were added.
    int loadOlder();
    // "<deviceHex>:<seq>" → the seq of an own message (nullopt if not own or malformed).
    std::optional<std::uint64_t> ownSeqOf(const QString& messageId) const;

    QString typingText() const;
    bool canLoadOlder() const { return canLoadOlder_; }
    int count() const { return int(rows_.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void typingTextChanged();
    void canLoadOlderChanged();
    void countChanged();

private:
    struct Row {
        protocol::ChatMessage message;
        QString authorName;
        QDateTime time;
        bool mine = false;
        QString delivery;     // own messages only
        QString pendingNames; // own messages only
        int recipientsAtSend = 0;
    };
    struct Typist {
        QString text;
        bool plain = false;
        qint64 at = 0;
    };

    Row rowFor(const protocol::ChatMessage& m, qint64 atMs) const;
    void insertSorted(const Row& row);
    void applyReceipt(Row& row, const chat::Receipt& receipt) const;
    void onReceipt(std::uint64_t seq, const chat::Receipt& receipt);
    void onTyping(const AccountId& from, const QString& text, bool plain);
    void expireTyping();
    QString deviceName(const DeviceId& device) const;
    QString recipientsText(const Row& row) const;
    int indexOf(const DeviceId& sender, std::uint64_t seq) const;
    void setCanLoadOlder(bool can);

    node::Node* node_ = nullptr;
    SessionId sid_;
    QList<Row> rows_;
    bool canLoadOlder_ = false;
    QHash<AccountId, Typist> typing_;
    QTimer typingExpiry_;
    QList<QMetaObject::Connection> connections_;
};

} // namespace plenum::ui

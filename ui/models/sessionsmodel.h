#pragma once
// Every session this device is a member of, with unread counts and the last message
// (docs/ui.md). Unread counts live here, not in the Node: they are a view of what the person
// has seen on this device.

#include "protocol/ids.h"

#include <QAbstractListModel>
#include <QMetaObject>
#include <QSet>

namespace plenum::node {
class Node;
}

namespace plenum::ui {

class SessionsModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY totalUnreadChanged)
public:
    enum Role {
        SidRole = Qt::UserRole + 1,
        TitleRole,
        MemberCountRole,
        UnreadRole,
        IsCurrentRole,
        LastMessageRole,
    };

    explicit SessionsModel(QObject* parent = nullptr);

    void setNode(node::Node* node);
    void refresh();
    // The open session: its unread count is cleared and stays 0 while it is open.
    void setCurrent(const SessionId& sid);
    // Own messages do not count as unread but do become the last message.
    void noteOwnMessage(const SessionId& sid, const QString& text);

    int count() const { return int(rows_.size()); }
    int totalUnread() const;
    int unreadOf(const SessionId& sid) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();
    void totalUnreadChanged();

private:
    struct Row {
        SessionId sid;
        QString title;
        int memberCount = 0;
        int unread = 0;
        QString lastMessage;
        bool operator==(const Row&) const = default;
    };

    void onChat(const SessionId& sid, const QString& author, const QString& text);
    int indexOf(const SessionId& sid) const;

    node::Node* node_ = nullptr;
    QList<Row> rows_;
    SessionId current_;
    QSet<SessionId> gone_; // left or removed: the Node keeps their last roster
    QList<QMetaObject::Connection> connections_;
};

} // namespace plenum::ui

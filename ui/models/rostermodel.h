#pragma once
// The members of one session as the roster strip shows them (docs/ui.md). Only committed
// rosters reach it, so a joiner appears once committed and never flickers; while an invitation
// is under way the inviter sees "Inviting Bob…" in pendingText instead.

#include "protocol/ids.h"
#include "protocol/messages.h"

#include <QAbstractListModel>
#include <QMetaObject>

namespace plenum::node {
class Node;
}

namespace plenum::ui {

class RosterModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString pendingText READ pendingText NOTIFY pendingTextChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        AccountRole,
        DeviceRole,
        DeviceClassRole,
        IsSmRole,
        IsMeRole,
        AvatarRole,
    };

    explicit RosterModel(QObject* parent = nullptr);

    // Follows `sid` on `node`; a null node or an unknown sid leaves the model empty.
    void setSession(node::Node* node, const SessionId& sid);
    // The avatar shown on this device's own row (a file: URL or "").
    void setMyAvatar(const QString& url);
    // The inviter's "Inviting Bob…" until Bob is committed or the invitation failed.
    void beginInvite(const AccountId& account, const QString& name);
    void endInvite(const AccountId& account);

    QString pendingText() const;
    int count() const { return int(rows_.size()); }
    QString nameOf(const DeviceId& device) const; // "" when not a member

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString deviceClassName(protocol::DeviceClass c);

Q_SIGNALS:
    void pendingTextChanged();
    void countChanged();

private:
    struct Row {
        protocol::MemberInfo member;
        bool isSm = false;
        bool isMe = false;
        QString avatar;
        bool operator==(const Row&) const = default;
    };

    void apply(const protocol::RosterSnapshot& roster);

    node::Node* node_ = nullptr;
    SessionId sid_;
    QList<Row> rows_;
    QString myAvatar_;
    QList<std::pair<AccountId, QString>> inviting_;
    QList<QMetaObject::Connection> connections_;
};

} // namespace plenum::ui

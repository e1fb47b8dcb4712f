#include "models/sessionsmodel.h"

#include "models/rowsync.h"
#include "node/node.h"

namespace plenum::ui {

SessionsModel::SessionsModel(QObject* parent) : QAbstractListModel(parent) {}

void SessionsModel::setNode(node::Node* node)
{
    for (const auto& c : connections_)
        disconnect(c);
    connections_.clear();
    node_ = node;
    gone_.clear();
    if (node_) {
        connections_.append(connect(node_, &node::Node::rosterChanged, this,
                                    [this](const SessionId& sid, const protocol::RosterSnapshot&) {
                                        gone_.remove(sid); // joined (again)
                                        refresh();
                                    }));
        connections_.append(connect(node_, &node::Node::left, this, [this](const SessionId& sid) {
            gone_.insert(sid);
            refresh();
        }));
        connections_.append(connect(node_, &node::Node::removed, this,
                                    [this](const SessionId& sid, bool rejoining) {
                                        if (!rejoining) gone_.insert(sid);
                                        refresh();
                                    }));
        connections_.append(connect(node_, &node::Node::chatReceived, this,
                                    [this](const SessionId& sid, const protocol::ChatMessage& m) {
                                        onChat(sid, node_->nameOf(m.author), m.text);
                                    }));
    }
    refresh();
}

void SessionsModel::refresh()
{
    QList<Row> next;
    if (node_)
        for (const SessionId& sid : node_->sessions()) {
            if (gone_.contains(sid)) continue;
            const auto roster = node_->roster(sid);
            if (!roster) continue;
            const bool member =
                std::any_of(roster->members.begin(), roster->members.end(),
                            [&](const auto& m) { return m.device == node_->device(); });
            if (!member) continue; // left, or not admitted yet
            Row r;
            r.sid = sid;
            QStringList names;
            for (const auto& m : roster->members)
                if (m.device != node_->device()) names.append(m.name);
            r.title = names.isEmpty() ? tr("Just you") : names.join(QStringLiteral(", "));
            r.memberCount = int(roster->members.size());
            if (const int i = indexOf(sid); i >= 0) {
                r.unread = rows_.at(i).unread;
                r.lastMessage = rows_.at(i).lastMessage;
            } else if (auto h = node_->history(sid, 1); h && !h->isEmpty()) {
                r.lastMessage = h->last().message.text;
            }
            next.append(r);
        }
    const int before = count();
    const int unread = totalUnread();
    RowSync::apply(
        rows_, next, [](const Row& r) { return r.sid; },
        {[this](int a, int b) { beginRemoveRows({}, a, b); }, [this] { endRemoveRows(); },
         [this](int a, int b) { beginInsertRows({}, a, b); }, [this] { endInsertRows(); },
         [this](int row) { Q_EMIT dataChanged(index(row), index(row)); }});
    if (count() != before) Q_EMIT countChanged();
    if (totalUnread() != unread) Q_EMIT totalUnreadChanged();
}

void SessionsModel::setCurrent(const SessionId& sid)
{
    const int old = indexOf(current_);
    current_ = sid;
    if (old >= 0) Q_EMIT dataChanged(index(old), index(old), {IsCurrentRole});
    if (const int i = indexOf(sid); i >= 0) {
        const bool hadUnread = rows_[i].unread > 0;
        rows_[i].unread = 0;
        Q_EMIT dataChanged(index(i), index(i), {IsCurrentRole, UnreadRole});
        if (hadUnread) Q_EMIT totalUnreadChanged();
    }
}

void SessionsModel::noteOwnMessage(const SessionId& sid, const QString& text)
{
    if (const int i = indexOf(sid); i >= 0) {
        rows_[i].lastMessage = text;
        Q_EMIT dataChanged(index(i), index(i), {LastMessageRole});
    }
}

void SessionsModel::onChat(const SessionId& sid, const QString& author, const QString& text)
{
    int i = indexOf(sid);
    if (i < 0) {
        refresh();
        i = indexOf(sid);
        if (i < 0) return;
    }
    Row& r = rows_[i];
    r.lastMessage = author.isEmpty() ? text : author + QStringLiteral(": ") + text;
    QList<int> roles{LastMessageRole};
    if (sid != current_) {
        ++r.unread;
        roles.append(UnreadRole);
    }
    Q_EMIT dataChanged(index(i), index(i), roles);
    if (sid != current_) Q_EMIT totalUnreadChanged();
}

int SessionsModel::totalUnread() const
{
    int n = 0;
    for (const Row& r : rows_)
        n += r.unread;
    return n;
}

int SessionsModel::unreadOf(const SessionId& sid) const
{
    const int i = indexOf(sid);
    return i < 0 ? 0 : rows_.at(i).unread;
}

int SessionsModel::indexOf(const SessionId& sid) const
{
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_.at(i).sid == sid) return i;
    return -1;
}

int SessionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant SessionsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case SidRole:
        return r.sid.toHex();
    case Qt::DisplayRole:
    case TitleRole:
        return r.title;
    case MemberCountRole:
        return r.memberCount;
    case UnreadRole:
        return r.unread;
    case IsCurrentRole:
        return r.sid == current_;
    case LastMessageRole:
        return r.lastMessage;
    }
    return {};
}

QHash<int, QByteArray> SessionsModel::roleNames() const
{
    return {{SidRole, "sid"},       {TitleRole, "title"},         {MemberCountRole, "memberCount"},
            {UnreadRole, "unread"}, {IsCurrentRole, "isCurrent"}, {LastMessageRole, "lastMessage"}};
}

} // namespace plenum::ui

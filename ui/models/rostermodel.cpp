#include "models/rostermodel.h"

#include "models/rowsync.h"
#include "node/node.h"
#include "protocol/deviceclass.h"

namespace plenum::ui {

RosterModel::RosterModel(QObject* parent) : QAbstractListModel(parent) {}

void RosterModel::setSession(node::Node* node, const SessionId& sid)
{
    for (const auto& c : connections_)
        disconnect(c);
    connections_.clear();
    node_ = node;
    sid_ = sid;
    if (!inviting_.isEmpty()) {
        inviting_.clear();
        Q_EMIT pendingTextChanged();
    }
    std::optional<protocol::RosterSnapshot> roster;
    if (node_) {
        roster = node_->roster(sid);
        connections_.append(connect(node_, &node::Node::rosterChanged, this,
                                    [this](const SessionId& s, const protocol::RosterSnapshot& r) {
                                        if (s == sid_) apply(r);
                                    }));
        connections_.append(connect(node_, &node::Node::inviteResult, this,
                                    [this](const SessionId& s, const AccountId& account,
                                           const DeviceId&, int, const QString&) {
                                        if (s == sid_) endInvite(account);
                                    }));
    }
    // A different session is a different list: reset rather than diff against the old one.
    beginResetModel();
    rows_.clear();
    endResetModel();
    apply(roster.value_or(protocol::RosterSnapshot{}));
    Q_EMIT countChanged();
}

void RosterModel::apply(const protocol::RosterSnapshot& roster)
{
    QList<Row> next;
    for (const auto& m : roster.members) {
        Row r;
        r.member = m;
        r.isSm = m.device == roster.sm;
        r.isMe = node_ && m.device == node_->device();
        r.avatar = r.isMe ? myAvatar_ : QString();
        next.append(r);
        endInvite(m.account);
    }
    const int before = count();
    RowSync::apply(
        rows_, next, [](const Row& r) { return r.member.device; },
        {[this](int a, int b) { beginRemoveRows({}, a, b); }, [this] { endRemoveRows(); },
         [this](int a, int b) { beginInsertRows({}, a, b); }, [this] { endInsertRows(); },
         [this](int row) { Q_EMIT dataChanged(index(row), index(row)); }});
    if (count() != before) Q_EMIT countChanged();
}

void RosterModel::setMyAvatar(const QString& url)
{
    myAvatar_ = url;
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_[i].isMe && rows_[i].avatar != url) {
            rows_[i].avatar = url;
            Q_EMIT dataChanged(index(i), index(i), {AvatarRole});
        }
}

void RosterModel::beginInvite(const AccountId& account, const QString& name)
{
    endInvite(account);
    inviting_.append({account, name});
    Q_EMIT pendingTextChanged();
}

void RosterModel::endInvite(const AccountId& account)
{
    const auto n = inviting_.removeIf([&](const auto& p) { return p.first == account; });
    if (n > 0) Q_EMIT pendingTextChanged();
}

QString RosterModel::pendingText() const
{
    if (inviting_.isEmpty()) return {};
    QStringList names;
    for (const auto& p : inviting_)
        names.append(p.second);
    return tr("Inviting %1…").arg(names.join(QStringLiteral(", ")));
}

QString RosterModel::nameOf(const DeviceId& device) const
{
    for (const Row& r : rows_)
        if (r.member.device == device) return r.member.name;
    return {};
}

int RosterModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant RosterModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return r.member.name;
    case AccountRole:
        return r.member.account.toHex();
    case DeviceRole:
        return r.member.device.toHex();
    case DeviceClassRole:
        return deviceClassName(r.member.deviceClass);
    case IsSmRole:
        return r.isSm;
    case IsMeRole:
        return r.isMe;
    case AvatarRole:
        return r.avatar;
    }
    return {};
}

QHash<int, QByteArray> RosterModel::roleNames() const
{
    return {{NameRole, "name"},     {AccountRole, "account"},
            {DeviceRole, "device"}, {DeviceClassRole, "deviceClass"},
            {IsSmRole, "isSm"},     {IsMeRole, "isMe"},
            {AvatarRole, "avatar"}};
}

QString RosterModel::deviceClassName(protocol::DeviceClass c)
{
    // The views have icons for phone, laptop and desktop; a wired device looks like a desktop.
    return c == protocol::DeviceClass::Wired ? QStringLiteral("desktop")
                                             : protocol::deviceClassName(c);
}

} // namespace plenum::ui

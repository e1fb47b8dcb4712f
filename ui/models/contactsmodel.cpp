#include "models/contactsmodel.h"

#include "identity/plenumlink.h"
#include "models/rowsync.h"
#include "node/node.h"

namespace plenum::ui {

ContactsModel::ContactsModel(QObject* parent) : QAbstractListModel(parent) {}

void ContactsModel::setNode(node::Node* node)
{
    for (const auto& c : connections_)
        disconnect(c);
    connections_.clear();
    node_ = node;
    if (node_) {
        connections_.append(
            connect(node_, &node::Node::contactsChanged, this, &ContactsModel::refresh));
        connections_.append(connect(node_, &node::Node::presenceChanged, this,
                                    [this](const AccountId&, const QString&) { refresh(); }));
    }
    refresh();
}

void ContactsModel::refresh()
{
    QList<Row> next;
    if (node_)
        for (const auto& c : node_->contacts().all()) {
            Row r;
            r.account = c.account;
            r.name = c.displayName.isEmpty() ? node_->nameOf(c.account) : c.displayName;
            r.presence = c.blocked ? QStringLiteral("offline") : node_->presenceOf(c.account);
            for (const DeviceId& d : node_->devicesOf(c.account))
                r.devices.append(d.shortHex());
            r.blocked = c.blocked;
            next.append(r);
        }
    const int before = count();
    RowSync::apply(
        rows_, next, [](const Row& r) { return r.account; },
        {[this](int a, int b) { beginRemoveRows({}, a, b); }, [this] { endRemoveRows(); },
         [this](int a, int b) { beginInsertRows({}, a, b); }, [this] { endInsertRows(); },
         [this](int row) { Q_EMIT dataChanged(index(row), index(row)); }});
    if (count() != before) Q_EMIT countChanged();
}

int ContactsModel::rowOf(const QString& accountHex) const
{
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_.at(i).account.toHex() == accountHex) return i;
    return -1;
}

int ContactsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant ContactsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case AccountRole:
        return r.account.toHex();
    case Qt::DisplayRole:
    case NameRole:
        return r.name;
    case PresenceRole:
        return r.presence;
    case DevicesRole:
        return r.devices;
    case BlockedRole:
        return r.blocked;
    case LinkRole:
        return identity::PlenumLink{r.account, r.name}.toString();
    }
    return {};
}

QHash<int, QByteArray> ContactsModel::roleNames() const
{
    return {{AccountRole, "account"}, {NameRole, "name"},       {PresenceRole, "presence"},
            {DevicesRole, "devices"}, {BlockedRole, "blocked"}, {LinkRole, "link"}};
}

} // namespace plenum::ui

#include "models/devicesmodel.h"

#include "models/rostermodel.h"
#include "models/rowsync.h"
#include "node/node.h"

namespace plenum::ui {

DevicesModel::DevicesModel(QObject* parent) : QAbstractListModel(parent) {}

void DevicesModel::setNode(node::Node* node)
{
    disconnect(connection_);
    disconnect(presenceConnection_);
    node_ = node;
    if (node_) {
        connection_ = connect(node_, &node::Node::devicesChanged, this, &DevicesModel::refresh);
        // Our other devices' presence tells their class.
        presenceConnection_ =
            connect(node_, &node::Node::presenceChanged, this, [this](const AccountId& a) {
                if (node_ && a == node_->account()) refresh();
            });
    }
    refresh();
}

void DevicesModel::refresh()
{
    QList<Row> next;
    const QList<DeviceId> online = node_ ? node_->myOnlineDevices() : QList<DeviceId>{};
    if (node_)
        for (const auto& d : node_->myDevices()) {
            Row r;
            r.device = d.id;
            r.name = d.name.isEmpty() ? d.id.shortHex() : d.name;
            r.isThis = d.id == node_->device();
            r.online = r.isThis || online.contains(d.id);
            // Another device's class is known once its presence is seen (the views show an
            // unknown one as a desktop).
            const auto cls = node_->deviceClassOf(d.id);
            r.deviceClass =
                RosterModel::deviceClassName(cls.value_or(protocol::DeviceClass::Desktop));
            next.append(r);
        }
    const int before = count();
    RowSync::apply(
        rows_, next, [](const Row& r) { return r.device; },
        {[this](int a, int b) { beginRemoveRows({}, a, b); }, [this] { endRemoveRows(); },
         [this](int a, int b) { beginInsertRows({}, a, b); }, [this] { endInsertRows(); },
         [this](int row) { Q_EMIT dataChanged(index(row), index(row)); }});
    if (count() != before) Q_EMIT countChanged();
}

int DevicesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant DevicesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case DeviceRole:
        return r.device.toHex();
    case Qt::DisplayRole:
    case NameRole:
        return r.name;
    case DeviceClassRole:
        return r.deviceClass;
    case IsThisDeviceRole:
        return r.isThis;
    case IsOnlineRole:
        return r.online;
    }
    return {};
}

QHash<int, QByteArray> DevicesModel::roleNames() const
{
    return {{DeviceRole, "device"},
            {NameRole, "name"},
            {DeviceClassRole, "deviceClass"},
            {IsThisDeviceRole, "isThisDevice"},
            {IsOnlineRole, "isOnline"}};
}

} // namespace plenum::ui

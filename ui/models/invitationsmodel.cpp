#include "models/invitationsmodel.h"

namespace plenum::ui {

InvitationsModel::InvitationsModel(QObject* parent) : QAbstractListModel(parent) {}

void InvitationsModel::add(const SessionId& sid, const DeviceId& from, const QString& fromName,
                           const AccountId& fromAccount, Kind kind, const QString& referrer)
{
    const Row r{sid, from, fromName, fromAccount, kind, referrer};
    if (const int i = indexOf(sid); i >= 0) {
        rows_[i] = r;
        Q_EMIT dataChanged(index(i), index(i));
        return;
    }
    beginInsertRows({}, int(rows_.size()), int(rows_.size()));
    rows_.append(r);
    endInsertRows();
    Q_EMIT countChanged();
}

bool InvitationsModel::remove(const SessionId& sid)
{
    const int i = indexOf(sid);
    if (i < 0) return false;
    beginRemoveRows({}, i, i);
    rows_.removeAt(i);
    endRemoveRows();
    Q_EMIT countChanged();
    return true;
}

QString InvitationsModel::fromNameOf(const SessionId& sid) const
{
    const int i = indexOf(sid);
    return i < 0 ? QString() : rows_.at(i).fromName;
}

int InvitationsModel::indexOf(const SessionId& sid) const
{
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_.at(i).sid == sid) return i;
    return -1;
}

int InvitationsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant InvitationsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case SidRole:
        return r.sid.toHex();
    case Qt::DisplayRole:
    case FromNameRole:
        return r.fromName;
    case FromAccountRole:
        return r.fromAccount == AccountId{} ? QString() : r.fromAccount.toHex();
    case FromDeviceRole:
        return r.from.toHex();
    case IsHandoffRole:
        return r.kind == Kind::Handoff;
    case ReferrerRole:
        return r.referrer;
    }
    return {};
}

QHash<int, QByteArray> InvitationsModel::roleNames() const
{
    return {{SidRole, "sid"},
            {FromNameRole, "fromName"},
            {FromAccountRole, "fromAccount"},
            {FromDeviceRole, "fromDevice"},
            {IsHandoffRole, "isHandoff"},
            {ReferrerRole, "referrer"}};
}

} // namespace plenum::ui

#include "models/callmodel.h"

#include "models/rowsync.h"
#include "node/node.h"

#include <algorithm>
#include <cmath>

namespace plenum::ui {

CallModel::CallModel(QObject* parent) : QAbstractListModel(parent)
{
    speakingTimer_.setInterval(kSpeakingRefreshMs);
    connect(&speakingTimer_, &QTimer::timeout, this, &CallModel::refresh);
}

void CallModel::setSession(node::Node* node, const SessionId& sid)
{
    for (const auto& c : connections_)
        disconnect(c);
    connections_.clear();
    node_ = node;
    sid_ = sid;
    if (node_)
        connections_.append(
            connect(node_, &node::Node::callChanged, this, [this](const SessionId& s) {
                if (s == sid_) refresh();
            }));
    beginResetModel();
    rows_.clear();
    endResetModel();
    refresh();
}

void CallModel::refresh()
{
    QList<Row> next;
    if (node_ && !sid_.isNull())
        for (const auto& m : node_->callMembers(sid_))
            next.append({m.device, m.name, m.self, m.muted, m.deafened, m.speaking,
                         levelFromDb(m.levelDb)});
    const bool in = node_ && node_->activeCall() == sid_ && !sid_.isNull();
    const bool muted = node_ && node_->muted();
    const bool deafened = node_ && node_->deafened();
    const bool flags = in != inCall_ || muted != muted_ || deafened != deafened_;
    const int before = count();
    inCall_ = in;
    muted_ = muted;
    deafened_ = deafened;
    RowSync::apply(
        rows_, next, [](const Row& r) { return r.device; },
        {[this](int a, int b) { beginRemoveRows({}, a, b); }, [this] { endRemoveRows(); },
         [this](int a, int b) { beginInsertRows({}, a, b); }, [this] { endInsertRows(); },
         [this](int row) { Q_EMIT dataChanged(index(row), index(row)); }});
    // The speaking rings follow the audio only while this device hears the call.
    if (inCall_ && !speakingTimer_.isActive())
        speakingTimer_.start();
    else if (!inCall_)
        speakingTimer_.stop();
    if (flags || count() != before) Q_EMIT changed();
}

int CallModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant CallModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case NameRole:
        return r.name;
    case DeviceRole:
        return r.device.toHex();
    case IsMeRole:
        return r.isMe;
    case MutedRole:
        return r.muted;
    case DeafenedRole:
        return r.deafened;
    case SpeakingRole:
        return r.speaking;
    case LevelRole:
        return r.level;
    }
    return {};
}

QHash<int, QByteArray> CallModel::roleNames() const
{
    return {{NameRole, "name"},   {DeviceRole, "device"},     {IsMeRole, "isMe"},
            {MutedRole, "muted"}, {DeafenedRole, "deafened"}, {SpeakingRole, "speaking"},
            {LevelRole, "level"}};
}

double CallModel::levelFromDb(double db)
{
    // Steps of 1/30 (2 dB): the meter moves visibly, and a level that only wobbles within a
    // step does not refresh the bar five times a second.
    const double x = std::clamp((db + 60.0) / 60.0, 0.0, 1.0);
    return std::round(x * 30.0) / 30.0;
}

} // namespace plenum::ui

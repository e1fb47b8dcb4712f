#include "models/audiodevicemodel.h"

#ifdef PLENUM_HAVE_QT_MULTIMEDIA
#include <QAudioDevice>
#include <QMediaDevices>
#endif

namespace plenum::ui {

AudioDeviceModel::AudioDeviceModel(Kind kind, QObject* parent)
    : QAbstractListModel(parent), kind_(kind)
{
    rows_.append({{}, tr("System default"), false});
#ifdef PLENUM_HAVE_QT_MULTIMEDIA
    devices_ = new QMediaDevices(this);
    connect(devices_,
            kind_ == Kind::Input ? &QMediaDevices::audioInputsChanged
                                 : &QMediaDevices::audioOutputsChanged,
            this, &AudioDeviceModel::refresh);
#endif
    refresh();
}

void AudioDeviceModel::refresh()
{
    QList<Row> devices;
#ifdef PLENUM_HAVE_QT_MULTIMEDIA
    const QList<QAudioDevice> list =
        kind_ == Kind::Input ? QMediaDevices::audioInputs() : QMediaDevices::audioOutputs();
    for (const QAudioDevice& d : list)
        devices.append({d.id(), d.description(), d.isDefault()});
#endif
    setDevices(devices);
}

void AudioDeviceModel::setDevices(const QList<Row>& devices)
{
    const QByteArray before = currentId();
    beginResetModel();
    rows_.resize(1);
    rows_.append(devices);
    endResetModel();
    const int row = rowOf(preferred_);
    const bool moved = row != current_;
    current_ = row;
    if (moved) Q_EMIT currentChanged();
    if (currentId() != before) Q_EMIT deviceChanged();
}

int AudioDeviceModel::rowOf(const QByteArray& id) const
{
    for (int i = 1; i < rows_.size(); ++i)
        if (!id.isEmpty() && rows_[i].id == id) return i;
    return 0;
}

void AudioDeviceModel::select(int row)
{
    if (row == current_) return;
    const QByteArray before = currentId();
    current_ = row;
    Q_EMIT currentChanged();
    if (currentId() != before) Q_EMIT deviceChanged();
}

void AudioDeviceModel::setCurrentIndex(int row)
{
    if (row < 0 || row >= rows_.size()) return;
    select(row);
    if (rows_[row].id == preferred_) return;
    preferred_ = rows_[row].id;
    Q_EMIT preferredChanged(preferred_);
}

void AudioDeviceModel::setPreferredId(const QByteArray& id)
{
    preferred_ = id;
    select(rowOf(id));
}

int AudioDeviceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant AudioDeviceModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const Row& r = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return r.isSystemDefault ? tr("%1 (system default)").arg(r.name) : r.name;
    case IdRole:
        return QString::fromUtf8(r.id);
    case IsSystemDefaultRole:
        return r.isSystemDefault;
    }
    return {};
}

QHash<int, QByteArray> AudioDeviceModel::roleNames() const
{
    return {{NameRole, "name"}, {IdRole, "deviceId"}, {IsSystemDefaultRole, "isSystemDefault"}};
}

} // namespace plenum::ui

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
    const QByteArray chosen = currentId();
    beginResetModel();
    rows_.resize(1);
    rows_.append(devices);
    endResetModel();
    int row = 0;
    for (int i = 1; i < rows_.size(); ++i)
        if (!chosen.isEmpty() && rows_[i].id == chosen) row = i;
    const bool moved = row != current_;
    current_ = row;
    if (moved) Q_EMIT currentChanged();
    if (currentId() != chosen) Q_EMIT deviceChanged();
}

void AudioDeviceModel::setCurrentIndex(int row)
{
    if (row < 0 || row >= rows_.size() || row == current_) return;
    const QByteArray chosen = currentId();
    current_ = row;
    Q_EMIT currentChanged();
    if (currentId() != chosen) Q_EMIT deviceChanged();
}

void AudioDeviceModel::setCurrentId(const QByteArray& id)
{
    int row = 0;
    for (int i = 1; i < rows_.size(); ++i)
        if (rows_[i].id == id) row = i;
    setCurrentIndex(row);
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

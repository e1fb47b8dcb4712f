#pragma once
// This account's devices (Settings → devices): pair a new one, revoke one (docs/ui.md).

#include "protocol/ids.h"

#include <QAbstractListModel>
#include <QMetaObject>

namespace plenum::node {
class Node;
}

namespace plenum::ui {

class DevicesModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        DeviceRole = Qt::UserRole + 1,
        NameRole,
        DeviceClassRole,
        IsThisDeviceRole,
        IsOnlineRole, // its presence is live (a hand-off can go there)
    };

    explicit DevicesModel(QObject* parent = nullptr);

    void setNode(node::Node* node);
    void refresh();
    int count() const { return int(rows_.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    struct Row {
        DeviceId device;
        QString name;
        QString deviceClass;
        bool isThis = false;
        bool online = false;
        bool operator==(const Row&) const = default;
    };

    node::Node* node_ = nullptr;
    QList<Row> rows_;
    QMetaObject::Connection connection_;
    QMetaObject::Connection presenceConnection_;
};

} // namespace plenum::ui

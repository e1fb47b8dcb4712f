#pragma once
// This account's contacts with presence, devices and blocking (docs/ui.md). Refreshed from the
// Node when its contact list or a contact's presence changes; rows keep their place.

#include "protocol/ids.h"

#include <QAbstractListModel>
#include <QMetaObject>
#include <QStringList>

namespace plenum::node {
class Node;
}

namespace plenum::ui {

class ContactsModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        AccountRole = Qt::UserRole + 1,
        NameRole,
        PresenceRole,
        DevicesRole,
        BlockedRole,
        LinkRole,
    };

    explicit ContactsModel(QObject* parent = nullptr);

    void setNode(node::Node* node);
    void refresh();

    int count() const { return int(rows_.size()); }
    // The row of `account`, -1 when it is not a contact.
    int rowOf(const QString& accountHex) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    struct Row {
        AccountId account;
        QString name;
        QString presence;
        QStringList devices;
        bool blocked = false;
        bool operator==(const Row&) const = default;
    };

    node::Node* node_ = nullptr;
    QList<Row> rows_;
    QList<QMetaObject::Connection> connections_;
};

} // namespace plenum::ui

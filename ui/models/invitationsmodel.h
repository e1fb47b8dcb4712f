#pragma once
// Incoming invitations waiting for accept or decline (docs/ui.md). An invitation goes away
// when answered, when the session is joined (another of our devices may have accepted), or
// when the inviter cancels. A hand-off offer from another device of ours ("Continue here?")
// waits here too, as its own kind.

#include "protocol/ids.h"

#include <QAbstractListModel>

namespace plenum::ui {

class InvitationsModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        SidRole = Qt::UserRole + 1,
        FromNameRole,
        FromAccountRole,
        FromDeviceRole,
        IsHandoffRole,
        ReferrerRole, // the member that asked the inviter (its own signed word), or empty
    };
    enum class Kind { Invitation, Handoff };

    explicit InvitationsModel(QObject* parent = nullptr);

    // A second invitation to the same session replaces the first.
    void add(const SessionId& sid, const DeviceId& from, const QString& fromName,
             const AccountId& fromAccount = {}, Kind kind = Kind::Invitation,
             const QString& referrer = {});
    bool remove(const SessionId& sid);
    bool contains(const SessionId& sid) const { return indexOf(sid) >= 0; }
    QString fromNameOf(const SessionId& sid) const;

    int count() const { return int(rows_.size()); }
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    struct Row {
        SessionId sid;
        DeviceId from;
        QString fromName;
        AccountId fromAccount; // zero when the invitation did not name it
        Kind kind = Kind::Invitation;
        QString referrer;
    };
    int indexOf(const SessionId& sid) const;

    QList<Row> rows_;
};

} // namespace plenum::ui

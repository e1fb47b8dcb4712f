#pragma once
// The current session's call as the call bar shows it (docs/media.md "Call control"): who is
// in it, muted, deafened and speaking, and whether this device is in it. Refreshed on every
// call change of the Node and, while anyone speaks in a call this device is in, five times a
// second for the speaking rings.

#include "protocol/ids.h"

#include <QAbstractListModel>
#include <QMetaObject>
#include <QTimer>

namespace plenum::node {
class Node;
}

namespace plenum::ui {

class CallModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY changed)
    Q_PROPERTY(bool inCall READ inCall NOTIFY changed)
    Q_PROPERTY(bool muted READ muted NOTIFY changed)
    Q_PROPERTY(bool deafened READ deafened NOTIFY changed)
public:
    static constexpr int kSpeakingRefreshMs = 100; // rings and level meters

    enum Role {
        NameRole = Qt::UserRole + 1,
        DeviceRole,
        IsMeRole,
        MutedRole,
        DeafenedRole,
        SpeakingRole,
        LevelRole, // 0..1: -60 dBFS (or silence) to 0 dBFS, for the level meter
    };
    static double levelFromDb(double db);

    explicit CallModel(QObject* parent = nullptr);

    void setSession(node::Node* node, const SessionId& sid);
    void refresh();

    int count() const { return int(rows_.size()); }
    bool inCall() const { return inCall_; }
    bool muted() const { return muted_; }
    bool deafened() const { return deafened_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void changed();

private:
    struct Row {
        DeviceId device;
        QString name;
        bool isMe = false;
        bool muted = false;
        bool deafened = false;
        bool speaking = false;
        double level = 0;
        bool operator==(const Row&) const = default;
    };

    node::Node* node_ = nullptr;
    SessionId sid_;
    QList<Row> rows_;
    bool inCall_ = false;
    bool muted_ = false;
    bool deafened_ = false;
    QTimer speakingTimer_;
    QList<QMetaObject::Connection> connections_;
};

} // namespace plenum::ui

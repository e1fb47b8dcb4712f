#pragma once
// The call bar's device picker (DESIGN §7): the system's microphones or speakers from Qt
// Multimedia (QMediaDevices), with "System default" first. Row 0 (an empty id) follows the
// system's default as it changes; the list refreshes on hot-plug, and a chosen device that
// disappears falls back to row 0 until it comes back (the choice is the person's, kept in the
// settings: a headset unplugged for a moment is chosen again when it returns).

#include <QAbstractListModel>
#include <QByteArray>

class QMediaDevices;

namespace plenum::ui {

class AudioDeviceModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int currentIndex READ currentIndex WRITE setCurrentIndex NOTIFY currentChanged)
    Q_PROPERTY(QString currentName READ currentName NOTIFY currentChanged)
public:
    enum class Kind { Input, Output };
    enum Role { NameRole = Qt::UserRole + 1, IdRole, IsSystemDefaultRole };

    explicit AudioDeviceModel(Kind kind, QObject* parent = nullptr);

    // Empty: follow the system default.
    QByteArray currentId() const { return rows_.value(current_).id; }
    int currentIndex() const { return current_; }
    // The person picks a row (the picker): that device becomes the preferred one.
    void setCurrentIndex(int row);
    QString currentName() const { return rows_.value(current_).name; }
    // The saved choice: chosen whenever it is plugged in, row 0 while it is not.
    void setPreferredId(const QByteArray& id);
    QByteArray preferredId() const { return preferred_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The rows as a list of (id, name) after "System default": for tests and refresh().
    struct Row {
        QByteArray id;
        QString name;
        bool isSystemDefault = false; // the device the system uses by default (not row 0)
    };
    void setDevices(const QList<Row>& devices);

Q_SIGNALS:
    // The chosen row moved (hot-plug) or changed: for the picker's binding.
    void currentChanged();
    // The chosen device itself changed: the user chose another one, or the chosen one
    // disappeared (then row 0, the system default, is chosen). The running call follows this.
    void deviceChanged();
    // The person picked another device in the picker (to be saved).
    void preferredChanged(const QByteArray& id);

private:
    void refresh();
    void select(int row);
    int rowOf(const QByteArray& id) const; // 0 when absent

    Kind kind_;
    QMediaDevices* devices_ = nullptr;
    QList<Row> rows_; // rows_[0] is "System default"
    int current_ = 0;
    QByteArray preferred_; // empty: the system default
};

} // namespace plenum::ui

#pragma once
// Finding things in a running Qt Quick scene by objectName, and telling a real screenshot from
// a blank one. Used by the screenshot test.

#include <QAbstractItemModel>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QString>
#include <QVariant>

namespace plenum::ui::test {

// The first object called `name` under the window: visual items (delegates and popups
// included) and plain QObject children alike. Null when there is none.
QObject* findByName(QQuickWindow* window, const QString& name);
// Like findByName, but only an item the person can see (visible all the way up).
QQuickItem* findVisibleItem(QQuickWindow* window, const QString& name);
// Every visible item called `name`.
QList<QQuickItem*> findVisibleItems(QQuickWindow* window, const QString& name);

// The share of sampled pixels that have the most common colour (1.0 = one flat colour).
double dominantColourShare(const QImage& image);

// A role of a list model by its QML name ("delivery"), for checking what the views show.
QVariant roleValue(const QAbstractItemModel* model, int row, const QByteArray& role);

} // namespace plenum::ui::test

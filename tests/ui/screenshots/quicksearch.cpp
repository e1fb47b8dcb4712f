#include "quicksearch.h"

#include <QHash>

namespace plenum::ui::test {

namespace {

void collect(QObject* object, const QString& name, QList<QObject*>& out, QSet<QObject*>& seen)
{
    if (!object || seen.contains(object)) return;
    seen.insert(object);
    if (object->objectName() == name) out.append(object);
    if (auto* item = qobject_cast<QQuickItem*>(object))
        for (QQuickItem* child : item->childItems())
            collect(child, name, out, seen);
    for (QObject* child : object->children())
        collect(child, name, out, seen);
}

QList<QObject*> findAll(QQuickWindow* window, const QString& name)
{
    QList<QObject*> out;
    QSet<QObject*> seen;
    // The root item holds the content and the overlay where popups live.
    QQuickItem* root = window->contentItem();
    while (root && root->parentItem())
        root = root->parentItem();
    collect(root, name, out, seen);
    collect(window, name, out, seen);
    return out;
}

} // namespace

QObject* findByName(QQuickWindow* window, const QString& name)
{
    const QList<QObject*> all = findAll(window, name);
    return all.isEmpty() ? nullptr : all.first();
}

QList<QQuickItem*> findVisibleItems(QQuickWindow* window, const QString& name)
{
    QList<QQuickItem*> out;
    for (QObject* object : findAll(window, name)) {
        auto* item = qobject_cast<QQuickItem*>(object);
        if (item && item->isVisible() && item->opacity() > 0 && item->width() > 0) out.append(item);
    }
    return out;
}

QQuickItem* findVisibleItem(QQuickWindow* window, const QString& name)
{
    const QList<QQuickItem*> all = findVisibleItems(window, name);
    return all.isEmpty() ? nullptr : all.first();
}

double dominantColourShare(const QImage& image)
{
    if (image.isNull()) return 1.0;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    QHash<QRgb, int> counts;
    int samples = 0;
    for (int y = 0; y < rgb.height(); y += 3)
        for (int x = 0; x < rgb.width(); x += 3) {
            ++counts[rgb.pixel(x, y)];
            ++samples;
        }
    int top = 0;
    for (int c : counts)
        top = std::max(top, c);
    return samples ? double(top) / samples : 1.0;
}

QVariant roleValue(const QAbstractItemModel* model, int row, const QByteArray& role)
{
    const auto names = model->roleNames();
    for (auto it = names.begin(); it != names.end(); ++it)
        if (it.value() == role) return model->data(model->index(row, 0), it.key());
    return {};
}

} // namespace plenum::ui::test

#pragma once
// Brings a model's rows to a new list with the fewest row signals: rows whose key is gone are
// removed, rows whose content changed get dataChanged, new keys are appended. Existing rows
// keep their place, so a view never flickers or loses its scroll position on a refresh.

#include <QAbstractListModel>
#include <QList>

#include <algorithm>
#include <functional>

namespace plenum::ui {

class RowSync {
public:
    // The protected QAbstractItemModel calls, handed in by the model (lambdas in its members).
    struct Signals {
        std::function<void(int first, int last)> beginRemove;
        std::function<void()> endRemove;
        std::function<void(int first, int last)> beginInsert;
        std::function<void()> endInsert;
        std::function<void(int row)> changed;
    };

    template <typename Row, typename KeyFn>
    static void apply(QList<Row>& rows, const QList<Row>& next, KeyFn key, const Signals& s)
    {
        for (int i = int(rows.size()) - 1; i >= 0; --i) {
            const auto k = key(rows.at(i));
            const bool kept =
                std::any_of(next.begin(), next.end(), [&](const Row& r) { return key(r) == k; });
            if (kept) continue;
            s.beginRemove(i, i);
            rows.removeAt(i);
            s.endRemove();
        }
        for (const Row& r : next) {
            const auto k = key(r);
            const auto it =
                std::find_if(rows.begin(), rows.end(), [&](const Row& o) { return key(o) == k; });
            if (it != rows.end()) {
                if (!(*it == r)) {
                    *it = r;
                    s.changed(int(it - rows.begin()));
                }
                continue;
            }
            const int at = int(rows.size());
            s.beginInsert(at, at);
            rows.append(r);
            s.endInsert();
        }
    }
};

} // namespace plenum::ui

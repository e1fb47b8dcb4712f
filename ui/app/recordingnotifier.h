#pragma once
// A Notifier that only remembers what it was asked to show (tests, and --demo's smoke test).

#include "app/notifier.h"

#include <QList>
#include <QPair>

namespace plenum::ui {

class RecordingNotifier : public Notifier {
public:
    void show(const QString& title, const QString& body) override { shown.append({title, body}); }
    QList<QPair<QString, QString>> shown;
};

} // namespace plenum::ui

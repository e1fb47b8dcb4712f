#pragma once
// SIGTERM and SIGINT become a normal Quit (BYE to every group, demo peers stopped, temporary
// files removed) instead of an abrupt exit. The handler only writes a byte to a socket pair;
// the Qt side reads it on the event loop (the classic self-pipe pattern).

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace plenum::ui {

class UnixSignalQuit : public QObject {
    Q_OBJECT
public:
    explicit UnixSignalQuit(QObject* parent = nullptr);
    ~UnixSignalQuit() override;

Q_SIGNALS:
    void quitRequested();

private:
    std::unique_ptr<QSocketNotifier> notifier_;
};

} // namespace plenum::ui

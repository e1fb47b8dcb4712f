#pragma once
// In-process signaling for tests: endpoints joined with connectTo() deliver to each other on
// the next event-loop turn (never synchronously, like a real network).

#include "net/signaling.h"

#include <QHash>
#include <QPointer>

namespace plenum::net {

class LoopSignaling : public Signaling {
    Q_OBJECT
public:
    explicit LoopSignaling(const DeviceId& self, QObject* parent = nullptr);
    DeviceId self() const { return self_; }
    // Makes `a` and `b` reachable from each other.
    static void connectPair(LoopSignaling* a, LoopSignaling* b);
    void send(const DeviceId& to, const QByteArray& bytes) override;
    int sentCount() const { return sent_; }
    int droppedCount() const { return dropped_; }

private:
    DeviceId self_;
    QHash<DeviceId, QPointer<LoopSignaling>> peers_;
    int sent_ = 0;
    int dropped_ = 0;
};

} // namespace plenum::net

#pragma once
// The GUI side of a hand-off (DESIGN §8, docs/handoff.md): "Send to…" a device of mine on
// the device that has the conversation (A1), "Continue here" on the one that is offered it
// (A2, shown as a banner with the invitations), and what happened in words on both. QML sees
// it as `app.handoff`; the AppController gives it the current session and a toast.

#include "models/invitationsmodel.h"
#include "protocol/ids.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace plenum::node {
class Node;
}

namespace plenum::ui {

class HandoffController : public QObject {
    Q_OBJECT
    // A hand-off of the open conversation is under way (the "Send to…" menu is disabled).
    Q_PROPERTY(bool busy READ busy NOTIFY changed)
    // What is happening, for the session toolbar ("Sending to Alice's phone…"), or "".
    Q_PROPERTY(QString status READ status NOTIFY changed)
public:
    struct Hooks {
        std::function<std::optional<SessionId>()> currentSession;
        std::function<void(const QString&)> toast;
        std::function<void(const SessionId&)> open;  // A2: the conversation is here now
        std::function<void(const SessionId&)> close; // A1: it moved away
        std::function<void(const QString&, const QString&)> notify; // title, body
    };

    HandoffController(InvitationsModel& invitations, Hooks hooks, QObject* parent = nullptr);

    void setNode(node::Node* node);
    bool busy() const { return !pending_.isEmpty(); }
    QString status() const { return status_; }

    // A1: hands the open conversation to `deviceHex` (one of this account's devices).
    Q_INVOKABLE void sendTo(const QString& deviceHex);
    // A1: hands the session `sidHex` to `deviceHex` (a session dragged onto a device).
    Q_INVOKABLE void sendSession(const QString& sidHex, const QString& deviceHex);
    // A2: the user's answer to an offer (the banner's "Continue here" / "Not now").
    Q_INVOKABLE void answer(const QString& sidHex, bool accept);
    // The lock rule: hands the open conversation to this account's phone that is online (the
    // first one its presence lists); false when there is no open conversation or no such phone.
    bool offerToPhone();
    // A1: stop a hand-off of the open conversation that has not completed.
    Q_INVOKABLE void cancel();

    // The name of one of this account's devices ("phone" when it has none).
    QString deviceName(const DeviceId& device) const;

Q_SIGNALS:
    void changed();

private:
    void onOffered(const SessionId& sid, const DeviceId& from);
    void onResumed(const SessionId& sid, const DeviceId& device);
    void onDone(const SessionId& sid, const DeviceId& device, bool pushed);
    void onFailed(const SessionId& sid, const DeviceId& device, bool pushed, const QString& why);
    void setStatus(const QString& text);

    InvitationsModel& invitations_;
    Hooks hooks_;
    QPointer<node::Node> node_;
    QList<SessionId> pending_; // A1: pushes under way
    QString status_;
};

} // namespace plenum::ui

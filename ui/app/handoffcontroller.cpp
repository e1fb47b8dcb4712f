#include "app/handoffcontroller.h"

#include "node/node.h"

namespace plenum::ui {

HandoffController::HandoffController(InvitationsModel& invitations, Hooks hooks, QObject* parent)
    : QObject(parent), invitations_(invitations), hooks_(std::move(hooks))
{
}

void HandoffController::setNode(node::Node* node)
{
    if (node_) disconnect(node_, nullptr, this, nullptr);
    node_ = node;
    pending_.clear();
    setStatus({});
    if (!node) return;
    connect(node, &node::Node::handoffOffered, this, &HandoffController::onOffered);
    connect(node, &node::Node::handoffDone, this, &HandoffController::onDone);
    connect(node, &node::Node::handoffResumed, this, &HandoffController::onResumed);
    connect(node, &node::Node::handoffFailed, this, &HandoffController::onFailed);
}

QString HandoffController::deviceName(const DeviceId& device) const
{
    if (node_)
        for (const auto& d : node_->myDevices())
            if (d.id == device && !d.name.isEmpty()) return d.name;
    return tr("your other device");
}

void HandoffController::setStatus(const QString& text)
{
    status_ = text;
    Q_EMIT changed();
}

void HandoffController::sendTo(const QString& deviceHex)
{
    const auto sid = hooks_.currentSession ? hooks_.currentSession() : std::nullopt;
    if (sid) sendSession(sid->toHex(), deviceHex);
}

void HandoffController::sendSession(const QString& sidHex, const QString& deviceHex)
{
    const auto sid = SessionId::fromHex(sidHex);
    const auto device = DeviceId::fromHex(deviceHex);
    if (!node_ || !sid || !device || pending_.contains(*sid)) return;
    if (auto s = node_->handoffPush(*sid, *device); !s) {
        hooks_.toast(tr("The conversation could not be sent: %1").arg(s.error()));
        return;
    }
    pending_.append(*sid);
    setStatus(tr("Sending this conversation to %1…").arg(deviceName(*device)));
}

bool HandoffController::offerToPhone()
{
    const auto sid = hooks_.currentSession ? hooks_.currentSession() : std::nullopt;
    if (!node_ || !sid || pending_.contains(*sid)) return false;
    for (const DeviceId& d : node_->myOnlineDevices()) {
        if (node_->deviceClassOf(d) != protocol::DeviceClass::Phone) continue;
        sendSession(sid->toHex(), d.toHex());
        return pending_.contains(*sid);
    }
    return false;
}

void HandoffController::cancel()
{
    const auto sid = hooks_.currentSession ? hooks_.currentSession() : std::nullopt;
    if (!node_ || !sid || !pending_.contains(*sid)) return;
    if (auto s = node_->handoffCancel(*sid); !s) hooks_.toast(s.error());
}

void HandoffController::answer(const QString& sidHex, bool accept)
{
    const auto sid = SessionId::fromHex(sidHex);
    if (!node_ || !sid) return;
    invitations_.remove(*sid);
    if (auto s = node_->handoffAnswer(*sid, accept); !s) hooks_.toast(s.error());
}

void HandoffController::onOffered(const SessionId& sid, const DeviceId& from)
{
    const QString name = deviceName(from);
    invitations_.add(sid, from, name, {}, InvitationsModel::Kind::Handoff);
    hooks_.notify(tr("Continue here?"), tr("%1 hands you a conversation").arg(name));
}

void HandoffController::onResumed(const SessionId& sid, const DeviceId& device)
{
    // A push under way when Plenum stopped goes on: the same status line, with its Cancel.
    if (!pending_.contains(sid)) pending_.append(sid);
    setStatus(tr("Still sending this conversation to %1…").arg(deviceName(device)));
}

void HandoffController::onDone(const SessionId& sid, const DeviceId& device, bool pushed)
{
    if (pushed) {
        pending_.removeAll(sid);
        setStatus({});
        hooks_.close(sid);
        hooks_.toast(tr("Moved to %1 — carry on there.").arg(deviceName(device)));
    } else {
        hooks_.open(sid);
        hooks_.toast(tr("Continued here from %1.").arg(deviceName(device)));
    }
}

void HandoffController::onFailed(const SessionId& sid, const DeviceId& device, bool pushed,
                                 const QString& why)
{
    invitations_.remove(sid);
    if (pushed) {
        pending_.removeAll(sid);
        setStatus({});
        hooks_.toast(
            tr("Not moved to %1: %2. The conversation stays here.").arg(deviceName(device), why));
    } else {
        hooks_.toast(
            tr("The conversation from %1 did not move here: %2").arg(deviceName(device), why));
    }
}

} // namespace plenum::ui

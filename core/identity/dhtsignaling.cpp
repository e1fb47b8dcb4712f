#include "identity/dhtsignaling.h"

namespace plenum::identity {

DhtSignaling::DhtSignaling(DeviceMailbox* mailbox, QObject* parent)
    : net::Signaling(parent), mailbox_(mailbox)
{
    connect(mailbox_, &DeviceMailbox::requestReceived, this, [this](const OpenedEnvelope& env) {
        if (env.kind == RequestKind::Signal && env.chain) Q_EMIT received(env.sender, env.body);
    });
}

void DhtSignaling::send(const DeviceId& to, const QByteArray& bytes)
{
    queues_[to].append(bytes);
    if (!busy_.contains(to)) pump(to);
}

void DhtSignaling::pump(const DeviceId& to)
{
    auto it = queues_.find(to);
    if (it == queues_.end() || it->isEmpty()) {
        busy_.remove(to);
        queues_.remove(to);
        return;
    }
    busy_.insert(to);
    const QByteArray next = it->takeFirst();
    // Best effort, as the contract says; ICE's own timeout reports a peer that never answers.
    mailbox_->send(to, RequestKind::Signal, next, [this, to](Status s) {
        if (!s) ++failed_;
        pump(to);
    });
}

} // namespace plenum::identity

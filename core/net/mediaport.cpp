#include "net/mediaport.h"

#include "net/icelink.h"

namespace plenum::net {

bool MediaPort::send(const QByteArray& datagram)
{
    std::lock_guard lock(sendMutex_);
    IceLink* media = media_.load();
    if (!media) return false;
    ++sent_;
    return media->send(datagram.constData(), datagram.size()) == datagram.size();
}

void MediaPort::setReceiver(Receiver receiver)
{
    std::lock_guard lock(receiverMutex_); // waits for a delivery in progress
    receiver_ = std::move(receiver);
}

void MediaPort::open(IceLink* media)
{
    std::lock_guard lock(sendMutex_);
    media_ = media;
}

void MediaPort::close()
{
    std::lock_guard lock(sendMutex_); // waits for a send in progress
    media_ = nullptr;
}

bool MediaPort::deliver(const QByteArray& datagram, qint64 arrivedUs)
{
    std::lock_guard lock(receiverMutex_);
    if (!receiver_) return false;
    receiver_(datagram, arrivedUs);
    return true;
}

void MediaPort::heard(qint64 arrivedUs)
{
    qint64 last = lastHeardUs_.load();
    while (arrivedUs > last && !lastHeardUs_.compare_exchange_weak(last, arrivedUs)) {
    }
}

} // namespace plenum::net

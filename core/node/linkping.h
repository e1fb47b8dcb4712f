#pragma once
// The session header on link pings (issue 11, one liveness ping): the session core's PINGs
// (one per session that pings the peer, Session::pingTo) ride in the opaque header of the
// link's own ping (net::ControlLink::setPingHeaderProvider), instead of a second 250 ms ping
// beside it. Each is [u16 big-endian length][encoded Message]; nothing but PINGs.

#include "protocol/messages.h"
#include "protocol/result.h"

#include <QByteArray>
#include <QList>

namespace plenum::node::linkping {

inline constexpr int kMaxPings = 32; // per link ping; more sessions shared with one peer
                                     // than fit go as ordinary messages (see pack)
// The whole header: unpack refuses more before reading any of it, and pack never writes more,
// whatever limit it is given. The link caps its ping header too (ControlLinkConfig::
// maxPingHeader, 1 KiB); this is the decoder's own bound, not one it trusts the link for.
inline constexpr qsizetype kMaxHeaderBytes = 1024;

// Packs `pings` into at most min(`limit`, kMaxHeaderBytes) bytes, in order; those that do not fit
// are appended to `rest` (the caller sends them as messages).
QByteArray pack(const QList<protocol::Message>& pings, qsizetype limit,
                QList<protocol::Message>* rest);
// Refuses anything but well-formed PINGs (a peer that sends other bytes misbehaves).
Result<QList<protocol::Message>> unpack(const QByteArray& bytes);

} // namespace plenum::node::linkping

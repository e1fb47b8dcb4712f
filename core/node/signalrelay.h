#pragma once
// The relay end of relayed signaling (issue 11, DESIGN §3): forwards RELAY_SIGNAL between two
// devices this device is linked to, and answers RELAY_KEY_REQUEST with a device's certificates
// as its TLS link presented them. It is not an open relay: both ends must be known to the
// session named in the header (members, the joiner being admitted, endpoints), the envelope is
// bounded by the codec (limits::kMaxRelaySealedBytes), and each sender is rate-limited. What it
// carries is sealed end to end (SignalRouter), so it only moves bytes it cannot read.

#include "net/ratelimiter.h"
#include "protocol/messages.h"

#include <QElapsedTimer>
#include <QHash>

#include <functional>

namespace plenum::node {

class SignalRelay {
public:
    // An ICE attempt is one envelope per direction (plus a key request); a joiner of a full
    // group sends about two per member. Generous for that, useless as a bulk pipe.
    static constexpr net::RateLimiter::Limits kPerSender{128, 20};
    static constexpr net::RateLimiter::Limits kAll{512, 5};

    struct Hooks {
        // Session `sid` of ours knows `device` (Session::knows).
        std::function<bool(const SessionId& sid, const DeviceId& device)> knows;
        std::function<bool(const DeviceId& device)> linkUp;
        std::function<void(const DeviceId& to, const protocol::Message& message)> sendOnLink;
        std::function<protocol::Header(const SessionId& sid)> header;
        // The certificates [link, device, account] `device`'s TLS link presented (verified by
        // the link), or none: the Node keeps them, for this and for referrals.
        std::function<QList<QByteArray>(const DeviceId& device)> chainOf;
    };
    // Tests only: a hostile relay that changes one byte of what it forwards, or forwards every
    // envelope twice (a replay).
    enum class Tamper { None, Flip, Replay };

    explicit SignalRelay(Hooks hooks);

    void onSignal(const DeviceId& from, const protocol::Header& header,
                  const protocol::RelaySignal& message);
    void onKeyRequest(const DeviceId& from, const protocol::Header& header,
                      const protocol::RelayKeyRequest& message);

    void setEnabled(bool on) { enabled_ = on; }
    void setTamper(Tamper t) { tamper_ = t; }
    int forwarded() const { return forwarded_; }
    int refused() const { return refused_; }

private:
    // Empty if `from` may use this relay to reach `to` in the header's session; else why not.
    QString refusal(const DeviceId& from, const protocol::Header& header, const DeviceId& to);
    void refuse(const DeviceId& from, const protocol::Header& header, const DeviceId& peer,
                const QString& why);

    Hooks hooks_;
    net::RateLimiter perSender_{kPerSender};
    net::RateLimiter all_{kAll};
    QElapsedTimer clock_;
    bool enabled_ = true;
    Tamper tamper_ = Tamper::None;
    int forwarded_ = 0;
    int refused_ = 0;
};

} // namespace plenum::node

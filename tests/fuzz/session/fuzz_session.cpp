// Fuzz target for the session core (invariant 6: no input sequence crashes a peer, leaks
// timers or grows without bound). The input is a script of link events, ticks, commands and
// wire messages (decoded by the real codec) from four peers, played into one SessionHost.
//
// Script records: [op][peer][len][len bytes]; op % 6: 0 message, 1 link up, 2 link down,
// 3 tick (+len*7 ms), 4 invite peer, 5 leave. Messages are re-addressed to the session.

#include "protocol/codec.h"
#include "session/sessionhost.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace plenum;
using namespace plenum::session;

namespace {

struct NullOutbox : Outbox {
    std::optional<Millis> timer;
    void send(const DeviceId&, const protocol::Message& m) override
    {
        // Everything we send must encode and decode (a peer must be able to read it).
        if (!protocol::decode(protocol::encode(m)).ok()) {
            std::fprintf(stderr, "sent a %s that does not decode\n", protocol::messageName(m.body));
            std::abort();
        }
    }
    void openLink(const SessionId&, const DeviceId&) override {}
    void closeLink(const SessionId&, const DeviceId&) override {}
    void setTimer(const SessionId&, Millis at) override { timer = at; }
    void cancelTimer(const SessionId&) override { timer.reset(); }
    void persist(const SessionRecord&) override {}
    void forget(const SessionId&) override {}
    void notify(const SessionId&, const SessionEvent&) override {}
};

struct AcceptAll : TicketAuthority {
    QByteArray sign(const QByteArray& data) override { return data.left(8); }
    bool verify(const DeviceId&, const QByteArray& data, const QByteArray& sig) override
    {
        return data.left(8) == sig;
    }
    // peer(i)'s device verifies as peer(i)'s account.
    std::optional<AccountId> accountOf(const DeviceId& d) override
    {
        for (int i = 0; i < 64; ++i)
            if (DeviceId::fromNumber(100 + i) == d) return AccountId::fromNumber(200 + i);
        return std::nullopt;
    }
};

MemberInfo peer(int i)
{
    MemberInfo m;
    m.device = DeviceId::fromNumber(100 + i);
    m.account = AccountId::fromNumber(200 + i);
    m.name = QStringLiteral("p%1").arg(i);
    return m;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    NullOutbox out;
    AcceptAll tickets;
    std::uint64_t rng = 1;
    SessionHost host({}, peer(0), out, tickets,
                     [&rng] { return rng = rng * 6364136223846793005ull + 1; });
    Millis now = 0;
    const SessionId sid = host.create(now);
    std::size_t i = 0;
    while (i + 3 <= size) {
        const int op = data[i] % 6;
        const int from = 1 + data[i + 1] % 4;
        const std::size_t len = std::min<std::size_t>(data[i + 2], size - i - 3);
        const QByteArray payload(reinterpret_cast<const char*>(data + i + 3), qsizetype(len));
        i += 3 + len;
        const DeviceId who = peer(from).device;
        switch (op) {
        case 0: {
            auto m = protocol::decode(payload);
            if (!m.ok()) break;
            protocol::Message msg = m.value();
            msg.header.sid = sid;
            host.onMessage(who, msg, now);
            break;
        }
        case 1:
            host.onLinkUp(who, now);
            break;
        case 2:
            host.onLinkDown(who, now);
            break;
        case 3:
            now += Millis(len) * 7 + 1;
            if (out.timer && *out.timer <= now) host.onTick(sid, now);
            break;
        case 4:
            host.invite(sid, peer(from).account, {who}, now);
            break;
        case 5:
            host.leave(sid, now);
            break;
        }
        if (Session* s = host.session(sid)) {
            if (s->timers().all().size() > 64 || s->queuedChanges() > Session::kMaxQueuedChanges) {
                std::fprintf(stderr, "session state grew without bound\n");
                std::abort();
            }
        }
    }
    return 0;
}

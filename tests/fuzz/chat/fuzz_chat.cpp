// Fuzz target for the chat core fed by hostile peers: frames decoded with the protocol codec
// drive ConversationLog, AntiEntropy and ChatSender as a node would. Nothing may crash, and
// the invariants that every replica relies on must hold after every frame.

#include "chatframes.h"
#include "fuzzcheck.h"

#include "chat/antientropy.h"
#include "chat/chatsender.h"
#include "chat/conversationlog.h"
#include "chat/visibility.h"
#include "protocol/codec.h"
#include "protocol/limits.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

using namespace plenum;
using namespace plenum::chat;

using plenum::fuzz::broken;

namespace {

void checkLog(const ConversationLog& log)
{
    const auto& m = log.messages();
    if (!std::is_sorted(m.begin(), m.end(), ConversationLog::before)) broken("log out of order");
    std::set<std::pair<DeviceId, std::uint64_t>> ids;
    for (const auto& x : m)
        if (!ids.emplace(x.sender, x.seq).second) broken("duplicate in log");
}

void checkPulls(const QList<Pull>& pulls, const DeviceId& self)
{
    for (const auto& p : pulls) {
        const auto& r = p.request;
        if (r.sender == self || p.from == self) broken("pull of own messages or from self");
        if (r.fromSeq == 0 || r.fromSeq > r.toSeq) broken("empty pull range");
        if (r.toSeq - r.fromSeq >= protocol::limits::kMaxPullSpan) broken("pull span too large");
        // What we send must pass every peer's decoder.
        if (!protocol::decode(protocol::encode({{}, r})).ok()) broken("pull does not decode");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const DeviceId self = DeviceId::fromNumber(1);
    QList<DeviceId> members;
    for (int i = 0; i < 7; ++i)
        members.append(DeviceId::fromNumber(2 + i));
    ConversationLog log;
    AntiEntropy ae(self);
    ChatSender sender(self, AccountId::fromNumber(1), ChatSender::Options{1000});
    (void)sender.setMembers(members);
    for (const auto& m : members)
        (void)sender.onLinkUp(m, 0);
    for (int i = 0; i < 3; ++i) {
        const auto own = sender.compose(QStringLiteral("own %1").arg(i),
                                        i == 1 ? QList{members[0]} : QList<DeviceId>{});
        log.insert(own);
        ae.record(self, own.seq, own.lamport);
        (void)sender.send(own, 0);
    }

    std::int64_t now = 0;
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    for (const auto& frame : plenum::testing::splitFrames(input)) {
        const DeviceId peer = members[frame.peer];
        now += 100;
        auto decoded = protocol::decode(frame.bytes);
        if (!decoded.ok()) continue;
        const auto& body = decoded->body;
        if (const auto* m = std::get_if<protocol::ChatMessage>(&body)) {
            sender.observe(m->lamport);
            if (!isStub(*m)) log.insert(*m);
            ae.record(m->sender, m->seq, m->lamport);
            if (sender.lamport() < m->lamport) broken("Lamport clock did not move past a message");
        } else if (const auto* a = std::get_if<protocol::ChatAck>(&body)) {
            (void)sender.onAck(peer, *a);
        } else if (const auto* hw = std::get_if<protocol::HighWater>(&body)) {
            ae.onHighWater(peer, *hw);
            checkPulls(ae.plan(), self);
        } else if (std::holds_alternative<protocol::Bye>(body)) {
            sender.onLinkDown(peer);
            ae.onLinkDown(peer);
        } else if (std::holds_alternative<protocol::Ping>(body)) {
            (void)sender.onLinkUp(peer, now);
        }
        (void)sender.onTick(now);
        checkLog(log);
        for (std::uint64_t s = 1; s <= sender.lastSeq(); ++s) {
            const auto r = sender.receipt(s);
            if (!r) broken("own message without receipt");
            for (const auto& p : r->pending + r->notDelivered)
                if (!members.contains(p)) broken("receipt waits for a non-member");
        }
    }
    checkPulls(ae.plan(), self);
    return 0;
}

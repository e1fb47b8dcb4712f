#include "demo.h"

#include "invariants.h"
#include "randomrun.h"

#include <cstdio>

namespace plenum::sim {

namespace {
class Narrator final : public SimObserver {
public:
    explicit Narrator(SimNetwork& net) : net_(net) {}
    void onEvent(int peer, const SessionId&, const session::SessionEvent& e, bool fromSm) override
    {
        const std::string who = net_.peer(peer).info().name.toStdString();
        if (const auto* b = std::get_if<session::event::BecameSm>(&e))
            say(who + " is now the session manager (epoch " + std::to_string(b->epoch) + ")");
        else if (const auto* c = std::get_if<session::event::RosterCommitted>(&e); c && fromSm)
            say("roster committed: " + describe(c->roster));
        else if (std::holds_alternative<session::event::Admitted>(e))
            say(who + " is in");
        else if (const auto* r = std::get_if<session::event::InviteResult>(&e))
            say(who + " hears: invite " + protocol::codeText(r->code).toStdString());
    }
    void say(const std::string& s)
    {
        std::printf("[%6lld ms] %s\n", (long long)net_.now(), s.c_str());
    }

private:
    SimNetwork& net_;
};
} // namespace

int runDemo()
{
    SimConfig cfg;
    cfg.peers = 5;
    cfg.latencyMin = 5;
    cfg.latencyMax = 15;
    SimNetwork net(7, cfg);
    Narrator narrator(net);
    net.setObserver(&narrator);
    net.setAutoAnswer(1.0);
    std::printf("Plenum session core, simulated: 5 devices, 5-15 ms one-way delay.\n"
                "(The desktop GUI replaces this demo once it lands.)\n\n");
    const SessionId sid = net.peer(0).host()->create(0);
    auto invite = [&](int by, int who) {
        narrator.say(net.peer(by).info().name.toStdString() + " invites " +
                     net.peer(who).info().name.toStdString());
        const auto& info = net.peer(who).info();
        net.peer(by).host()->invite(sid, info.account, {info.device}, net.now());
        net.runFor(600);
    };
    invite(0, 1);
    invite(0, 2);
    invite(1, 3); // a REFER: only the SM invites
    invite(2, 4);
    narrator.say("peer0 (the session manager) crashes");
    net.crash(0);
    net.runFor(3000);
    narrator.say("peer0 restarts with its disk");
    net.restart(0);
    runToQuiescence(net, 20000);
    std::printf("\nEvery device now shows the same roster; %llu messages were sent.\n",
                (unsigned long long)net.messagesSent());
    return 0;
}

} // namespace plenum::sim

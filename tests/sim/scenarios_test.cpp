// Readable scenarios: the flows of seed 004 and DESIGN §5, each a script on the simulator.
#include "invariants.h"
#include "randomrun.h"

#include <gtest/gtest.h>

#include <QHashSeed>

using namespace plenum;
using namespace plenum::sim;
using session::Session;

TEST(Scenario, Placeholder)
{
    SimConfig cfg;
    cfg.peers = 3;
    SimNetwork net(1, cfg);
    net.setAutoAnswer(1.0);
    const SessionId sid = net.peer(0).host()->create(0);
    net.peer(0).session(sid)->invite(net.peer(1).info().account, {net.peer(1).info().device}, 0);
    net.runFor(1000);
    EXPECT_EQ(net.peer(1).session(sid)->phase(), Session::Phase::Member);
}

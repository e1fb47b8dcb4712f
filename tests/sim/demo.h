#pragma once
namespace plenum::sim {
// A narrated group session in the simulator: create, invite, refer, SM crash, election.
int runDemo();
} // namespace plenum::sim

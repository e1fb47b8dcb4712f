#pragma once
// The simulator's adversary (issue 13): a device that forges what DESIGN §5.1 rule 6 says it
// may not send. An *outsider* is on the network but in no session; it links to members and
// is assumed to know the session id and roster anyway (the worst case: a leak elsewhere). A
// *malicious member* is an ordinary, honestly running member that also forges. Their messages
// go straight onto the network, bypassing their own session core.
//
// What a malicious member can still do is listed in docs/security.md; the invariants state
// what is guaranteed. Claiming the SM of a newer epoch (SET_SM without its voters' signatures,
// a header, a roster of that epoch) is attempted: members check SET_SM's signed quorum. So is
// relaying a snapshot it altered in its SM's name (relayForged): members check the SM's
// signature on it.

#include "simnetwork.h"

#include <optional>
#include <random>

namespace plenum::sim {

enum class Attack {
    RosterDelta,     // a ROSTER delta removing a member, claiming the real SM
    RosterProposal,  // a full proposal with the attacker as SM of the current epoch
    RosterCommitted, // a "committed" snapshot naming the attacker as SM of the current epoch
    Commit,          // COMMIT of a roster the SM never finished (or of one it never made)
    SetSm,           // SET_SM for the next epoch with unsigned votes (a member: and a roster)
    ByeRemoved,      // BYE{removed} to a member that follows its SM
    HigherEpoch,     // HELLO/PING naming the attacker SM of a much newer epoch, and (a member)
                     // a committed roster of that epoch it signed itself
    Rejoin,          // REJOIN in the name of a member's account (outsider)
    Replay,          // an old SM message the attacker received, sent again
    Snoop,           // links and asks for a snapshot: must learn nothing
};
constexpr int kAttackKinds = 10;
const char* attackName(Attack a);

class Adversary {
public:
    // `self` forges; `outsider` says whether it is in no session at all.
    Adversary(SimNetwork& net, int self, bool outsider);

    int self() const { return self_; }
    bool outsider() const { return outsider_; }
    // Forges `attack` against `target` in `sid`, built from what the target currently shows.
    // Returns false if the attack does not apply now (no such session at the target, the
    // attacker is the SM, ...).
    bool attack(const SessionId& sid, int target, Attack attack);
    // A malicious member hands `target` the committed snapshot it holds, altered (`how`: 0 a
    // member removed, 1 the outsider added, 2 one version on, 3 an older epoch's stamp), still
    // naming its SM and carrying that SM's signature of the real one (or none, `unsigned_`).
    // Kept apart from attack() so the seeds' choice of attacks stays as it was.
    bool relayForged(const SessionId& sid, int target, int how, bool unsigned_);
    // Every message the attacker's device received (for replays).
    void observe(int from, const protocol::Message& m);
    std::uint64_t sent() const { return sent_; }

private:
    void inject(int to, const protocol::Message& m);
    std::optional<protocol::Message> replayable(const SessionId& sid) const;

    SimNetwork& net_;
    int self_;
    bool outsider_;
    std::vector<protocol::Message> heard_; // bounded, newest last
    std::uint64_t sent_ = 0;
};

} // namespace plenum::sim

// Issue 16, "followers converge to the leader's last URL": a seeded model of one leader and
// three followers over links that go down (losing what was in flight), come back, and
// followers that crash (their memory gone) and come back. The leader numbers its navigations
// with BrowseLeader and followers judge them with BrowseFollower, as NodeBrowse does; the
// catch-up rule under test is NodeBrowse's: on link-up the leader sends its last navigation
// again. After the faults stop and the links drain, every follower shows the leader's page.
#include "cobrowse/browsefollower.h"
#include "cobrowse/browseleader.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>

using namespace plenum;
using namespace plenum::cobrowse;

namespace {

const DeviceId kLeader = DeviceId::fromNumber(100);
constexpr std::uint64_t kGeneration = 3;

struct Follower {
    explicit Follower(int i) : id(DeviceId::fromNumber(i + 1)) { restart(); }
    void restart()
    {
        state.emplace(id);
        state->setBaton({kLeader, kGeneration});
    }
    DeviceId id;
    std::optional<BrowseFollower> state;
    bool up = true;
    std::deque<protocol::BrowseNavigate> inFlight; // the link: ordered, lost when it drops
};

// Runs one seed; returns the followers whose page is not the leader's at the end.
int laggingFollowers(std::uint64_t seed, bool catchUp)
{
    std::mt19937_64 rng(seed);
    auto chance = [&](int percent) { return int(rng() % 100) < percent; };
    BrowseLeader leader;
    std::optional<protocol::BrowseNavigate> last;
    std::vector<Follower> followers;
    for (int i = 0; i < 3; ++i)
        followers.emplace_back(i);
    auto linkUp = [&](Follower& f) {
        f.up = true;
        if (catchUp && last) f.inFlight.push_back(*last);
    };
    for (int step = 0; step < 200; ++step) {
        Follower& f = followers[rng() % followers.size()];
        const int what = int(rng() % 100);
        if (what < 25) {
            last = leader.navigate(QStringLiteral("https://example.org/%1").arg(step), {},
                                   kGeneration);
            for (Follower& g : followers)
                if (g.up) g.inFlight.push_back(*last);
        } else if (what < 35 && f.up) {
            f.up = false; // the link drops what it carried
            f.inFlight.clear();
        } else if (what < 50 && !f.up) {
            linkUp(f);
        } else if (what < 55) {
            f.restart(); // kill -9: the link goes with it, and comes back after the restart
            f.inFlight.clear();
            f.up = false;
        } else if (!f.inFlight.empty() && f.up) {
            (void)f.state->onNavigate(kLeader, f.inFlight.front());
            f.inFlight.pop_front();
            if (chance(10)) (void)f.state->onNavigate(kLeader, *last); // a duplicate
        }
    }
    int lagging = 0;
    for (Follower& f : followers) {
        if (!f.up) linkUp(f);
        while (!f.inFlight.empty()) {
            (void)f.state->onNavigate(kLeader, f.inFlight.front());
            f.inFlight.pop_front();
        }
        const auto& shown = f.state->shown();
        if (last && (!shown || shown->url != last->url)) ++lagging;
    }
    return lagging;
}

} // namespace

TEST(BrowseConvergence, FollowersEndOnTheLeadersLastPageOverManySeeds)
{
    for (std::uint64_t seed = 1; seed <= 5000; ++seed)
        ASSERT_EQ(laggingFollowers(seed, true), 0) << "seed " << seed;
}

// Without the catch-up a follower that missed the last navigation stays behind.
TEST(BrowseConvergence, WithoutTheCatchUpFollowersStayBehind)
{
    int lagging = 0;
    for (std::uint64_t seed = 1; seed <= 5000; ++seed)
        lagging += laggingFollowers(seed, false);
    EXPECT_GT(lagging, 0);
}

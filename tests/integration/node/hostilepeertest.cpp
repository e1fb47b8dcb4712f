// A hostile member over real links (issue 13): plenum-peer's "fault" command "forge_chat"
// sends crafted CHAT messages. Honest peers keep running, never show a forged message, and
// their chat keeps working.
#include "peergroup.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

namespace {

bool forge(PeerProcess* mallory, const QJsonObject& chat)
{
    return mallory->ask({{"cmd", "fault"}, {"forge_chat", chat}}, "forged").has_value();
}

} // namespace

// Attack: Mallory, a member, sent Bob messages in Alice's name (her device as sender, her
// account as author), signed by herself or not at all; unsigned chat showed them as Alice's,
// and Alice's real message with the same seq was then dropped as a duplicate.
TEST(HostilePeer, MemberCannotSpeakForAnotherMember)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "mallory"});
    ASSERT_EQ(peers.size(), 3u);
    auto *alice = peers[0], *bob = peers[1], *mallory = peers[2];
    ASSERT_TRUE(forge(mallory, {{"to", bob->device},
                                {"sender", alice->device},
                                {"author", alice->account},
                                {"seq", 1},
                                {"lamport", 3},
                                {"text", "forged, signed by mallory"},
                                {"sign", true}}));
    ASSERT_TRUE(forge(mallory, {{"to", bob->device},
                                {"sender", alice->device},
                                {"author", alice->account},
                                {"seq", 2},
                                {"lamport", 4},
                                {"text", "forged, unsigned"},
                                {"sign", false}}));
    // Mallory's own device, but Alice's account as author.
    ASSERT_TRUE(forge(mallory, {{"to", bob->device},
                                {"author", alice->account},
                                {"seq", 1},
                                {"lamport", 5},
                                {"text", "forged account"},
                                {"sign", true}}));
    ASSERT_TRUE(alice->ask({{"cmd", "say"}, {"text", "the real one"}}, "sent").has_value());
    EXPECT_TRUE(bob->waitEvent([](auto& ev) { return isChat(ev, "the real one"); }, 5000))
        << "Alice's real message must not be dropped as a duplicate of a forgery";
    EXPECT_FALSE(historyHas(bob, "forged, signed by mallory"));
    EXPECT_FALSE(historyHas(bob, "forged, unsigned"));
    EXPECT_FALSE(historyHas(bob, "forged account"));
    EXPECT_TRUE(historyHas(bob, "the real one"));
    EXPECT_TRUE(bob->quit());
}

// Attack: one CHAT with Lamport 2^62-1 pushed the receiver's clock to the codec's limit, so
// its next message was refused by every peer: the session's chat died for it.
TEST(HostilePeer, LamportBombDoesNotKillTheChat)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "mallory"});
    ASSERT_EQ(peers.size(), 3u);
    auto *alice = peers[0], *bob = peers[1], *mallory = peers[2];
    ASSERT_TRUE(forge(mallory, {{"to", bob->device},
                                {"seq", 1},
                                {"lamport_hex", "3fffffffffffffff"},
                                {"text", "bomb"},
                                {"sign", true}}));
    ASSERT_TRUE(bob->ask({{"cmd", "whoami"}}, "whoami").has_value()); // still running
    ASSERT_TRUE(bob->ask({{"cmd", "say"}, {"text", "after the bomb"}}, "sent").has_value());
    EXPECT_TRUE(alice->waitEvent([](auto& ev) { return isChat(ev, "after the bomb"); }, 5000))
        << "Bob's chat died after the Lamport bomb";
    EXPECT_FALSE(historyHas(bob, "bomb"));
    // And after a crash and restart too (a stored bomb would come back on resume).
    bob->kill();
    ASSERT_TRUE(group.restart(bob));
    ASSERT_TRUE(group.rostersEqual({alice, bob, mallory}, 3, 10000));
    ASSERT_TRUE(bob->ask({{"cmd", "say"}, {"text", "after a restart"}}, "sent").has_value());
    EXPECT_TRUE(alice->waitEvent([](auto& ev) { return isChat(ev, "after a restart"); }, 8000));
}

// Attack: Mallory, a member, handed Alice and Bob a committed roster of an epoch five after
// theirs that named herself SM and left Carol out, signed with her own key. Its content was
// taken (only its SM was not followed): Carol was out of their rosters. Refused now, with a
// reason in words; the group stays as it was and its chat works.
TEST(HostilePeer, MemberNamingItselfSmOfANewerEpochCannotRewriteTheRoster)
{
    PeerGroup group;
    const auto peers = group.session({"alice", "bob", "carol", "mallory"});
    ASSERT_EQ(peers.size(), 4u);
    auto *alice = peers[0], *bob = peers[1], *carol = peers[2], *mallory = peers[3];
    const qsizetype seen[] = {alice->events().size(), bob->events().size()};
    for (PeerProcess* victim : {alice, bob}) {
        const QJsonObject forged{{"to", victim->device}, {"leave_out", carol->device}};
        ASSERT_TRUE(
            mallory->ask({{"cmd", "fault"}, {"forge_roster", forged}}, "forged").has_value());
        EXPECT_TRUE(victim->waitEvent(
            [](auto& ev) {
                return ev.value("event") == "warning" &&
                       ev.value("text").toString().contains("SM is not proven");
            },
            5000))
            << "the refusal is said in words";
    }
    // No roster without Carol, ever: every member still lists all four.
    alice->waitEvent("never", 1500);
    for (PeerProcess* victim : {alice, bob})
        for (const QJsonObject& ev : victim->events().mid(seen[victim == bob]))
            EXPECT_FALSE(ev.value("event") == "roster" && !devicesIn(ev).contains(carol->device))
                << victim->name.toStdString() << " showed a roster without Carol";
    EXPECT_TRUE(group.rostersEqual(peers, 4, 3000));
    ASSERT_TRUE(alice->ask({{"cmd", "say"}, {"text", "still four"}}, "sent").has_value());
    EXPECT_TRUE(carol->waitEvent([](auto& ev) { return isChat(ev, "still four"); }, 5000));
    EXPECT_TRUE(bob->quit());
}

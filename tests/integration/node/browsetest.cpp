// Issue 16: co-browsing between plenum-peer processes over real links. A local HTTP server
// (127.0.0.1, an ephemeral port) serves three pages; plenum-peer is text-only and reports the
// address it would show, which the test then loads from the server. Bounds are generous (a CPU
// hog may run beside it); tests/bench/node/browse_bench measures the latency.
#include "pageserver.h"
#include "peergroup.h"

#include <gtest/gtest.h>

#include <QJsonArray>

#include <algorithm>

using namespace plenum::testsupport;

namespace {

constexpr int kWaitMs = 10000;

bool isBaton(const QJsonObject& e, const QString& holder, qint64 generation)
{
    return e.value("event") == "baton" && e.value("holder").toString() == holder &&
           e.value("generation").toInteger() == generation;
}

// Waits until each of `peers` reports the baton at `holder`, `generation`.
bool everyoneSeesBaton(const std::vector<PeerProcess*>& peers, const QString& holder,
                       qint64 generation)
{
    for (PeerProcess* p : peers)
        if (!p->waitEvent([&](const QJsonObject& e) { return isBaton(e, holder, generation); },
                          kWaitMs))
            return false;
    return true;
}

std::optional<QJsonObject> waitNavigate(PeerProcess* p, const QString& url)
{
    return p->waitEvent(
        [&](const QJsonObject& e) {
            return e.value("event") == "navigate" && e.value("url") == url;
        },
        kWaitMs);
}

// The URLs of every "navigate" event `p` reported as shown, in order.
QStringList shownUrls(PeerProcess* p)
{
    QStringList out;
    for (const auto& e : p->events())
        if (e.value("event") == "navigate" && e.value("shown").toBool())
            out.append(e.value("url").toString());
    return out;
}

// Three plenum-peers in one session, the first holding the baton of generation 1, and a page
// server. Empty peers when a step failed (reported).
struct Browsing {
    PageServer server;
    PeerGroup group;
    std::vector<PeerProcess*> peers;
    Browsing()
    {
        if (!server.ok()) return;
        auto all = group.session({"alice", "bob", "carol"});
        if (all.size() != 3u) return;
        all[0]->send({{"cmd", "baton_request"}});
        if (everyoneSeesBaton(all, all[0]->device, 1)) peers = all;
    }
};

} // namespace

TEST(NodeBrowse, TheLeaderDrivesTheBatonPassesAndFollowOffOnlyNotes)
{
    // Nobody holds the baton at first; alice (the SM) asks and gets it.
    Browsing b;
    ASSERT_EQ(b.peers.size(), 3u) << "no session with alice leading";
    const auto& peers = b.peers;
    PageServer& server = b.server;
    PeerProcess* alice = peers[0];
    PeerProcess* bob = peers[1];
    PeerProcess* carol = peers[2];

    // The leader navigates three pages; both followers show the same URLs in order, and each
    // is a page the server really serves.
    for (int page = 1; page <= 3; ++page) {
        alice->send({{"cmd", "browse"}, {"url", server.url(page)}});
        for (PeerProcess* f : {bob, carol}) {
            auto e = waitNavigate(f, server.url(page));
            ASSERT_TRUE(e) << f->name.toStdString() << " never showed page " << page;
            EXPECT_TRUE(e->value("shown").toBool());
            EXPECT_FALSE(e->value("pushed").toBool());
            EXPECT_EQ(e->value("by").toString(), alice->device);
            EXPECT_EQ(e->value("generation").toInteger(), 1);
        }
        EXPECT_TRUE(
            PageServer::fetch(server.url(page)).contains(QStringLiteral("Page %1").arg(page)));
    }
    const QStringList three{server.url(1), server.url(2), server.url(3)};
    EXPECT_EQ(shownUrls(bob), three);
    EXPECT_EQ(shownUrls(carol), three);

    // The leader scrolls down the page in a burst of 20 steps: followers are told the last
    // position (the whole page), in order, and fewer times than asked: scrolling is
    // rate-limited at the leader (10 a second), the newest position wins.
    constexpr int kSteps = 20;
    for (int i = 1; i <= kSteps; ++i)
        alice->send({{"cmd", "scroll"}, {"y", double(i) / kSteps}});
    for (PeerProcess* f : {bob, carol}) {
        auto bottom = f->waitEvent(
            [](const QJsonObject& e) {
                return e.value("event") == "scroll" && e.value("y").toDouble() == 1.0;
            },
            kWaitMs);
        ASSERT_TRUE(bottom) << f->name.toStdString() << " was not scrolled to the bottom";
        EXPECT_EQ(bottom->value("x").toDouble(), 0.0);
        QList<double> ys;
        for (const auto& e : f->events())
            if (e.value("event") == "scroll") ys.append(e.value("y").toDouble());
        EXPECT_LT(ys.size(), kSteps) << "scrolling was not rate-limited";
        EXPECT_TRUE(std::is_sorted(ys.begin(), ys.end()));
    }
    // Only the leader's scrolling is shared; a bad position is an error in words.
    EXPECT_TRUE(bob->ask({{"cmd", "scroll"}, {"y", 0.5}}, "browse_refused"));
    auto bad = alice->ask({{"cmd", "scroll"}, {"y", 2}}, "error");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->value("cmd").toString(), "scroll");

    // Bob asks; alice is told and grants; everyone sees bob lead, and bob drives.
    bob->send({{"cmd", "baton_request"}});
    auto asked = alice->waitEvent("baton_requested", kWaitMs);
    ASSERT_TRUE(asked);
    EXPECT_EQ(asked->value("from").toString(), bob->device);
    alice->send({{"cmd", "baton_answer"}, {"grant", true}});
    ASSERT_TRUE(everyoneSeesBaton(peers, bob->device, 2));
    bob->send({{"cmd", "browse"}, {"url", server.url(1)}});
    for (PeerProcess* f : {alice, carol}) {
        auto e = f->waitEvent(
            [&](const QJsonObject& e) {
                return e.value("event") == "navigate" && e.value("by") == bob->device;
            },
            kWaitMs);
        ASSERT_TRUE(e) << f->name.toStdString() << " did not follow the new leader";
        EXPECT_EQ(e->value("url").toString(), server.url(1));
        EXPECT_TRUE(e->value("shown").toBool());
        EXPECT_EQ(e->value("generation").toInteger(), 2);
    }
    // The old leader's navigation is no longer followed.
    alice->send({{"cmd", "browse"}, {"url", server.url(3)}}); // now a push: a card
    auto card = carol->waitEvent(
        [&](const QJsonObject& e) {
            return e.value("event") == "navigate" && e.value("by") == alice->device &&
                   e.value("url") == server.url(3);
        },
        kWaitMs);
    ASSERT_TRUE(card);
    EXPECT_TRUE(card->value("pushed").toBool());
    EXPECT_TRUE(card->value("card").toBool());
    EXPECT_FALSE(card->value("shown").toBool());

    // Carol turns follow off: bob's next page is noted, not shown.
    carol->send({{"cmd", "follow"}, {"on", false}});
    bob->send({{"cmd", "browse"}, {"url", server.url(2)}});
    auto noted = waitNavigate(carol, server.url(2));
    ASSERT_TRUE(noted);
    EXPECT_FALSE(noted->value("shown").toBool());
    EXPECT_TRUE(waitNavigate(alice, server.url(2)).has_value());
    // Follow on again jumps to the leader's page.
    carol->send({{"cmd", "follow"}, {"on", true}});
    auto jumped = waitNavigate(carol, server.url(2));
    ASSERT_TRUE(jumped);
    EXPECT_TRUE(jumped->value("shown").toBool());

    // The URL policy is checked before sending: no local files.
    auto refused = bob->ask({{"cmd", "browse"}, {"url", "file:///etc/passwd"}}, "browse_refused");
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->value("reason").toString().isEmpty());
    // A pass by a member that does not hold the baton is refused in words.
    auto notHolder =
        carol->ask({{"cmd", "baton_pass"}, {"device", carol->device}}, "browse_refused");
    ASSERT_TRUE(notHolder);

    // Carol blocks a site (and its subdomains): the leader's page there is noted, not shown,
    // at her only; she cannot push it either; unblocked, the next page there is shown.
    // (plenum-peer never loads pages, so these addresses need not exist.)
    auto blocked =
        carol->ask({{"cmd", "browse_block"}, {"domain", "News.Example"}}, "browse_blocked");
    ASSERT_TRUE(blocked);
    EXPECT_EQ(blocked->value("domains").toArray(), QJsonArray{"news.example"});
    const QString today = "https://www.news.example/today";
    bob->send({{"cmd", "browse"}, {"url", today}});
    auto atCarol = waitNavigate(carol, today);
    ASSERT_TRUE(atCarol);
    EXPECT_FALSE(atCarol->value("shown").toBool()) << "a blocked site was shown";
    auto atAlice = waitNavigate(alice, today);
    ASSERT_TRUE(atAlice);
    EXPECT_TRUE(atAlice->value("shown").toBool());
    EXPECT_TRUE(
        carol->ask({{"cmd", "browse"}, {"url", "https://news.example/x"}}, "browse_refused"));
    EXPECT_TRUE(carol->ask({{"cmd", "browse_block"}, {"domain", "not a host"}}, "error"));
    auto unblocked = carol->ask(
        {{"cmd", "browse_block"}, {"domain", "news.example"}, {"on", false}}, "browse_blocked");
    ASSERT_TRUE(unblocked);
    EXPECT_TRUE(unblocked->value("domains").toArray().isEmpty());
    const QString tomorrow = "https://www.news.example/tomorrow";
    bob->send({{"cmd", "browse"}, {"url", tomorrow}});
    auto shownNow = waitNavigate(carol, tomorrow);
    ASSERT_TRUE(shownNow);
    EXPECT_TRUE(shownNow->value("shown").toBool());
}

// "Followers converge to the leader's last URL" across a crash and a late join: the leader
// sends its current page again to a member whose link comes back and to a member the roster
// adds, so a follower that missed navigations catches up without a new one.
TEST(NodeBrowse, ARestartedFollowerAndALateJoinerCatchUpWithTheLeadersPage)
{
    Browsing b;
    ASSERT_EQ(b.peers.size(), 3u) << "no session with alice leading";
    const auto& peers = b.peers;
    PageServer& server = b.server;
    PeerGroup& group = b.group;
    PeerProcess* alice = peers[0];
    PeerProcess* bob = peers[1];
    alice->send({{"cmd", "browse"}, {"url", server.url(1)}});
    ASSERT_TRUE(waitNavigate(bob, server.url(1)));

    // Bob dies; the leader moves on without him; bob comes back from his profile.
    bob->kill();
    alice->send({{"cmd", "browse"}, {"url", server.url(2)}});
    ASSERT_TRUE(waitNavigate(peers[2], server.url(2)));
    ASSERT_TRUE(group.restart(bob));
    auto caught = waitNavigate(bob, server.url(2));
    ASSERT_TRUE(caught) << "the restarted follower never caught up with the leader's page";
    EXPECT_TRUE(caught->value("shown").toBool());
    EXPECT_EQ(caught->value("by").toString(), alice->device);

    // Dave joins after the leader's last navigation and is shown that page at once.
    PeerProcess* dave = group.add("dave");
    ASSERT_TRUE(dave);
    auto answer = alice->ask(
        {{"cmd", "invite"}, {"account", dave->account}, {"device", dave->device}}, "invite_result");
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->value("code").toInt(), 200);
    auto joined = waitNavigate(dave, server.url(2));
    ASSERT_TRUE(joined) << "the late joiner was not shown the leader's page";
    EXPECT_TRUE(joined->value("shown").toBool());
    EXPECT_EQ(shownUrls(dave), QStringList{server.url(2)});
}

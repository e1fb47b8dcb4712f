// A handler of a Node signal may call the Node again: the Node emits its signals after the
// session core returned (its effects are queued, then carried out), so a say() or a leave()
// from inside rosterChanged works like one from anywhere else.

#include "localnet.h"

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::testsupport;

TEST(NodeCallback, SayFromARosterChangedHandlerReachesTheJoiner)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    node::Node* node = net.node();
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    const SessionId sid = node->create(8, false);
    bool said = false;
    QObject::connect(node, &node::Node::rosterChanged, node,
                     [&](const SessionId& s, const protocol::RosterSnapshot& roster) {
                         if (said || s != sid || roster.members.size() != 2) return;
                         said = true;
                         auto seq = node->say(sid, QStringLiteral("welcome, Bob"));
                         EXPECT_TRUE(seq.ok()) << (seq ? "" : seq.error().toStdString());
                     });
    ASSERT_TRUE(
        node->invite(sid, *AccountId::fromHex(bob->account), {*DeviceId::fromHex(bob->device)})
            .ok());
    const auto chat = bob->waitEvent(
        [](const QJsonObject& e) {
            return e.value("event").toString() == "chat" &&
                   e.value("text").toString() == "welcome, Bob";
        },
        15000);
    EXPECT_TRUE(said);
    EXPECT_TRUE(chat.has_value()) << "the message said from the handler did not arrive";
}

TEST(NodeCallback, LeaveFromARosterChangedHandlerLeaves)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    node::Node* node = net.node();
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    const SessionId sid = node->create(8, false);
    bool leftCalled = false, leftSignal = false;
    QObject::connect(node, &node::Node::rosterChanged, node,
                     [&](const SessionId& s, const protocol::RosterSnapshot& roster) {
                         if (leftCalled || s != sid || roster.members.size() != 2) return;
                         leftCalled = true;
                         const Status st = node->leave(sid);
                         EXPECT_TRUE(st.ok()) << (st ? "" : st.error().toStdString());
                     });
    QObject::connect(node, &node::Node::left, node, [&](const SessionId& s) {
        if (s == sid) leftSignal = true;
    });
    ASSERT_TRUE(
        node->invite(sid, *AccountId::fromHex(bob->account), {*DeviceId::fromHex(bob->device)})
            .ok());
    // Bob sees a roster of one: this device left from inside its own roster signal.
    EXPECT_TRUE(waitFor(
        [&] {
            const QJsonObject r = bob->lastRoster();
            return leftSignal && r.value("members").toArray().size() == 1 &&
                   r.value("members").toArray().at(0).toObject().value("device").toString() ==
                       bob->device;
        },
        15000))
        << "called leave: " << leftCalled << ", left signal: " << leftSignal;
    EXPECT_FALSE(node->roster(sid).has_value());
}

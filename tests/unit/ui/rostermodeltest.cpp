// RosterModel against a real Node with real peers: rows follow committed rosters only, the
// inviter sees "Inviting Bob…" meanwhile, and a leaving member's row goes away.

#include "models/rostermodel.h"
#include "localnet.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::testsupport;
using plenum::ui::RosterModel;

namespace {

int rowOfName(const RosterModel& m, const QString& name)
{
    return rowOf(m, RosterModel::NameRole, name);
}

} // namespace

TEST(RosterModel, ShowsSelfAsSmOfANewSession)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    const SessionId sid = net.node()->create(8, false);
    RosterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSession(net.node(), sid);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(role(model, 0, RosterModel::NameRole).toString(), QStringLiteral("Me"));
    EXPECT_TRUE(role(model, 0, RosterModel::IsSmRole).toBool());
    EXPECT_TRUE(role(model, 0, RosterModel::IsMeRole).toBool());
    EXPECT_EQ(role(model, 0, RosterModel::DeviceClassRole).toString(), QStringLiteral("desktop"));
    EXPECT_EQ(role(model, 0, RosterModel::DeviceRole).toString(), net.node()->device().toHex());
    EXPECT_EQ(model.roleNames().value(RosterModel::IsSmRole), QByteArray("isSm"));
}

TEST(RosterModel, JoinerAppearsOnceCommittedWhileInviterSeesPendingText)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    const SessionId sid = net.node()->create(8, false);
    RosterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSession(net.node(), sid);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    const auto bobAccount = *AccountId::fromHex(bob->account);
    // As the controller does: pending first, a refusal can come back from inside invite().
    model.beginInvite(bobAccount, QStringLiteral("Bob"));
    ASSERT_TRUE(net.node()->invite(sid, bobAccount, {*DeviceId::fromHex(bob->device)}).ok());
    EXPECT_EQ(model.pendingText(), QStringLiteral("Inviting Bob…"));
    EXPECT_EQ(model.rowCount(), 1) << "the joiner must not appear before the commit";

    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 2; }, 10000));
    EXPECT_EQ(inserted.size(), 1) << "exactly one row insert, no flicker";
    EXPECT_EQ(removed.size(), 0);
    EXPECT_EQ(model.pendingText(), QString());
    const int b = rowOfName(model, QStringLiteral("Bob"));
    ASSERT_GE(b, 0);
    EXPECT_FALSE(role(model, b, RosterModel::IsSmRole).toBool());
    EXPECT_FALSE(role(model, b, RosterModel::IsMeRole).toBool());
    EXPECT_EQ(role(model, b, RosterModel::AccountRole).toString(), bob->account);

    // Bob leaves: his row goes, ours stays.
    bob->send({{"cmd", "leave"}});
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 1; }, 10000));
    EXPECT_EQ(removed.size(), 1);
    EXPECT_TRUE(role(model, 0, RosterModel::IsMeRole).toBool());
}

TEST(RosterModel, FailedInvitationClearsPendingText)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    const SessionId sid = net.groupWith({bob});
    RosterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSession(net.node(), sid);
    ASSERT_EQ(model.rowCount(), 2);

    // Inviting Bob again: he is already here (486); the pending text goes, rows stay.
    QList<int> codes;
    QObject::connect(net.node(), &node::Node::inviteResult,
                     [&](const SessionId&, const AccountId&, const DeviceId&, int code,
                         const QString&) { codes.append(code); });
    const auto bobAccount = *AccountId::fromHex(bob->account);
    // As the controller does: pending first, a refusal can come back from inside invite().
    model.beginInvite(bobAccount, QStringLiteral("Bob"));
    ASSERT_TRUE(net.node()->invite(sid, bobAccount, {*DeviceId::fromHex(bob->device)}).ok());
    ASSERT_TRUE(waitFor([&] { return model.pendingText().isEmpty(); }, 10000));
    EXPECT_EQ(codes, QList<int>{486});
    EXPECT_EQ(model.rowCount(), 2);
}

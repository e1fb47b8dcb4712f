// SessionsModel against a real Node: a group appears with its members' names, messages in a
// session that is not open count as unread, opening it clears the count.

#include "models/sessionsmodel.h"
#include "localnet.h"

#include <QAbstractItemModelTester>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::testsupport;
using plenum::ui::SessionsModel;

TEST(SessionsModel, CountsUnreadUntilTheSessionIsOpened)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    SessionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setNode(net.node());
    EXPECT_EQ(model.rowCount(), 0);

    const SessionId sid = net.groupWith({bob});
    ASSERT_TRUE(waitFor(
        [&] {
            return model.rowCount() == 1 &&
                   model.index(0).data(SessionsModel::MemberCountRole).toInt() == 2;
        },
        5000));
    EXPECT_EQ(model.index(0).data(SessionsModel::SidRole).toString(), sid.toHex());
    EXPECT_EQ(model.index(0).data(SessionsModel::TitleRole).toString(), QStringLiteral("Bob"));
    EXPECT_FALSE(model.index(0).data(SessionsModel::IsCurrentRole).toBool());

    bob->send({{"cmd", "say"}, {"text", "one"}});
    bob->send({{"cmd", "say"}, {"text", "two"}});
    ASSERT_TRUE(waitFor([&] { return model.unreadOf(sid) == 2; }, 10000));
    EXPECT_EQ(model.totalUnread(), 2);
    EXPECT_EQ(model.index(0).data(SessionsModel::LastMessageRole).toString(),
              QStringLiteral("Bob: two"));

    model.setCurrent(sid);
    EXPECT_EQ(model.unreadOf(sid), 0);
    EXPECT_TRUE(model.index(0).data(SessionsModel::IsCurrentRole).toBool());
    bob->send({{"cmd", "say"}, {"text", "three"}});
    ASSERT_TRUE(waitFor(
        [&] {
            return model.index(0).data(SessionsModel::LastMessageRole) ==
                   QStringLiteral("Bob: three");
        },
        10000));
    EXPECT_EQ(model.unreadOf(sid), 0) << "the open session collects no unread count";

    // Leaving removes the row.
    ASSERT_TRUE(net.node()->leave(sid).ok());
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 0; }, 5000));
}

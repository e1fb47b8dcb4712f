// ContactsModel against a real Node and a real peer: adding a contact adds one row, the
// contact's presence and devices arrive from the DHT, blocking shows and hides presence.

#include "models/contactsmodel.h"
#include "localnet.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::testsupport;
using plenum::ui::ContactsModel;

TEST(ContactsModel, AddedContactShowsPresenceDevicesAndBlocking)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    ContactsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setNode(net.node());
    ASSERT_EQ(model.rowCount(), 0);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    const AccountId bobAccount = *AccountId::fromHex(bob->account);
    ASSERT_TRUE(net.node()->addContact(bobAccount).ok());
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 1; }, 5000));
    EXPECT_EQ(inserted.size(), 1);
    const QModelIndex row = model.index(0);
    EXPECT_EQ(row.data(ContactsModel::AccountRole).toString(), bob->account);
    EXPECT_TRUE(
        row.data(ContactsModel::LinkRole).toString().startsWith("plenum:account/" + bob->account));
    EXPECT_FALSE(row.data(ContactsModel::BlockedRole).toBool());

    // Presence comes from Bob's signed DHT record: online, with his one device.
    ASSERT_TRUE(waitFor(
        [&] {
            return model.index(0).data(ContactsModel::PresenceRole) == QStringLiteral("online");
        },
        10000))
        << model.index(0).data(ContactsModel::PresenceRole).toString().toStdString();
    ASSERT_TRUE(waitFor(
        [&] { return !model.index(0).data(ContactsModel::DevicesRole).toStringList().isEmpty(); },
        10000));
    EXPECT_EQ(model.index(0).data(ContactsModel::DevicesRole).toStringList(),
              QStringList{bob->device.left(8)});
    ASSERT_TRUE(waitFor(
        [&] { return model.index(0).data(ContactsModel::NameRole) == QStringLiteral("Bob"); },
        10000))
        << model.index(0).data(ContactsModel::NameRole).toString().toStdString();

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    ASSERT_TRUE(net.node()->setBlocked(bobAccount, true).ok());
    ASSERT_TRUE(
        waitFor([&] { return model.index(0).data(ContactsModel::BlockedRole).toBool(); }, 5000));
    EXPECT_GE(changed.size(), 1);
    EXPECT_EQ(model.index(0).data(ContactsModel::PresenceRole).toString(),
              QStringLiteral("offline"))
        << "a blocked contact looks offline";
    EXPECT_EQ(model.rowCount(), 1);
}

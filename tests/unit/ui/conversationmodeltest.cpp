// ConversationModel against a real Node and a real peer: shared order, delivery marks from
// receipts, side-chat marking, live typing, and lazy loading of older history.

#include "models/conversationmodel.h"
#include "localnet.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::testsupport;
using plenum::ui::ConversationModel;

namespace {

int rowOfText(const ConversationModel& m, const QString& text)
{
    return rowOf(m, ConversationModel::TextRole, text);
}

bool inSharedOrder(const ConversationModel& m)
{
    for (int i = 1; i < m.rowCount(); ++i) {
        const auto a = role(m, i - 1, ConversationModel::LamportRole).toULongLong();
        const auto b = role(m, i, ConversationModel::LamportRole).toULongLong();
        const QString da = role(m, i - 1, ConversationModel::MessageIdRole).toString();
        const QString db = role(m, i, ConversationModel::MessageIdRole).toString();
        if (a > b || (a == b && da.left(64) > db.left(64))) return false;
    }
    return true;
}

} // namespace

TEST(ConversationModel, OwnMessageGoesFromSentToDeliveredAndPeersReplyInOrder)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    const SessionId sid = net.groupWith({bob});
    ConversationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSession(net.node(), sid);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_FALSE(model.canLoadOlder());

    auto seq = net.node()->say(sid, QStringLiteral("hello Bob"));
    ASSERT_TRUE(seq.ok());
    model.addOwn(seq.value());
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_TRUE(role(model, 0, ConversationModel::IsMineRole).toBool());
    EXPECT_EQ(role(model, 0, ConversationModel::AuthorRole).toString(), QStringLiteral("Me"));
    EXPECT_EQ(role(model, 0, ConversationModel::MessageIdRole).toString(),
              net.node()->device().toHex() + ":" + QString::number(seq.value()));
    EXPECT_FALSE(role(model, 0, ConversationModel::IsPrivateRole).toBool());
    ASSERT_TRUE(waitFor(
        [&] {
            return role(model, 0, ConversationModel::DeliveryRole) == QStringLiteral("delivered");
        },
        10000))
        << role(model, 0, ConversationModel::DeliveryRole).toString().toStdString();
    EXPECT_EQ(role(model, 0, ConversationModel::PendingNamesRole).toString(), QString());

    // Bob types, then answers: the typing line shows his draft, then the message replaces it.
    bob->send({{"cmd", "type"}, {"text", "got it, th"}});
    ASSERT_TRUE(waitFor([&] { return !model.typingText().isEmpty(); }, 5000));
    EXPECT_EQ(model.typingText(), QStringLiteral("Bob: got it, th"));
    bob->send({{"cmd", "say"}, {"text", "got it, thanks"}});
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 2; }, 10000));
    EXPECT_EQ(model.typingText(), QString());
    const int b = rowOfText(model, QStringLiteral("got it, thanks"));
    ASSERT_EQ(b, 1) << "Bob answered after seeing ours: later in the shared order";
    EXPECT_FALSE(role(model, b, ConversationModel::IsMineRole).toBool());
    EXPECT_EQ(role(model, b, ConversationModel::AuthorRole).toString(), QStringLiteral("Bob"));
    EXPECT_EQ(role(model, b, ConversationModel::AuthorAccountRole).toString(), bob->account);
    EXPECT_EQ(role(model, b, ConversationModel::DeliveryRole).toString(), QString());
    EXPECT_TRUE(inSharedOrder(model));
}

TEST(ConversationModel, SideChatIsMarkedPrivateWithItsRecipients)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    PeerProcess* carol = net.addPeer(QStringLiteral("Carol"));
    const SessionId sid = net.groupWith({bob, carol});
    ConversationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSession(net.node(), sid);

    auto seq =
        net.node()->say(sid, QStringLiteral("only for Bob"), {*AccountId::fromHex(bob->account)});
    ASSERT_TRUE(seq.ok());
    model.addOwn(seq.value());
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_TRUE(role(model, 0, ConversationModel::IsPrivateRole).toBool());
    EXPECT_EQ(role(model, 0, ConversationModel::RecipientsTextRole).toString(),
              QStringLiteral("to Bob"));

    // Carol answers privately: the row is private and names us.
    carol->send(
        {{"cmd", "say"}, {"text", "psst"}, {"to", QJsonArray{net.node()->account().toHex()}}});
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 2; }, 10000));
    const int c = rowOfText(model, QStringLiteral("psst"));
    ASSERT_GE(c, 0);
    EXPECT_TRUE(role(model, c, ConversationModel::IsPrivateRole).toBool());
    EXPECT_EQ(role(model, c, ConversationModel::RecipientsTextRole).toString(),
              QStringLiteral("to you"));
    EXPECT_TRUE(inSharedOrder(model));
}

TEST(ConversationModel, LoadOlderPrependsEarlierHistoryInOrder)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    const SessionId sid = net.node()->create(8, false);
    const int total = ConversationModel::kPage + 12;
    for (int i = 1; i <= total; ++i)
        ASSERT_TRUE(net.node()->say(sid, QStringLiteral("message %1").arg(i)).ok());

    ConversationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSession(net.node(), sid);
    ASSERT_EQ(model.rowCount(), ConversationModel::kPage);
    EXPECT_TRUE(model.canLoadOlder());
    EXPECT_EQ(role(model, 0, ConversationModel::TextRole).toString(),
              QStringLiteral("message %1").arg(total - ConversationModel::kPage + 1));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    EXPECT_EQ(model.loadOlder(), 12);
    ASSERT_EQ(inserted.size(), 1);
    EXPECT_EQ(inserted.at(0).at(1).toInt(), 0);  // first
    EXPECT_EQ(inserted.at(0).at(2).toInt(), 11); // last
    EXPECT_FALSE(model.canLoadOlder());
    ASSERT_EQ(model.rowCount(), total);
    for (int i = 0; i < total; ++i)
        ASSERT_EQ(role(model, i, ConversationModel::TextRole).toString(),
                  QStringLiteral("message %1").arg(i + 1));
    EXPECT_TRUE(inSharedOrder(model));
    EXPECT_EQ(model.loadOlder(), 0);
}

TEST(ConversationModel, PlainTypingShowsNoDraft)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    const SessionId sid = net.groupWith({bob});
    ConversationModel model;
    model.setSession(net.node(), sid);
    bob->send({{"cmd", "live_typing"}, {"on", false}});
    bob->send({{"cmd", "type"}, {"text", "my secret draft"}});
    ASSERT_TRUE(waitFor([&] { return !model.typingText().isEmpty(); }, 5000));
    EXPECT_EQ(model.typingText(), QStringLiteral("Bob is typing…"));
}

TEST(ConversationModel, UndeliveredMessageFailsNamesTheMemberAndRetryDelivers)
{
    LocalNet net;
    ASSERT_TRUE(net.node());
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    const SessionId sid = net.groupWith({bob});
    ConversationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSession(net.node(), sid);

    const DeviceId bobDevice = *DeviceId::fromHex(bob->device);
    net.node()->setDropChatTo(bobDevice, true); // lost on the way to Bob
    auto seq = net.node()->say(sid, QStringLiteral("lost on the way"));
    ASSERT_TRUE(seq.ok());
    model.addOwn(seq.value());
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(role(model, 0, ConversationModel::DeliveryRole).toString(), QStringLiteral("sent"));
    EXPECT_EQ(role(model, 0, ConversationModel::PendingNamesRole).toString(),
              QStringLiteral("Bob"));
    // The ack timeout is 10 s.
    ASSERT_TRUE(waitFor(
        [&] { return role(model, 0, ConversationModel::DeliveryRole) == QStringLiteral("failed"); },
        15000));
    EXPECT_EQ(role(model, 0, ConversationModel::PendingNamesRole).toString(),
              QStringLiteral("Bob"));
    const QString id = role(model, 0, ConversationModel::MessageIdRole).toString();
    ASSERT_EQ(model.ownSeqOf(id), std::optional<std::uint64_t>(seq.value()));

    net.node()->setDropChatTo(bobDevice, false);
    ASSERT_TRUE(net.node()->retry(sid, seq.value()).ok());
    ASSERT_TRUE(waitFor(
        [&] {
            return role(model, 0, ConversationModel::DeliveryRole) == QStringLiteral("delivered");
        },
        10000));
    EXPECT_EQ(role(model, 0, ConversationModel::PendingNamesRole).toString(), QString());
}

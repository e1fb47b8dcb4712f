// The parts that need no network: invitations list, settings defaults and bounds, the QR
// image round trip (our drawing read back by zbar), hostile image input, result words.

#include "app/appcontroller.h"
#include "app/appsettings.h"
#include "app/qrimageprovider.h"
#include "app/qrimagereader.h"
#include "models/invitationsmodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::ui;

TEST(InvitationsModel, AddReplaceAndRemove)
{
    InvitationsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const SessionId a = SessionId::fromNumber(1), b = SessionId::fromNumber(2);
    model.add(a, DeviceId::fromNumber(7), QStringLiteral("Alice"));
    model.add(b, DeviceId::fromNumber(8), QStringLiteral("Bob"));
    model.add(a, DeviceId::fromNumber(9), QStringLiteral("Alice again"));
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.index(0).data(InvitationsModel::FromNameRole).toString(),
              QStringLiteral("Alice again"));
    EXPECT_EQ(model.index(0).data(InvitationsModel::SidRole).toString(), a.toHex());
    EXPECT_EQ(model.index(0).data(InvitationsModel::FromAccountRole).toString(), QString());
    EXPECT_TRUE(model.remove(a));
    EXPECT_FALSE(model.remove(a));
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0).data(InvitationsModel::FromNameRole).toString(),
              QStringLiteral("Bob"));
}

TEST(AppSettings, DefaultsBoundsAndDemoNeverDiscoversTheLan)
{
    QTemporaryDir dir;
    auto store = std::make_unique<QSettings>(dir.filePath("s.ini"), QSettings::IniFormat);
    AppSettings settings(std::move(store), false);
    EXPECT_TRUE(settings.lanDiscovery());
    EXPECT_TRUE(settings.liveTyping());
    EXPECT_EQ(settings.defaultCapacity(), 8);
    EXPECT_FALSE(settings.defaultInviteOnly());
    EXPECT_TRUE(settings.trayEnabled());
    settings.setDefaultCapacity(1000);
    EXPECT_EQ(settings.defaultCapacity(), AppSettings::kMaxCapacity);
    settings.setBootstrapNodes({" 10.1.2.3:4222 ", ""});
    EXPECT_EQ(settings.bootstrapNodes(), QStringList{"10.1.2.3:4222"});
    settings.setWindowGeometry(QRect(10, 20, 300, 400));
    EXPECT_EQ(settings.windowGeometry(), QRect(10, 20, 300, 400));

    AppSettings demo(nullptr, true);
    demo.setLanDiscovery(true);
    EXPECT_FALSE(demo.lanDiscovery());
}

TEST(QrImage, DrawnCodeReadsBackToTheSameText)
{
    const QByteArray code = "plenum:pair/0123456789abcdef0123456789abcdef#s3cr3t";
    const QImage image = QrImageProvider::render(code, 300);
    ASSERT_FALSE(image.isNull());
    EXPECT_LE(image.width(), 300);
    QTemporaryDir dir;
    const QString path = dir.filePath("code.png");
    ASSERT_TRUE(image.save(path));
    auto text = QrImageReader::readFile(path);
    ASSERT_TRUE(text.ok()) << text.error().toStdString();
    EXPECT_EQ(text.value(), QString::fromUtf8(code));

    QrImageProvider provider;
    QSize size;
    const QImage viaUrl = provider.requestImage(QString::fromUtf8(QUrl::toPercentEncoding(code)),
                                                &size, QSize(200, 200));
    EXPECT_EQ(size, viaUrl.size());
    auto viaUrlText = QrImageReader::read(viaUrl);
    ASSERT_TRUE(viaUrlText.ok());
    EXPECT_EQ(viaUrlText.value(), QString::fromUtf8(code));
}

TEST(QrImage, BadFilesAreErrorsInWords)
{
    QTemporaryDir dir;
    EXPECT_FALSE(QrImageReader::readFile(dir.filePath("missing.png")).ok());
    QFile junk(dir.filePath("junk.png"));
    ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
    junk.write("\x89PNG\r\n\x1a\nnot really a png");
    junk.close();
    auto r = QrImageReader::readFile(junk.fileName());
    ASSERT_FALSE(r.ok());
    EXPECT_FALSE(r.error().isEmpty());
    QImage blank(200, 200, QImage::Format_RGB32);
    blank.fill(Qt::white);
    auto none = QrImageReader::read(blank);
    ASSERT_FALSE(none.ok());
    EXPECT_TRUE(none.error().startsWith("No QR code"));
}

TEST(AppController, InvitationResultsInWords)
{
    EXPECT_EQ(AppController::inviteResultText(603, "Bob", ""), QStringLiteral("Bob declined"));
    EXPECT_EQ(AppController::inviteResultText(480, "Bob", ""), QStringLiteral("Bob is offline"));
    EXPECT_EQ(AppController::inviteResultText(503, "Bob", ""), QStringLiteral("The group is full"));
    EXPECT_EQ(AppController::inviteResultText(486, "Bob", ""),
              QStringLiteral("Bob is already here"));
    EXPECT_EQ(AppController::inviteResultText(200, "Bob", ""), QString());
    EXPECT_EQ(AppController::inviteResultText(404, "Bob", ""),
              QStringLiteral("The group no longer exists"));
    EXPECT_EQ(AppController::inviteResultText(408, "Bob", ""),
              QStringLiteral("Bob did not answer"));
    // A withdrawn invitation says why by its code (the session core's reason is generic).
    EXPECT_EQ(AppController::joinFailedText(503, "the invitation was withdrawn"),
              QStringLiteral("You could not join: the group is full"));
    EXPECT_EQ(AppController::joinFailedText(404, "the group ended"),
              QStringLiteral("You could not join: the group no longer exists"));
    EXPECT_EQ(AppController::joinFailedText(403, "the admission ticket was refused"),
              QStringLiteral("You could not join: you may not join this group"));
    EXPECT_EQ(AppController::joinFailedText(408, "could not reach Carol"),
              QStringLiteral("You could not join the group: could not reach Carol"));
}

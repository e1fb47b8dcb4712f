// AppController over real Nodes on a private loopback DHT: first start → create account (keys
// in a worker thread) → ready; a group started from the controller; linking a second device
// with a pairing code from a running peer.

#include "app/appcontroller.h"
#include "app/demopeers.h"
#include "app/recordingnotifier.h"
#include "helddhtport.h"
#include "localnet.h"
#include "models/cobrowsestate.h"
#include "peergroup.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace plenum;
using namespace plenum::testsupport;
using plenum::ui::AppController;
using plenum::ui::AppSettings;

namespace {

AppController::Options optionsFor(const LocalNet& net, const QString& dir)
{
    AppController::Options o;
    o.profileDir = dir;
    o.dht = net.dhtConfig();
    o.loopbackIce = true;
    return o;
}

// Bob's account made and the app ready, its window in the background (so notifications show).
::testing::AssertionResult readyInTheBackground(AppController& app)
{
    app.start();
    app.createAccount(QStringLiteral("Bob"), QString());
    if (!waitFor([&] { return app.phase() == QStringLiteral("ready"); }, 30000))
        return ::testing::AssertionFailure()
               << app.phase().toStdString() << " " << app.errorText().toStdString();
    app.setWindowActive(false);
    return ::testing::AssertionSuccess();
}

// Linking this device failed: back at first start, the reason in words.
::testing::AssertionResult backAtFirstStartWithTheReason(const AppController& app)
{
    if (!waitFor(
            [&] {
                return app.phase() == QStringLiteral("firstStart") && !app.errorText().isEmpty();
            },
            20000))
        return ::testing::AssertionFailure() << app.phase().toStdString();
    if (!app.errorText().startsWith("This device could not be linked"))
        return ::testing::AssertionFailure() << app.errorText().toStdString();
    return ::testing::AssertionSuccess();
}

} // namespace

TEST(AppController, FirstStartCreatesAnAccountOffTheGuiThreadThenStartsAGroup)
{
    LocalNet net;
    AppSettings settings(nullptr, false);
    ui::RecordingNotifier notifier;
    AppController app(optionsFor(net, net.dir("zoe")), &settings, &notifier);
    QStringList phases;
    QObject::connect(&app, &AppController::phaseChanged, [&] { phases.append(app.phase()); });
    app.start();
    ASSERT_EQ(app.phase(), QStringLiteral("firstStart"));

    app.createAccount(QStringLiteral("  "), QString());
    EXPECT_FALSE(app.errorText().isEmpty()) << "an empty name is refused in words";
    EXPECT_EQ(app.phase(), QStringLiteral("firstStart"));

    app.createAccount(QStringLiteral("Zoe"), QString());
    EXPECT_EQ(app.phase(), QStringLiteral("creatingAccount")) << "keygen runs in the background";
    EXPECT_EQ(app.progressText(), QStringLiteral("Making your keys…"));
    ASSERT_TRUE(waitFor([&] { return app.phase() == QStringLiteral("ready"); }, 20000))
        << app.phase().toStdString() << " " << app.errorText().toStdString();
    EXPECT_EQ(phases, (QStringList{"firstStart", "creatingAccount", "connecting", "ready"}));
    EXPECT_EQ(app.myName(), QStringLiteral("Zoe"));
    EXPECT_TRUE(app.myLink().startsWith("plenum:account/" + app.myAccount()));
    EXPECT_EQ(app.errorText(), QString());
    EXPECT_EQ(app.devices()->rowCount(), 1);

    QSignalSpy opened(&app, &AppController::sessionOpened);
    const QString sid = app.startGroup();
    ASSERT_EQ(sid.size(), 32);
    EXPECT_EQ(app.currentSession(), sid);
    EXPECT_EQ(opened.size(), 1);
    EXPECT_EQ(app.roster()->rowCount(), 1);
    EXPECT_EQ(app.sessions()->rowCount(), 1);
    app.send(QStringLiteral("note to self"), {});
    EXPECT_EQ(app.conversation()->rowCount(), 1);
    EXPECT_EQ(settings.lastSession(), sid);

    // A refused invitation says why from its code: a group this device does not have is not
    // "is offline" (404).
    app.openSession(QString(32, QLatin1Char('a')));
    app.invite(QString(64, QLatin1Char('b')));
    EXPECT_EQ(app.toast(), QStringLiteral("The group no longer exists"));
    app.openSession(sid);

    EXPECT_FALSE(app.addContact(QStringLiteral("not an id")).isEmpty());
    EXPECT_EQ(app.addContact(net.node()->account().toHex()), QString());
    EXPECT_EQ(app.contacts()->rowCount(), 1);

    QSignalSpy finished(&app, &AppController::finished);
    app.quit();
    ASSERT_TRUE(waitFor([&] { return finished.size() == 1; }, 5000));
}

// A profile that opens but whose Node cannot start (here its DHT port is taken) shows the
// reason; Try again starts a fresh Node once the cause is gone.
TEST(AppController, ANodeThatCouldNotStartStartsOnTryAgain)
{
    LocalNet net;
    AppSettings settings(nullptr, false);
    ui::RecordingNotifier notifier;
    const QString dir = net.dir("yan");
    ASSERT_TRUE(
        node::Node::createProfile(dir, QStringLiteral("Yan"), protocol::DeviceClass::Desktop));
    HeldDhtPort held;
    ASSERT_TRUE(held.hold());
    AppController::Options o = optionsFor(net, dir);
    o.dht->port = held.port();
    AppController app(o, &settings, &notifier);
    app.start();
    ASSERT_EQ(app.phase(), QStringLiteral("error")) << app.errorText().toStdString();
    EXPECT_TRUE(app.errorText().startsWith(QStringLiteral("Plenum could not connect")))
        << app.errorText().toStdString();
    held.release(); // the port is free again
    app.retryOpen();
    ASSERT_TRUE(waitFor([&] { return app.phase() == QStringLiteral("ready"); }, 20000))
        << app.phase().toStdString() << " " << app.errorText().toStdString();
    EXPECT_EQ(app.myName(), QStringLiteral("Yan"));
    EXPECT_EQ(app.errorText(), QString());
}

TEST(AppController, LinksThisDeviceWithAPairingCodeFromAnotherDevice)
{
    LocalNet net;
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    auto code = bob->ask({{"cmd", "pair_code"}}, "pair_code");
    ASSERT_TRUE(code.has_value());

    AppSettings settings(nullptr, false);
    AppController app(optionsFor(net, net.dir("bob-laptop")), &settings, nullptr);
    app.start();
    ASSERT_EQ(app.phase(), QStringLiteral("firstStart"));
    app.linkDevice(code->value("code").toString());
    ASSERT_TRUE(waitFor([&] { return app.phase() == QStringLiteral("ready"); }, 25000))
        << app.phase().toStdString() << " " << app.errorText().toStdString();
    EXPECT_EQ(app.myAccount(), bob->account) << "this device now speaks for Bob's account";
    EXPECT_NE(app.myDevice(), bob->device);
    EXPECT_TRUE(bob->waitEvent("device_paired", 5000).has_value());
}

TEST(AppController, AWrongPairingCodeReturnsToFirstStartWithAReason)
{
    LocalNet net;
    AppSettings settings(nullptr, false);
    AppController app(optionsFor(net, net.dir("nobody")), &settings, nullptr);
    app.start();
    app.linkDevice(QStringLiteral("not a pairing code"));
    ASSERT_TRUE(backAtFirstStartWithTheReason(app));
}

// Linking fails after this device's Node opened (here it cannot start: its DHT port is taken):
// the half-made profile goes, also after that Node is gone (nothing it writes on its way out is
// left for the next start to trip over), and the user is back at first start with the reason.
TEST(AppController, AFailedLinkingLeavesNoProfileBehind)
{
    LocalNet net;
    PeerProcess* bob = net.addPeer(QStringLiteral("Bob"));
    auto code = bob->ask({{"cmd", "pair_code"}}, "pair_code");
    ASSERT_TRUE(code.has_value());
    HeldDhtPort held;
    ASSERT_TRUE(held.hold());
    const QString dir = net.dir("bob-laptop");
    AppController::Options o = optionsFor(net, dir);
    o.dht->port = held.port();
    AppSettings settings(nullptr, false);
    AppController app(o, &settings, nullptr);
    app.start();
    app.linkDevice(code->value("code").toString());
    ASSERT_TRUE(backAtFirstStartWithTheReason(app));
    (void)waitFor([] { return false; }, 300); // the Node's deferred deletion runs
    EXPECT_FALSE(QFileInfo::exists(dir)) << QDir(dir).entryList().join(' ').toStdString();
}

TEST(AppController, DemoOpensTheGroupChatsBackAndQuitStopsEveryPeer)
{
    AppSettings settings(nullptr, true);
    ui::RecordingNotifier notifier;
    AppController::Options o;
    o.demo = true; // profile in the demo's temporary directory
    AppController app(o, &settings, &notifier);
    QSignalSpy ready(&app, &AppController::demoReady);
    app.start();
    ASSERT_TRUE(app.demoPeers()) << app.errorText().toStdString();
    ASSERT_TRUE(waitFor([&] { return ready.size() == 1; }, 25000))
        << app.phase().toStdString() << " " << app.errorText().toStdString();
    const QString sid = ready.at(0).at(0).toString();
    EXPECT_EQ(app.currentSession(), sid) << "the GUI opens the demo group by itself";
    EXPECT_EQ(app.roster()->rowCount(), 4);
    EXPECT_EQ(app.myName(), QStringLiteral("You"));
    EXPECT_EQ(app.contacts()->rowCount(), 3);
    EXPECT_FALSE(settings.lanDiscovery());
    // Alice, Bob and Carol say hello.
    ASSERT_TRUE(waitFor([&] { return app.conversation()->rowCount() >= 3; }, 10000));

    // The window is in the background: Bob's answer also becomes a notification.
    app.setWindowActive(false);
    QSignalSpy notified(&app, &AppController::notify);
    app.send(QStringLiteral("hi all"), {});
    ASSERT_TRUE(waitFor(
        [&] {
            const auto* c = app.conversation();
            for (int i = 0; i < c->rowCount(); ++i)
                if (c->index(i).data(ui::ConversationModel::TextRole) ==
                    QStringLiteral("got 'hi all'"))
                    return true;
            return false;
        },
        10000));

    ASSERT_TRUE(waitFor([&] { return !notifier.shown.isEmpty(); }, 5000));
    EXPECT_EQ(notifier.shown.last().first, QStringLiteral("Bob"));
    EXPECT_EQ(notifier.shown.last().second, QStringLiteral("got 'hi all'"));
    EXPECT_GE(notified.size(), 1);
    // Do not disturb: the signal still tells the views, the notifier stays quiet.
    settings.setDoNotDisturb(true);
    const auto before = notifier.shown.size();
    app.send(QStringLiteral("quiet please"), {});
    ASSERT_TRUE(waitFor([&] { return notified.size() >= 2; }, 10000));
    EXPECT_EQ(notifier.shown.size(), before);

    const QList<qint64> pids = app.demoPeers()->pids();
    const QString dir = app.demoPeers()->directory();
    ASSERT_EQ(pids.size(), 3);
    QSignalSpy finished(&app, &AppController::finished);
    app.quit();
    ASSERT_TRUE(waitFor([&] { return finished.size() == 1; }, 10000));
    for (qint64 pid : pids)
        EXPECT_FALSE(QFile::exists(QStringLiteral("/proc/%1/cmdline").arg(pid)) &&
                     QFile(QStringLiteral("/proc/%1/cmdline").arg(pid)).open(QIODevice::ReadOnly))
            << "demo peer " << pid << " still running";
    EXPECT_FALSE(QDir(dir).exists());
}

TEST(AppController, TheMicrophoneAndSpeakerPickedAreSavedAndRestored)
{
    LocalNet net;
    AppSettings settings(nullptr, false);
    settings.setSpeaker("usb-headset");
    ui::RecordingNotifier notifier;
    {
        AppController app(optionsFor(net, net.dir("mia")), &settings, &notifier);
        EXPECT_EQ(app.speakers()->preferredId(), QByteArray("usb-headset"));
        app.microphones()->setDevices({{"webcam-mic", "Webcam", false}});
        app.microphones()->setCurrentIndex(1); // the person picks it in the call bar
    }
    EXPECT_EQ(settings.microphone(), QByteArray("webcam-mic"));
    AppController again(optionsFor(net, net.dir("mia")), &settings, &notifier);
    again.microphones()->setDevices({{"webcam-mic", "Webcam", false}});
    EXPECT_EQ(again.microphones()->currentId(), QByteArray("webcam-mic"));
}

// Issue 16: the sites a person blocks in co-browsing are kept in the settings, applied to the
// Node when it starts, and a name that is not a site is refused in words.
TEST(AppController, BlockedSitesAreSavedAndAppliedWhenTheNodeStarts)
{
    LocalNet net;
    AppSettings settings(nullptr, false);
    settings.setBlockedSites({QStringLiteral("cats.example")});
    ui::RecordingNotifier notifier;
    AppController app(optionsFor(net, net.dir("bea")), &settings, &notifier);
    app.start();
    app.createAccount(QStringLiteral("Bea"), QString());
    ASSERT_TRUE(waitFor([&] { return app.phase() == QStringLiteral("ready"); }, 20000))
        << app.phase().toStdString() << " " << app.errorText().toStdString();
    ui::CoBrowseState* browse = app.browse();
    EXPECT_EQ(browse->blockedSites(), QStringList{QStringLiteral("cats.example")});
    browse->blockSite(QStringLiteral("https://www.news.example/today"));
    browse->unblockSite(QStringLiteral("cats.example"));
    EXPECT_EQ(settings.blockedSites(), QStringList{QStringLiteral("news.example")});
    EXPECT_EQ(browse->blockedSites(), settings.blockedSites());
    browse->blockSite(QStringLiteral("not a site"));
    EXPECT_FALSE(browse->notice().isEmpty());
    EXPECT_EQ(settings.blockedSites(), QStringList{QStringLiteral("news.example")});
}

// Issue 15 in the GUI: a conversation handed to this device from another device of the same
// account shows as "Continue here?", continues here with its history, and goes back with
// "Send to…"; the other member never sees the account leave.
TEST(AppController, AConversationMovesHereAndBackBetweenMyDevices)
{
    LocalNet net;
    PeerProcess* laptop = net.addPeer(QStringLiteral("Alice")); // A1 at first
    PeerProcess* carol = net.addPeer(QStringLiteral("Carol"));
    auto code = laptop->ask({{"cmd", "pair_code"}}, "pair_code");
    ASSERT_TRUE(code.has_value());
    AppSettings settings(nullptr, false);
    ui::RecordingNotifier notifier;
    AppController app(optionsFor(net, net.dir("alice-phone")), &settings, &notifier);
    app.start();
    app.linkDevice(code->value("code").toString());
    ASSERT_TRUE(waitFor([&] { return app.phase() == QStringLiteral("ready"); }, 25000))
        << app.phase().toStdString() << " " << app.errorText().toStdString();
    ASSERT_TRUE(laptop->waitEvent("device_paired", 5000));

    auto session = laptop->ask({{"cmd", "create"}}, "session");
    ASSERT_TRUE(session);
    const QString sid = session->value("sid").toString();
    laptop->send({{"cmd", "invite"}, {"sid", sid}, {"account", carol->account}});
    ASSERT_TRUE(laptop->waitEvent("invite_result", 15000));
    laptop->send({{"cmd", "say"}, {"sid", sid}, {"text", "said on the laptop"}});
    ASSERT_TRUE(carol->waitEvent([](auto& e) { return isChat(e, "said on the laptop"); }, 10000));

    // The laptop pushes; the phone (its window in the background: the person is at the laptop)
    // notifies and asks first.
    app.setWindowActive(false);
    laptop->send({{"cmd", "handoff_push"}, {"sid", sid}, {"device", app.myDevice()}});
    ASSERT_TRUE(waitFor([&] { return app.invitations()->rowCount() == 1; }, 20000))
        << app.toast().toStdString();
    const QModelIndex offer = app.invitations()->index(0);
    EXPECT_TRUE(offer.data(ui::InvitationsModel::IsHandoffRole).toBool());
    EXPECT_EQ(offer.data(ui::InvitationsModel::SidRole).toString(), sid);
    EXPECT_FALSE(notifier.shown.isEmpty());
    app.handoff()->answer(sid, true);
    ASSERT_TRUE(waitFor([&] { return app.currentSession() == sid; }, 20000))
        << app.toast().toStdString();
    EXPECT_TRUE(app.toast().startsWith("Continued here from")) << app.toast().toStdString();
    ASSERT_TRUE(waitFor([&] { return app.conversation()->rowCount() >= 1; }, 5000));
    EXPECT_EQ(app.conversation()->index(0).data(ui::ConversationModel::TextRole).toString(),
              QStringLiteral("said on the laptop"));
    ASSERT_TRUE(laptop->waitEvent("handoff_done", 10000));
    ASSERT_TRUE(waitFor(
        [&] {
            const QString key = rosterKey(carol->lastRoster());
            return key.contains(app.myDevice().left(8)) && !key.contains(laptop->device.left(8));
        },
        10000))
        << rosterKey(carol->lastRoster()).toStdString();
    for (const auto& e : carol->events())
        EXPECT_NE(e.value("event").toString(), QStringLiteral("left")) << "carol saw alice leave";

    // "Send to…" the laptop: busy while it goes, then the conversation closes here.
    app.handoff()->sendTo(laptop->device);
    EXPECT_TRUE(app.handoff()->busy());
    EXPECT_TRUE(app.handoff()->status().startsWith("Sending this conversation to"));
    auto back = laptop->waitEvent("handoff_offer", 20000);
    ASSERT_TRUE(back) << app.toast().toStdString();
    laptop->send({{"cmd", "handoff_answer"}, {"sid", sid}, {"accept", true}});
    ASSERT_TRUE(waitFor([&] { return app.currentSession().isEmpty(); }, 20000))
        << app.toast().toStdString();
    EXPECT_FALSE(app.handoff()->busy());
    EXPECT_TRUE(app.toast().startsWith("Moved to")) << app.toast().toStdString();
}

// Attack (issue 13): a stranger's INVITE claimed the name "Alice", and the banner and the
// notification said "Alice invites you to a group". They name the stranger's account and the
// name its own signed record gives, marked as not a contact.
TEST(InviteIdentityAttack, GuiShowsAStrangersSignedNameNotTheOneItsInviteClaims)
{
    LocalNet net;
    PeerProcess* mallory = net.addPeer(QStringLiteral("Mallory"));
    AppSettings settings(nullptr, false);
    ui::RecordingNotifier notifier;
    AppController app(optionsFor(net, net.dir("bob")), &settings, &notifier);
    ASSERT_TRUE(readyInTheBackground(app));

    ASSERT_TRUE(mallory->ask({{"cmd", "fault"}, {"forge_invite", QJsonObject{{"name", "Alice"}}}},
                             "forged"));
    ASSERT_TRUE(mallory->ask({{"cmd", "create"}}, "session"));
    mallory->send({{"cmd", "invite"}, {"account", app.myAccount()}, {"device", app.myDevice()}});
    ASSERT_TRUE(waitFor([&] { return app.invitations()->rowCount() == 1; }, 20000));
    auto shown = [&] {
        return role(*app.invitations(), 0, ui::InvitationsModel::FromNameRole).toString();
    };
    EXPECT_FALSE(shown().contains(QLatin1String("Alice"))) << shown().toStdString();
    const QString expected = "Mallory (" + mallory->account.left(8) + ", not a contact)";
    EXPECT_TRUE(waitFor([&] { return shown() == expected; }, 20000)) << shown().toStdString();
    EXPECT_EQ(role(*app.invitations(), 0, ui::InvitationsModel::FromAccountRole).toString(),
              mallory->account);
    ASSERT_FALSE(notifier.shown.isEmpty());
    for (const auto& [title, body] : std::as_const(notifier.shown))
        EXPECT_FALSE(body.contains(QLatin1String("Alice"))) << body.toStdString();
}

// A member that is not the SM asks it to invite Bob (REFER): the banner names the SM as the
// inviter and the member as who asked, the member's name as for an inviter (her signed record,
// marked as not a contact), because her own signature vouches for it (docs/security.md).
TEST(InviteIdentity, GuiNamesTheMemberWhoAskedTheInviter)
{
    LocalNet net;
    PeerProcess* alice = net.addPeer(QStringLiteral("Alice"));
    PeerProcess* carol = net.addPeer(QStringLiteral("Carol"));
    AppSettings settings(nullptr, false);
    ui::RecordingNotifier notifier;
    AppController app(optionsFor(net, net.dir("bob")), &settings, &notifier);
    ASSERT_TRUE(readyInTheBackground(app));

    auto created = alice->ask({{"cmd", "create"}}, "session");
    ASSERT_TRUE(created.has_value());
    const QString sid = created->value("sid").toString();
    alice->send({{"cmd", "invite"}, {"account", carol->account}, {"device", carol->device}});
    auto invited = carol->waitEvent("invited", 20000);
    ASSERT_TRUE(invited.has_value());
    carol->send({{"cmd", "accept"}, {"sid", sid}});
    ASSERT_TRUE(carol->waitEvent(
        [](const QJsonObject& e) {
            return e.value("event") == "roster" && e.value("members").toArray().size() == 2;
        },
        20000));
    carol->send({{"cmd", "invite"},
                 {"sid", sid},
                 {"account", app.myAccount()},
                 {"device", app.myDevice()}});
    ASSERT_TRUE(waitFor([&] { return app.invitations()->rowCount() == 1; }, 20000));
    auto referrer = [&] {
        return role(*app.invitations(), 0, ui::InvitationsModel::ReferrerRole).toString();
    };
    const QString expected = "Carol (" + carol->account.left(8) + ", not a contact)";
    EXPECT_TRUE(waitFor([&] { return referrer() == expected; }, 20000)) << referrer().toStdString();
    EXPECT_TRUE(role(*app.invitations(), 0, ui::InvitationsModel::FromNameRole)
                    .toString()
                    .startsWith(QLatin1String("Alice")));
    ASSERT_FALSE(notifier.shown.isEmpty());
    EXPECT_TRUE(notifier.shown.front().second.contains(QLatin1String("asked for it")))
        << notifier.shown.front().second.toStdString();
}

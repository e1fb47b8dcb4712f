#include "app/demopeers.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

namespace plenum::ui {

namespace {
constexpr int kQuitGraceMs = 1500;
const QString kLoopback = QStringLiteral("127.0.0.1");
} // namespace

DemoPeers::DemoPeers(QObject* parent) : QObject(parent) {}

DemoPeers::~DemoPeers()
{
    stop();
}

Result<QString> DemoPeers::findPeerProgram()
{
    const QString here = QCoreApplication::applicationDirPath();
    for (const QString& candidate :
         {here + QStringLiteral("/plenum-peer"), here + QStringLiteral("/../peer/plenum-peer")}) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable()) return QDir::cleanPath(info.absoluteFilePath());
    }
    return fail("The demo needs plenum-peer, which was found neither next to plenum (" + here +
                ") nor in ../peer/. Build it with: cmake --build --preset default --target "
                "plenum-peer");
}

Status DemoPeers::start()
{
    auto program = findPeerProgram();
    if (!program) return fail(program.error());
    program_ = program.value();
    dir_ =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/plenum-demo-XXXXXX"));
    if (!dir_->isValid())
        return fail("The demo could not create a temporary directory: " + dir_->errorString());
    // A network id of its own: a second demo on the same machine is a different world.
    networkId_ = 0x504c4400u | (QRandomGenerator::global()->generate() & 0xffu);
    networkId_ = (networkId_ << 8) | (QRandomGenerator::global()->generate() & 0xffu);
    Q_EMIT progress(tr("Starting the demo peers…"));
    add(QStringLiteral("Alice"));
    return Ok{};
}

DemoPeer* DemoPeers::add(const QString& name)
{
    auto* peer = new DemoPeer(name, program_, this);
    peers_.push_back(peer);
    connect(peer, &DemoPeer::ready, this, [this, peer] { onPeerReady(peer); });
    connect(peer, &DemoPeer::failed, this, [this](const QString& reason) {
        if (!stopped_) Q_EMIT failed(reason);
    });
    connect(peer, &DemoPeer::event, this, [this, peer](const QJsonObject& e) { onEvent(peer, e); });
    peer->start(argumentsFor(name));
    return peer;
}

QStringList DemoPeers::argumentsFor(const QString& name) const
{
    QStringList args{QStringLiteral("--profile"),
                     dir_->filePath(name),
                     QStringLiteral("--name"),
                     name,
                     QStringLiteral("--network-id"),
                     QString::number(networkId_),
                     QStringLiteral("--no-lan-discovery"),
                     QStringLiteral("--allow-loopback"),
                     QStringLiteral("--local-address"),
                     kLoopback,
                     QStringLiteral("--dht-bind"),
                     kLoopback,
                     QStringLiteral("--auto-accept")};
    if (!bootstrap_.isEmpty()) args << QStringLiteral("--bootstrap") << bootstrap_;
    return args;
}

void DemoPeers::onPeerReady(DemoPeer* peer)
{
    if (peer == peers_.front()) {
        bootstrap_ = kLoopback + QLatin1Char(':') + QString::number(peer->dhtPort());
        Q_EMIT bootstrapReady(bootstrap_, networkId_);
        add(QStringLiteral("Bob"));
        add(QStringLiteral("Carol"));
        return;
    }
    maybeBuildGroup();
}

void DemoPeers::setUser(const QString& account, const QString& device)
{
    userAccount_ = account;
    userDevice_ = device;
    maybeBuildGroup();
}

void DemoPeers::maybeBuildGroup()
{
    if (step_ != Step::Idle || userAccount_.isEmpty() || peers_.size() < 3) return;
    for (DemoPeer* p : peers_)
        if (!p->isReady()) return;
    step_ = Step::Creating;
    Q_EMIT progress(tr("Alice is starting a group…"));
    peers_[0]->send({{"cmd", "create"}, {"capacity", 8}});
}

void DemoPeers::onEvent(DemoPeer* peer, const QJsonObject& e)
{
    const QString kind = e.value("event").toString();
    if (kind == QLatin1String("chat")) {
        onChat(peer, e);
    } else if (kind == QLatin1String("session") && step_ == Step::Creating &&
               peer == peers_.front()) {
        sid_ = e.value("sid").toString();
        step_ = Step::InvitingBob;
        invite(peers_[0], peers_[1]->account(), peers_[1]->device());
    } else if (kind == QLatin1String("invite_result") && e.value("code").toInt() != 200 &&
               step_ != Step::Ready) {
        Q_EMIT failed(tr("The demo group could not be built: %1 (%2)")
                          .arg(e.value("reason").toString())
                          .arg(e.value("code").toInt()));
    } else if (kind == QLatin1String("roster") && e.value("sid").toString() == sid_) {
        QStringList devices;
        for (const auto& m : e.value("members").toArray())
            devices.append(m.toObject().value("device").toString());
        members_[peer] = devices;
        advance();
    }
}

bool DemoPeers::allSee(int count, const QString& device) const
{
    for (DemoPeer* p : peers_) {
        const QStringList& m = members_.value(p);
        if (m.size() < count || (!device.isEmpty() && !m.contains(device))) return false;
    }
    return true;
}

// Each step waits until every peer has committed the previous one: a member refers only once
// it is a full member, and the user is invited into a settled group.
void DemoPeers::advance()
{
    if (step_ == Step::InvitingBob && members_.value(peers_[1]).size() >= 2 &&
        members_.value(peers_[0]).size() >= 2) {
        // Bob is a member, not the SM: his invitation travels as a REFER (issue 7).
        step_ = Step::InvitingCarol;
        invite(peers_[1], peers_[2]->account(), peers_[2]->device());
    } else if (step_ == Step::InvitingCarol && allSee(3)) {
        step_ = Step::InvitingUser;
        Q_EMIT progress(tr("Alice is inviting you…"));
        invite(peers_[0], userAccount_, userDevice_);
    } else if (step_ == Step::InvitingUser && allSee(4, userDevice_)) {
        step_ = Step::Ready;
        Q_EMIT groupReady(sid_);
        sayLater(peers_[0], 300,
                 tr("Welcome to the Plenum demo! Bob, Carol and I are three local peers on a "
                    "private network on this machine."));
        sayLater(peers_[1], 1200, tr("Hi! Write something and I will answer."));
        sayLater(peers_[2], 2200,
                 tr("Hello from Carol. Try a private side-chat with me: only I will see it."));
        if (call_) startCall();
    }
}

void DemoPeers::invite(DemoPeer* from, const QString& account, const QString& device)
{
    from->send({{"cmd", "invite"}, {"sid", sid_}, {"account", account}, {"device", device}});
}

void DemoPeers::onChat(DemoPeer* peer, const QJsonObject& e)
{
    if (step_ != Step::Ready || e.value("from").toString() != userAccount_) return;
    const QString text = e.value("text").toString().left(200);
    if (e.value("private").toBool()) {
        // A side-chat reached this peer: answer privately, to the user only.
        sayLater(peer, 800, tr("(just between us) got '%1'").arg(text), userAccount_);
    } else if (peer == peers_[1]) {
        const QString reply = tr("got '%1'").arg(text);
        // Live typing first, so the faint typing line is part of the demo.
        peer->send({{"cmd", "type"}, {"sid", sid_}, {"text", reply.left(reply.size() / 2)}});
        sayLater(peer, 900, reply);
    }
}

void DemoPeers::sayLater(DemoPeer* peer, int delayMs, const QString& text, const QString& to)
{
    QTimer::singleShot(delayMs, peer, [this, peer, text, to] {
        QJsonObject c{{"cmd", "say"}, {"sid", sid_}, {"text", text}};
        if (!to.isEmpty()) c.insert("to", QJsonArray{to});
        peer->send(c);
    });
}

void DemoPeers::startCall()
{
    const QStringList wavs{dir_->filePath(QStringLiteral("bob-says.wav")),
                           dir_->filePath(QStringLiteral("carol-says.wav"))};
    speech_ = new DemoSpeech(this);
    connect(speech_, &DemoSpeech::ready, this, [this, wavs] { joinCall(wavs); });
    connect(speech_, &DemoSpeech::unavailable, this, [this](const QString& reason) {
        if (stopped_) return;
        speechProblem_ = reason;
        joinCall({});
        sayLater(peers_[1], 3200,
                 tr("Carol and I are in the call, but we cannot speak: %1.").arg(reason));
    });
    // Speech stays in English: espeak-ng's voices are per language, and the lines are a demo.
    speech_->start(
        {QStringLiteral("en+m3"), QStringLiteral("en+f3")},
        {{0, QStringLiteral("Hi, this is Bob. Carol and I are in the call.")},
         {1, QStringLiteral("And I am Carol. Press join call to talk with us.")},
         {0, QStringLiteral("Our voices travel over encrypted links between the peers on this "
                            "machine.")},
         {1, QStringLiteral("Watch the rings: they light up when someone speaks.")}},
        wavs);
}

void DemoPeers::joinCall(const QStringList& speech)
{
    if (stopped_ || peers_.size() < 3) return;
    for (int i : {1, 2}) {
        if (i - 1 < speech.size())
            peers_[size_t(i)]->send({{"cmd", "audio_in"}, {"file", speech[i - 1]}, {"loop", true}});
        peers_[size_t(i)]->send({{"cmd", "call_join"}, {"sid", sid_}});
    }
    Q_EMIT callStarted();
}

void DemoPeers::stop()
{
    if (stopped_) return;
    stopped_ = true;
    // All get "quit" at once, so their BYEs overlap; then each is waited for (or killed).
    for (DemoPeer* p : peers_)
        p->send({{"cmd", "quit"}});
    for (DemoPeer* p : peers_)
        p->stop(kQuitGraceMs);
    qDeleteAll(peers_);
    peers_.clear();
    dir_.reset(); // removes every profile, the GUI's demo profile included
}

QList<qint64> DemoPeers::pids() const
{
    QList<qint64> out;
    for (const DemoPeer* p : peers_)
        out.append(p->pid());
    return out;
}

QStringList DemoPeers::accounts() const
{
    QStringList out;
    for (const DemoPeer* p : peers_)
        out.append(p->account());
    return out;
}

QString DemoPeers::aliceDevice() const
{
    return peers_.empty() ? QString() : peers_.front()->device();
}

bool DemoPeers::isPeerDevice(const QString& deviceHex) const
{
    return std::any_of(peers_.begin(), peers_.end(),
                       [&](const DemoPeer* p) { return p->device() == deviceHex; });
}

} // namespace plenum::ui

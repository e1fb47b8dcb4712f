#pragma once
// --demo: three plenum-peer processes (Alice, Bob, Carol) on a private DHT on loopback, with
// their profiles in a temporary directory, that build a group with the GUI's user and chat
// back (issue 7). Alice's DHT node is the bootstrap of everyone, the GUI's Node included; the
// network id is random per run, LAN discovery is off, every address is 127.0.0.1: the demo
// never multicasts and never contacts public nodes (DESIGN §2).
//
// Flow: start() → Alice ready → bootstrapReady(ip:port, networkId) (the app starts its own
// Node on it) → Bob, Carol ready → setUser() → Alice creates the group, invites Bob, Bob
// refers Carol, Alice invites the user → groupReady(sid) once all four are committed →
// hellos. Bob answers what the user writes to everyone; a side-chat is answered privately.
// Then Bob and Carol join the group's call and take turns speaking lines made by espeak-ng
// (DemoSpeech, looped through plenum-peer's file backend), so a newcomer who presses "Join
// call" hears a call at once. Without espeak-ng they join silent and Bob says why in the chat.

#include "app/demopeer.h"
#include "app/demospeech.h"
#include "protocol/result.h"

#include <QHash>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace plenum::ui {

class DemoPeers : public QObject {
    Q_OBJECT
public:
    explicit DemoPeers(QObject* parent = nullptr);
    ~DemoPeers() override;

    // plenum-peer next to this executable, else ../peer/plenum-peer (the build tree).
    static Result<QString> findPeerProgram();

    Status start();
    // The GUI's own account and device (hex), known once its Node runs.
    void setUser(const QString& account, const QString& device);
    // Every child gets "quit", then SIGKILL after a grace period; the directory is removed.
    void stop();

    QString directory() const { return dir_ ? dir_->path() : QString(); }
    QString bootstrap() const { return bootstrap_; }
    quint32 networkId() const { return networkId_; }
    QList<qint64> pids() const;
    QString aliceDevice() const;
    QStringList accounts() const; // Alice, Bob, Carol
    bool isPeerDevice(const QString& deviceHex) const;
    QString sid() const { return sid_; }
    // Alice, Bob, Carol (in that order; fewer while starting). Tests drive them through their
    // plenum-peer contract (send(), the event signal) beside the demo's own use.
    const std::vector<DemoPeer*>& peers() const { return peers_; }
    // Whether Bob and Carol start the group's call once it is ready (default on). Tests that
    // need no call turn it off before then: the call's speech and audio cost CPU.
    void setCall(bool on) { call_ = on; }
    // Why Bob and Carol are silent in the call (espeak-ng missing or failed); empty when they
    // speak or have not joined yet.
    QString speechProblem() const { return speechProblem_; }

Q_SIGNALS:
    void bootstrapReady(const QString& bootstrap, quint32 networkId);
    void groupReady(const QString& sid);
    // Bob and Carol were told to join the call (speaking, or silent: see speechProblem()).
    void callStarted();
    void progress(const QString& text);
    void failed(const QString& reason);

private:
    DemoPeer* add(const QString& name);
    QStringList argumentsFor(const QString& name) const;
    void onPeerReady(DemoPeer* peer);
    void maybeBuildGroup();
    void onEvent(DemoPeer* peer, const QJsonObject& e);
    void advance();
    bool allSee(int count, const QString& device = {}) const;
    void invite(DemoPeer* from, const QString& account, const QString& device);
    void onChat(DemoPeer* peer, const QJsonObject& e);
    void sayLater(DemoPeer* peer, int delayMs, const QString& text, const QString& to = {});
    void startCall();
    void joinCall(const QStringList& speech);

    QString program_;
    std::unique_ptr<QTemporaryDir> dir_;
    quint32 networkId_ = 0;
    QString bootstrap_;
    std::vector<DemoPeer*> peers_; // children: Alice, Bob, Carol
    QString userAccount_, userDevice_;
    QString sid_;
    QHash<DemoPeer*, QStringList> members_; // each peer's newest roster of sid_ (devices)
    enum class Step {
        Idle,
        Creating,
        InvitingBob,
        InvitingCarol,
        InvitingUser,
        Ready
    } step_ = Step::Idle;
    bool stopped_ = false;
    bool call_ = true;
    DemoSpeech* speech_ = nullptr;
    QString speechProblem_;
};

} // namespace plenum::ui

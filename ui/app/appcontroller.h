#pragma once
// The `app` object QML sees (docs/ui.md): owns this device's Node and the models over it,
// turns the person's actions into Node calls and the Node's events into model changes,
// toasts and notifications. Everything runs on the GUI thread except key generation, which
// runs in a worker thread so the window stays responsive while RSA keys are made.

#include "app/appsettings.h"
#include "app/handoffcontroller.h"
#include "app/screenlockwatcher.h"
#include "models/audiodevicemodel.h"
#include "models/callmodel.h"
#include "models/cobrowsestate.h"
#include "models/contactsmodel.h"
#include "models/conversationmodel.h"
#include "models/devicesmodel.h"
#include "models/invitationsmodel.h"
#include "models/rostermodel.h"
#include "models/sessionsmodel.h"
#include "node/nodeoptions.h"
#include "protocol/deviceclass.h"
#include "protocol/result.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace plenum::node {
class Node;
struct Inviter;
} // namespace plenum::node

namespace plenum::ui {

class DemoPeers;
class Notifier;

class AppController : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString phase READ phase NOTIFY phaseChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(QString progressText READ progressText NOTIFY progressChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(QString myName READ myName NOTIFY identityChanged)
    Q_PROPERTY(QString myAccount READ myAccount NOTIFY identityChanged)
    Q_PROPERTY(QString myDevice READ myDevice NOTIFY identityChanged)
    Q_PROPERTY(QString myLink READ myLink NOTIFY identityChanged)
    Q_PROPERTY(QString myAvatar READ myAvatar NOTIFY identityChanged)
    Q_PROPERTY(QString myPresence READ myPresence NOTIFY myPresenceChanged)
    Q_PROPERTY(bool demo READ demo CONSTANT)
    Q_PROPERTY(bool profileExists READ profileExists NOTIFY phaseChanged)
    Q_PROPERTY(QString deviceClass READ deviceClass CONSTANT)
    Q_PROPERTY(bool webView READ webView CONSTANT)
    Q_PROPERTY(plenum::ui::ContactsModel* contacts READ contacts CONSTANT)
    Q_PROPERTY(plenum::ui::SessionsModel* sessions READ sessions CONSTANT)
    Q_PROPERTY(plenum::ui::InvitationsModel* invitations READ invitations CONSTANT)
    Q_PROPERTY(plenum::ui::DevicesModel* devices READ devices CONSTANT)
    Q_PROPERTY(plenum::ui::HandoffController* handoff READ handoff CONSTANT)
    Q_PROPERTY(QString currentSession READ currentSession NOTIFY currentSessionChanged)
    Q_PROPERTY(plenum::ui::RosterModel* roster READ roster CONSTANT)
    Q_PROPERTY(plenum::ui::CallModel* call READ call CONSTANT)
    Q_PROPERTY(plenum::ui::CoBrowseState* browse READ browse CONSTANT)
    // The call bar's device picker; a choice takes effect at once, also mid-call.
    Q_PROPERTY(plenum::ui::AudioDeviceModel* microphones READ microphones CONSTANT)
    Q_PROPERTY(plenum::ui::AudioDeviceModel* speakers READ speakers CONSTANT)
    Q_PROPERTY(plenum::ui::ConversationModel* conversation READ conversation CONSTANT)
    Q_PROPERTY(plenum::ui::AppSettings* settings READ settings CONSTANT)
    Q_PROPERTY(QString toast READ toast NOTIFY toastChanged)
public:
    static constexpr int kToastMs = 4000;

    struct Options {
        QString profileDir;
        bool demo = false;
        // Tests: start the Node on this private DHT instead of the settings' network.
        std::optional<identity::DhtConfig> dht;
        bool loopbackIce = false;
        // What this device is (`plenum --device-class phone`): elections bid with it, others
        // see it, and a phone gets the one-column touch layout.
        protocol::DeviceClass deviceClass = protocol::DeviceClass::Desktop;
        // The executable initialised Qt WebEngine: the co-browse pane shows real pages.
        bool webView = false;
    };

    AppController(Options options, AppSettings* settings, Notifier* notifier,
                  QObject* parent = nullptr);
    ~AppController() override;

    // Opens the profile (or shows first start); in demo mode starts the demo peers first.
    void start();
    // Leaves every session (BYE), then stops the Node and the demo peers; emits finished().
    Q_INVOKABLE void quit();
    // After the profile failed to open (another Plenum holds it, its disk was not ready) or
    // its Node failed to start (the network): try again. A profile that exists is never
    // offered the first-start forms.
    Q_INVOKABLE void retryOpen();
    // The window's focus decides whether new messages also become notifications.
    void setWindowActive(bool active) { windowActive_ = active; }

    // Where the app is; QML reads `phase` as the name ("firstStart", "ready" …).
    enum class Phase {
        Starting,
        FirstStart,
        CreatingAccount,
        Linking,
        Connecting,
        Ready,
        Error,
    };
    Q_ENUM(Phase)
    QString phase() const;
    Phase phaseValue() const { return phase_; }
    double progress() const { return progress_; }
    QString progressText() const { return progressText_; }
    QString errorText() const { return errorText_; }
    QString myName() const;
    QString myAccount() const;
    QString myDevice() const;
    QString myLink() const;
    QString myAvatar() const { return myAvatar_; }
    QString myPresence() const { return myPresence_; }
    bool demo() const { return options_.demo; }
    bool profileExists() const;
    QString deviceClass() const { return protocol::deviceClassName(options_.deviceClass); }
    bool webView() const { return options_.webView; }
    ContactsModel* contacts() { return &contacts_; }
    SessionsModel* sessions() { return &sessions_; }
    InvitationsModel* invitations() { return &invitations_; }
    HandoffController* handoff() { return &handoff_; }
    DevicesModel* devices() { return &devices_; }
    QString currentSession() const;
    RosterModel* roster() { return &roster_; }
    CallModel* call() { return &call_; }
    CoBrowseState* browse() { return &browse_; }
    AudioDeviceModel* microphones() { return &microphones_; }
    AudioDeviceModel* speakers() { return &speakers_; }
    ConversationModel* conversation() { return &conversation_; }
    AppSettings* settings() { return settings_; }
    QString toast() const { return toast_; }
    node::Node* node() const { return node_.get(); }
    DemoPeers* demoPeers() const { return demo_; }

    Q_INVOKABLE void createAccount(const QString& name, const QString& avatarPath);
    Q_INVOKABLE void linkDevice(const QString& code);
    Q_INVOKABLE QString linkDeviceFromImage(const QString& path);
    Q_INVOKABLE QString addContact(const QString& linkOrAccountHex);
    Q_INVOKABLE void setBlocked(const QString& account, bool blocked);
    Q_INVOKABLE QString startGroup();
    Q_INVOKABLE void openSession(const QString& sid);
    Q_INVOKABLE void invite(const QString& account);
    Q_INVOKABLE void acceptInvitation(const QString& sid);
    Q_INVOKABLE void declineInvitation(const QString& sid);
    Q_INVOKABLE void leaveSession();
    Q_INVOKABLE void send(const QString& text, const QStringList& toAccounts);
    Q_INVOKABLE void setTyping(const QString& text);
    Q_INVOKABLE void retry(const QString& messageId);
    Q_INVOKABLE void loadOlder();
    Q_INVOKABLE QString newPairingCode();
    Q_INVOKABLE void revokeDevice(const QString& device);
    Q_INVOKABLE void setPresence(const QString& status);
    Q_INVOKABLE void setMyName(const QString& name);
    Q_INVOKABLE void setMyAvatar(const QString& path);
    // The open session's call (docs/media.md "Call control").
    Q_INVOKABLE void joinCall();
    Q_INVOKABLE void leaveCall();
    Q_INVOKABLE void setMuted(bool muted);
    Q_INVOKABLE void setDeafened(bool deafened);

    // Words for an invitation result code ("Bob declined"); "" for success.
    static QString inviteResultText(int code, const QString& name, const QString& reason);
    // Words for a join that failed, by the session core's code (a CANCEL's 503 is "the group
    // is full", not "the invitation was withdrawn"); the reason where no code says more.
    static QString joinFailedText(int code, const QString& reason);

Q_SIGNALS:
    void phaseChanged();
    void progressChanged();
    void errorTextChanged();
    void identityChanged();
    void myPresenceChanged();
    void currentSessionChanged();
    void toastChanged();
    void notify(const QString& title, const QString& body);
    void sessionOpened(const QString& sid);
    void finished();
    // --demo: the group with Alice, Bob and Carol is committed with this device in it.
    void demoReady(const QString& sid);

private:
    void setPhase(Phase phase);
    void setProgress(double progress, const QString& text);
    void setError(const QString& text);
    void showToast(const QString& text);
    void startDemo();
    void makeProfile(const QString& name, std::function<void()> then);
    void openNode(const QString& pairCode = {});
    void attachNode(node::Node* node);
    void onNodeReady();
    void checkDemoReady();
    void abandonLinking(const QString& reason);
    void onInvited(const SessionId& sid, const node::Inviter& who);
    void onInviterNamed(const SessionId& sid, const node::Inviter& who);
    void onChat(const SessionId& sid, const protocol::ChatMessage& m);
    void onRoster(const SessionId& sid, const protocol::RosterSnapshot& roster);
    void onCallChanged(const SessionId& sid);
    void closeCurrent();
    void notifyUser(const QString& title, const QString& body);
    node::NodeOptions nodeOptions() const;
    std::optional<SessionId> current() const { return current_; }
    QString avatarPath() const;

    Options options_;
    AppSettings* settings_;
    Notifier* notifier_;
    std::unique_ptr<node::Node> node_;
    DemoPeers* demo_ = nullptr;
    QString demoBootstrap_;
    quint32 demoNetworkId_ = 0;
    std::optional<SessionId> demoSid_;
    bool demoReadySent_ = false;
    QFutureWatcher<QString>* keygen_ = nullptr; // "" or the reason key generation failed

    Phase phase_ = Phase::Starting;
    double progress_ = -1;
    QString progressText_;
    QString errorText_;
    QString myAvatar_;
    QString myPresence_ = QStringLiteral("online");
    QString toast_;
    QTimer toastTimer_;
    bool windowActive_ = true;
    bool quitting_ = false;
    std::optional<SessionId> current_;
    std::optional<SessionId> openWhenJoined_;

    ContactsModel contacts_;
    SessionsModel sessions_;
    InvitationsModel invitations_;
    DevicesModel devices_;
    RosterModel roster_;
    CallModel call_;
    CoBrowseState browse_;
    AudioDeviceModel microphones_{AudioDeviceModel::Kind::Input};
    AudioDeviceModel speakers_{AudioDeviceModel::Kind::Output};
    QHash<SessionId, int> callSizes_; // others in each session's call, for "call started"
    ConversationModel conversation_;
    HandoffController handoff_{invitations_, handoffHooks()};
    HandoffController::Hooks handoffHooks();
    ScreenLockWatcher screenLock_; // the hand-off's lock rule (AppSettings::handoffOnLock)
};

} // namespace plenum::ui

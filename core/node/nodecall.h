#pragma once
// Call control of one device (DESIGN §7, docs/media.md "Call control"): who is in each
// session's call, this device's join/leave/mute/deafen, and the CallEngine that carries its
// audio. A member's call state is its own: it travels as CALL_STATE to every member over the
// control links (re-sent when a link comes up or a member is added), the newest counter wins,
// and it is accepted only from a member of the roster about itself (§5.1 rule 6). It is not a
// roster change, so calls keep working while the SM fails over.
//
// The media stream of a link is open only while both ends are in the same call: reconcile()
// adds a peer's link to the engine when its CALL_STATE says it is in this device's call and the
// link is up, and removes it when either leaves; a stream the other end opened without that
// (a stale view on its side) is stopped again here.
//
// A hand-off's call (docs/handoff.md "The call at the swap"), make before break: the new
// device (A2) joins the call on standby while it holds the seat — its engine runs, its streams
// to the members in the call are open and primed both ways — and the members count a seat's
// device's CALL_STATE like a member's, but play a peer only while it is a member of their
// committed roster. The swap makes A2 a member and takes A1 out in one commit, so each member
// switches from A1 to A2 in one step and never plays both; A1 keeps sending for a short drain
// so a member that commits the swap later than A1 still hears it until then.

#include "media/audiodevice.h"
#include "media/audiothread.h"
#include "media/callengine.h"
#include "protocol/messages.h"
#include "session/sessionhost.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

namespace plenum::net {
class ControlLink;
}

namespace plenum::node {

class NodeCall : public QObject {
    Q_OBJECT
public:
    // RTT probes and the stats signal while in a call; a stream that failed is retried after.
    static constexpr int kStatsIntervalMs = 1000;
    static constexpr int kMediaRetryMs = 1000;
    // A1 after the swap: its stream runs on this long, until every member switched to A2.
    static constexpr int kHandOverDrainMs = 2000;

    using LinkSender = std::function<void(const DeviceId& to, const protocol::Message&)>;
    // The control link to a device when one exists (up or not), else null.
    using LinkLookup = std::function<net::ControlLink*(const DeviceId&)>;
    // Makes the audio device of a call, when the call starts (FileAudioDevice in tests,
    // QtAudioDevice in the app).
    using DeviceFactory = std::function<std::unique_ptr<media::AudioDevice>()>;

    struct Member {
        DeviceId device;
        AccountId account;
        QString name;
        bool self = false;
        bool muted = false;
        bool deafened = false;
        bool speaking = false;
        bool mediaUp = false; // self: the call runs; others: their stream to us is up
        // What this device hears of the member (self: its own microphone), dBFS; -96 when
        // silent, muted or not heard here (the level meters of the call bar).
        double levelDb = -96;
    };
    struct PeerStats {
        DeviceId device;
        media::CallEngine::PeerStats media;
        std::optional<double> rttMs; // the newest CALL_PROBE round trip over the control link
    };

    NodeCall(session::SessionHost& host, LinkSender send, LinkLookup link,
             QObject* parent = nullptr);
    ~NodeCall() override;

    void setDeviceFactory(DeviceFactory factory) { factory_ = std::move(factory); }
    void setEngineConfig(const media::CallEngine::Config& config) { config_ = config; }

    // ---- commands ----
    // Joins the session's call (the first member to join starts it); leaves the call of
    // another session first. Refused when this device is not a member of `sid`.
    Status join(const SessionId& sid);
    Status leave();
    // A2 holding a hand-off seat of `sid` whose A1 is in the call: joins it on standby with
    // `members` (the snapshot's, without A1): the engine runs and the streams open, but this
    // device plays nothing and the members do not play it until the swap; join(sid) after
    // the swap makes it a full member of the call at once. Not a call of activeCall().
    // A1's mute and deafen (`carried`, from the snapshot) are this device's from now: the
    // user muted on A1 is muted on A2 (members see it before the swap), and while the standby
    // lasts A2 follows what A1 says of itself (CALL_STATE from `replaces`).
    Status joinStandby(const SessionId& sid, const QList<DeviceId>& members,
                       const protocol::CallState& carried = {}, const DeviceId& replaces = {});
    // The standby of `sid` ends without a swap (the hand-off failed): mute and deafen return
    // to what they were before it.
    void endStandby(const SessionId& sid);
    bool onStandby(const SessionId& sid) const { return standby_ && active_ == sid; }
    // The standby is ready: every member's link is up, its call state known, and the stream
    // of each member in the call delivered its first packet.
    bool standbyReady(const SessionId& sid) const;
    // A1 after the swap: out of the call, but its stream runs kHandOverDrainMs more.
    void handOver(const SessionId& sid);
    void setMuted(bool muted);
    void setDeafened(bool deafened);
    bool muted() const { return muted_; }
    bool deafened() const { return deafened_; }
    std::optional<SessionId> activeCall() const { return standby_ ? std::nullopt : active_; }
    // Every member of `sid`'s call (this device first when it is in it), from the roster.
    QList<Member> members(const SessionId& sid) const;
    QList<PeerStats> stats() const;
    // The running call's audio device, null outside a call: device choices that take effect
    // mid-call (the GUI's picker, plenum-peer's audio_in/audio_out) act on it.
    // Lives on the call's audio thread while a call runs: call it there (invokeMethod).
    media::AudioDevice* audioDevice() const { return device_; }

    // ---- from the Node ----
    void onRosterChanged(const SessionId& sid, const protocol::RosterSnapshot& roster);
    void onSessionGone(const SessionId& sid);
    void onLinkUp(const DeviceId& peer);
    void onLinkDown(const DeviceId& peer);
    void onMessage(const DeviceId& from, const protocol::Message& message);
    static bool isCall(const protocol::Body& body);

Q_SIGNALS:
    // Who is in `sid`'s call, or someone's mute/deafen changed.
    void callChanged(plenum::SessionId sid);
    // Once a second while this device is in a call.
    void statsTick(plenum::SessionId sid);
    // The first audio packet of `peer` this device plays since it joined, or since `peer`
    // came (back) into its call (ms after join()). Not while on standby (it plays nothing),
    // nor from a seat's device before the swap (inaudible): reported when it becomes played.
    void firstAudio(plenum::SessionId sid, plenum::DeviceId peer, qint64 msSinceJoin);
    // The standby of `sid` became ready (standbyReady).
    void standbyReadyChanged(plenum::SessionId sid);
    void warning(QString text);

private:
    DeviceId self() const { return host_.self().device; }
    protocol::CallState ownState(const SessionId& sid) const;
    bool isMember(const SessionId& sid, const DeviceId& device) const;
    // A device holding a hand-off seat in `sid`'s committed roster (A2, seen from a member).
    bool isSeat(const SessionId& sid, const DeviceId& device) const;
    // Who this device shares `sid`'s call with: the committed members, or on standby the
    // snapshot's; and, as a member, the seats' devices (inaudible until the swap).
    QList<DeviceId> callPeers(const SessionId& sid) const;
    void checkStandby();
    // firstAudio for every peer heard and now played that was not reported yet.
    void reportAudio();
    // A peer left this device's call: its stream and its first-packet report are gone.
    void dropPeer(const DeviceId& peer);
    void bumpCounter();
    void broadcast(const SessionId& sid);
    void sendState(const SessionId& sid, const DeviceId& to);
    void onState(const SessionId& sid, const DeviceId& from, const protocol::CallState& state);
    void onProbe(const SessionId& sid, const DeviceId& from, const protocol::CallProbe& probe);
    void reconcile();
    void watch(net::ControlLink* link);
    void tick();
    Status startEngine(const SessionId& sid);
    void stopEngine();

    session::SessionHost& host_;
    LinkSender send_;
    LinkLookup link_;
    DeviceFactory factory_;
    media::CallEngine::Config config_;
    std::optional<SessionId> active_;
    bool muted_ = false;
    bool deafened_ = false;
    std::uint64_t counter_ = 0;
    // Per session: the others' newest CALL_STATE, and the members we last told ours to.
    std::map<SessionId, QHash<DeviceId, protocol::CallState>> states_;
    std::map<SessionId, QSet<DeviceId>> told_;
    // Declared in this order so the engine goes first, then the device, then its thread.
    std::unique_ptr<media::AudioThread> audioThread_;
    std::unique_ptr<media::AudioDevice> ownDevice_; // without an audio thread
    media::AudioDevice* device_ = nullptr;          // either of them
    std::unique_ptr<media::CallEngine> engine_;
    QHash<DeviceId, QPointer<net::ControlLink>> watched_;
    QHash<DeviceId, double> rttMs_;
    QSet<DeviceId> heardFrom_; // first packet received since join (or since it came back)
    QSet<DeviceId> reported_;  // of those, reported by firstAudio (played)
    QElapsedTimer sinceJoin_;
    QElapsedTimer clock_; // probe stamps
    QTimer ticker_;
    QTimer retry_;
    QTimer drain_; // A1 after the swap (handOver)
    bool standby_ = false;
    bool standbyWasReady_ = false;
    QList<DeviceId> standbyMembers_;
    DeviceId standbyFor_; // A1: the device whose place in the call the standby takes
    // Mute and deafen before the standby took A1's (restored if the hand-off fails).
    bool mutedBefore_ = false;
    bool deafenedBefore_ = false;
};

} // namespace plenum::node

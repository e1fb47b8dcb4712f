#pragma once
// A deterministic, seeded network of N devices running the real session core (STYLE §2:
// FoundationDB-style simulation). One std::mt19937_64 owns every random choice; the same
// seed replays the same run exactly.

#include "session/sessionhost.h"

#include <QHash>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace plenum::sim {

using session::Millis;

struct SimConfig {
    int peers = 3;
    Millis latencyMin = 1; // one-way delay of a link message
    Millis latencyMax = 20;
    double dhtLoss = 0.0;      // first-contact (DHT) messages lost
    double dhtDuplicate = 0.0; // first-contact messages delivered twice
    Millis linkSetup = 0;      // extra time for ICE+TLS (0: two one-way delays)
    // Peer -> an earlier peer whose account it shares: a second device of that account, for
    // the hand-off (DESIGN §8). Empty: every peer is its own account.
    std::map<int, int> sameAccountAs;
    session::SessionConfig session;
};

class SimNetwork;

// One device: its session host, its "disk" and its event log.
class SimPeer final : public session::Outbox {
public:
    SimPeer(SimNetwork& net, int index, const protocol::MemberInfo& info);
    ~SimPeer() override;

    int index() const { return index_; }
    const protocol::MemberInfo& info() const { return info_; }
    // False from a crash point on, though the host is torn down only once the handler that
    // hit it returns (SimNetwork::runUntil).
    bool alive() const { return host_ != nullptr && !dying_; }
    std::uint64_t incarnation() const { return incarnation_; }
    session::SessionHost* host() { return host_.get(); }
    session::Session* session(const SessionId& sid)
    {
        return host_ ? host_->session(sid) : nullptr;
    }
    const std::map<SessionId, session::SessionRecord>& disk() const { return disk_; }
    // Its keyed digest (a device signs only as itself; anyone checks anyone's).
    session::TicketAuthority& tickets();
    const std::map<SessionId, Millis>& timers() const { return timers_; }
    struct LogEntry {
        Millis at;
        const char* what;        // static text: "send", "recv", "link-up", an event name...
        const char* type;        // message or event name
        int other;               // the other peer, or -1
        std::string detail = {}; // a refusal's reason: what a stall's replay needs most
    };
    const std::deque<LogEntry>& log() const { return log_; }
    void note(const char* what, const char* type, int other, std::string detail = {});
    std::string formatLog() const;

    void start(); // (re)starts: a new host restored from disk
    void crash(); // kill -9: memory, timers and links are gone; the disk stays

    // Outbox
    void send(const DeviceId& to, const protocol::Message& message) override;
    void openLink(const SessionId& sid, const DeviceId& to) override;
    void closeLink(const SessionId& sid, const DeviceId& to) override;
    void setTimer(const SessionId& sid, Millis at) override;
    void cancelTimer(const SessionId& sid) override;
    void persist(const session::SessionRecord& record) override;
    void forget(const SessionId& sid) override;
    void notify(const SessionId& sid, const session::SessionEvent& event) override;
    // Counted and logged; an outsider's link is closed, as the Node does.
    void refused(const SessionId& sid, const DeviceId& from, const QString& reason,
                 bool outsider) override;
    std::uint64_t refusals() const { return refusals_; }
    const std::string& lastRefusal() const { return lastRefusal_; }

    std::uint64_t timerGeneration(const SessionId& sid) const;

    // A crash point between the effects of one handler (§5.1 "persisted before sent"): the
    // effect for which `when` returns true, and everything after it, never happen; the
    // device dies once the handler returns. Effects are "send" (with its message),
    // "persist", "open-link" and "close-link".
    using CrashPoint = std::function<bool(const char* effect, const protocol::Message* m)>;
    void setCrashPoint(CrashPoint when) { crashPoint_ = std::move(when); }
    bool dying() const { return dying_; }
    std::uint64_t effects() const { return effects_; }

private:
    bool suppressed(const char* effect, const protocol::Message* m);
    friend class SimNetwork;
    SimNetwork& net_;
    int index_;
    protocol::MemberInfo info_;
    std::unique_ptr<session::SessionHost> host_;
    std::map<SessionId, session::SessionRecord> disk_;
    std::map<SessionId, Millis> timers_;
    std::map<SessionId, std::uint64_t> timerGen_;
    std::deque<LogEntry> log_;
    class PeerTickets;
    std::unique_ptr<PeerTickets> tickets_;
    std::mt19937_64 rng_;
    std::uint64_t incarnation_ = 0;
    CrashPoint crashPoint_;
    bool dying_ = false;
    std::uint64_t effects_ = 0;
    std::uint64_t refusals_ = 0;
    std::string lastRefusal_;
};

// Observes everything the network carries and every event peers emit (for invariants).
class SimObserver {
public:
    virtual ~SimObserver() = default;
    virtual void onSend(int from, int to, const protocol::Message& m, bool overLink) {}
    virtual void onDelivered(int from, int to, const protocol::Message& m,
                             const session::Session* before, const protocol::RosterStamp& prev)
    {
    }
    virtual void onEvent(int peer, const SessionId& sid, const session::SessionEvent& e,
                         bool fromSm)
    {
    }
    virtual void onStep(Millis now) {}
};

class SimNetwork {
public:
    SimNetwork(std::uint64_t seed, const SimConfig& config);
    ~SimNetwork();

    Millis now() const { return now_; }
    std::mt19937_64& rng() { return rng_; }
    const SimConfig& config() const { return config_; }
    int size() const { return static_cast<int>(peers_.size()); }
    SimPeer& peer(int i) { return *peers_[i]; }
    int indexOf(const DeviceId& d) const;
    void setObserver(SimObserver* o) { observer_ = o; }
    SimObserver* observer() { return observer_; }
    // Answer invitations automatically (accept with this probability, after a short delay).
    void setAutoAnswer(double acceptProbability) { acceptProbability_ = acceptProbability; }
    // This peer always answers invitations this way (overrides the probability).
    void setAnswer(int peer, bool accept) { answers_[peer] = accept; }
    // Extra one-way delay on messages from `from` to `to` (a slow path, for late votes).
    void setExtraDelay(int from, int to, Millis extra) { extraDelay_[{from, to}] = extra; }

    // Runs events until `until` (inclusive).
    void runUntil(Millis until);
    void runFor(Millis span) { runUntil(now_ + span); }
    // Schedules an action at an absolute time.
    void at(Millis when, std::function<void()> action);

    // ---- the adversary (adversary.h)
    // `m` goes from `from` to `to` over their link (opened first if needed) as if `from`'s
    // session core had sent it; observers do not see it as a send of that core.
    void inject(int from, int to, const protocol::Message& m);
    // Sees every message delivered, before the receiver handles it.
    using Tap = std::function<void(int from, int to, const protocol::Message& m)>;
    void setTap(Tap tap) { tap_ = std::move(tap); }
    // Scenarios: a message for which `drop` answers true is lost in transit (after the
    // observer saw it sent), as on a link that dropped one packet.
    using Drop = std::function<bool(int from, int to, const protocol::Message& m)>;
    void setDrop(Drop drop) { drop_ = std::move(drop); }

    // ---- faults
    void partition(const std::vector<int>& sideA); // everyone else is side B
    void blockOneWay(int from, int to);
    void breakLink(int a, int b);
    void healAll();
    void crash(int i);
    void restart(int i);

    // ---- links
    bool linkUp(int a, int b) const;
    bool reachable(int from, int to) const;
    // No link is being set up, closed, or is broken and waiting to be noticed.
    bool linksSettled() const;

    // counters
    std::uint64_t messagesSent() const { return messagesSent_; }
    std::uint64_t controlMessagesSent() const { return controlSent_; } // all but pings
    Millis lastControlMessageAt() const { return lastControlAt_; }

private:
    friend class SimPeer;
    struct Event {
        Millis at;
        std::uint64_t seq;
        std::function<void()> action;
        bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };
    struct Link {
        bool up = false;
        bool connecting = false;
        bool broken = false;
        bool closing = false; // closed cleanly: what was sent still arrives
        std::uint64_t generation = 0;
        Millis lastDelivery[2] = {0, 0};       // FIFO per direction: [a->b], [b->a]
        std::uint64_t incarnation[2] = {0, 0}; // which run of each end saw it come up
    };
    using Key = std::pair<int, int>;
    static Key key(int a, int b) { return a < b ? Key{a, b} : Key{b, a}; }

    Millis latency();
    void transmit(int from, int to, const protocol::Message& m, bool forged = false);
    void requestLink(int from, int to);
    void tryConnect(int a, int b);
    void markBroken(int a, int b);
    void linkDown(int a, int b, std::uint64_t generation);
    void dropLinksOf(int i);
    void scheduleTimer(int peer, const SessionId& sid, Millis at, std::uint64_t generation);
    void deliver(int from, int to, const protocol::Message& m, std::uint64_t generation,
                 bool overLink);

    SimConfig config_;
    std::mt19937_64 rng_;
    std::uint64_t incarnation_ = 0;
    Millis now_ = 0;
    std::uint64_t seq_ = 0;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
    std::vector<std::unique_ptr<SimPeer>> peers_;
    std::map<Key, Link> links_;
    std::vector<int> side_; // partition side per peer (0 = none)
    std::set<std::pair<int, int>> oneWay_;
    SimObserver* observer_ = nullptr;
    Tap tap_;
    Drop drop_;
    double acceptProbability_ = -1;
    std::map<int, bool> answers_;
    std::map<std::pair<int, int>, Millis> extraDelay_;
    std::uint64_t messagesSent_ = 0;
    std::uint64_t controlSent_ = 0;
    Millis lastControlAt_ = 0;
};

} // namespace plenum::sim

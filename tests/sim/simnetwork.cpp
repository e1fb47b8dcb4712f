#include "simnetwork.h"

#include "session/roster.h"

#include <cstring>
#include <sstream>

namespace plenum::sim {

using namespace protocol;

namespace {
// First contact travels over the DHT in a real Node: no link needed, unordered, may be lost.
bool isFirstContact(const Message& m)
{
    if (const auto* bye = std::get_if<Bye>(&m.body)) return bye->reason == Bye::Reason::JoinFailed;
    return std::holds_alternative<Invite>(m.body) || std::holds_alternative<InviteAnswer>(m.body) ||
           std::holds_alternative<Cancel>(m.body) || std::holds_alternative<Rejoin>(m.body) ||
           std::holds_alternative<ErrorReply>(m.body);
}

std::size_t logLimit()
{
    static const std::size_t limit = qEnvironmentVariableIntValue("PLENUM_SIM_LOG") > 0
                                         ? qEnvironmentVariableIntValue("PLENUM_SIM_LOG")
                                         : 50;
    return limit;
}

std::uint64_t fnv(const QByteArray& data, std::uint64_t h)
{
    for (char c : data) {
        h ^= static_cast<std::uint8_t>(c);
        h *= 1099511628211ull;
    }
    return h;
}

// "sid e.v": which session a logged message or commit is of (runs have two sessions).
std::string stamp(const SessionId& sid, std::uint64_t epoch, std::uint64_t version)
{
    return sid.shortHex().left(4).toStdString() + " " + std::to_string(epoch) + "." +
           std::to_string(version);
}

const char* eventName(const session::SessionEvent& e)
{
    using namespace session::event;
    return std::visit(
        [](const auto& v) -> const char* {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Invited>)
                return "invited";
            else if constexpr (std::is_same_v<T, RosterCommitted>)
                return "roster-committed";
            else if constexpr (std::is_same_v<T, BecameSm>)
                return "became-sm";
            else if constexpr (std::is_same_v<T, Admitted>)
                return "admitted";
            else if constexpr (std::is_same_v<T, InviteResult>)
                return "invite-result";
            else if constexpr (std::is_same_v<T, JoinFailed>)
                return "join-failed";
            else if constexpr (std::is_same_v<T, Left>)
                return "left";
            else if constexpr (std::is_same_v<T, Removed>)
                return "removed";
            else if constexpr (std::is_same_v<T, Handoff>)
                return v.stage == Handoff::Stage::Reserved ? "handoff-reserved"
                       : v.stage == Handoff::Stage::Done   ? "handoff-done"
                                                           : "handoff-failed";
            else
                return "notice";
        },
        e);
}
} // namespace

// A keyed digest stands in for signatures: a device can only produce its own.
class SimPeer::PeerTickets final : public session::TicketAuthority {
public:
    PeerTickets(const DeviceId& self, SimNetwork& net) : self_(self), net_(net) {}
    static std::uint64_t secretOf(const DeviceId& d)
    {
        return fnv(d.toBytes(), 14695981039346656037ull);
    }
    QByteArray sign(const QByteArray& data) override { return digest(self_, data); }
    bool verify(const DeviceId& signer, const QByteArray& data, const QByteArray& sig) override
    {
        return digest(signer, data) == sig;
    }
    // Every simulated link is "verified": a device's account is the one it was made with.
    std::optional<AccountId> accountOf(const DeviceId& device) override
    {
        const int i = net_.indexOf(device);
        if (i < 0) return std::nullopt;
        return net_.peer(i).info().account;
    }

private:
    static QByteArray digest(const DeviceId& signer, const QByteArray& data)
    {
        const std::uint64_t h = fnv(data, secretOf(signer) ^ 0x9e3779b97f4a7c15ull);
        return QByteArray(reinterpret_cast<const char*>(&h), sizeof h);
    }
    DeviceId self_;
    SimNetwork& net_;
};

// ------------------------------------------------------------------------- SimPeer

SimPeer::SimPeer(SimNetwork& net, int index, const MemberInfo& info)
    : net_(net), index_(index), info_(info),
      tickets_(std::make_unique<PeerTickets>(info.device, net))
{
}

SimPeer::~SimPeer() = default;

session::TicketAuthority& SimPeer::tickets()
{
    return *tickets_;
}

void SimPeer::note(const char* what, const char* type, int other, std::string detail)
{
    log_.push_back(LogEntry{net_.now(), what, type, other, std::move(detail)});
    if (log_.size() > logLimit()) log_.pop_front();
}

std::string SimPeer::formatLog() const
{
    std::ostringstream out;
    for (const LogEntry& e : log_) {
        out << "    t=" << e.at << " " << e.what << " " << e.type;
        if (e.other >= 0) out << " peer" << e.other;
        if (!e.detail.empty()) out << ": " << e.detail;
        out << "\n";
    }
    return out.str();
}

void SimPeer::start()
{
    rng_.seed(net_.rng()());
    ++incarnation_;
    host_ = std::make_unique<session::SessionHost>(net_.config().session, info_, *this, *tickets_,
                                                   [this] { return rng_(); });
    QList<session::SessionRecord> records;
    for (const auto& [sid, r] : disk_)
        records.append(r);
    note("start", "", -1);
    host_->restore(records, net_.now());
}

bool SimPeer::suppressed(const char* effect, const Message* m)
{
    if (dying_) return true;
    ++effects_;
    if (crashPoint_ && crashPoint_(effect, m)) {
        crashPoint_ = nullptr;
        dying_ = true;
        note("crash-point", effect, -1);
        return true;
    }
    return false;
}

void SimPeer::crash()
{
    dying_ = false;
    crashPoint_ = nullptr;
    host_.reset();
    for (auto& [sid, gen] : timerGen_)
        ++gen;
    timers_.clear();
    note("crash", "", -1);
}

std::uint64_t SimPeer::timerGeneration(const SessionId& sid) const
{
    auto it = timerGen_.find(sid);
    return it == timerGen_.end() ? 0 : it->second;
}

void SimPeer::send(const DeviceId& to, const Message& message)
{
    const int j = net_.indexOf(to);
    if (j < 0 || suppressed("send", &message)) return;
    note("send", messageName(message.body), j,
         stamp(message.header.sid, message.header.epoch, message.header.version));
    net_.transmit(index_, j, message);
}

void SimPeer::openLink(const SessionId&, const DeviceId& to)
{
    const int j = net_.indexOf(to);
    if (j < 0 || suppressed("open-link", nullptr)) return;
    note("open-link", "", j);
    net_.requestLink(index_, j);
}

void SimPeer::closeLink(const SessionId&, const DeviceId& to)
{
    const int j = net_.indexOf(to);
    if (j < 0 || !net_.linkUp(index_, j) || suppressed("close-link", nullptr)) return;
    note("close-link", "", j);
    auto& l = net_.links_[SimNetwork::key(index_, j)];
    // A clean close (TLS close_notify): what was already sent still arrives, then the other
    // end sees the link go down. We see it at once.
    l.up = false;
    l.closing = true;
    l.broken = false; // a pending silence is moot: the link is going away cleanly
    const std::uint64_t gen = l.generation;
    const Millis drained = std::max({l.lastDelivery[0], l.lastDelivery[1], net_.now()}) + 1;
    const int a = std::min(index_, j), b = std::max(index_, j);
    // Link events reach the host from the event loop, never inside the call that closed it.
    const std::uint64_t myInc = incarnation_;
    net_.at(net_.now(), [this, to, myInc] {
        if (alive() && incarnation_ == myInc) host_->onLinkDown(to, net_.now());
    });
    const DeviceId me = info_.device;
    const std::uint64_t otherInc = l.incarnation[j == a ? 0 : 1];
    net_.at(drained, [this, a, b, j, me, gen, otherInc] {
        auto& link = net_.links_[SimNetwork::key(a, b)];
        if (link.generation != gen || !link.closing) return;
        link.closing = false;
        ++link.generation;
        SimPeer& other = net_.peer(j);
        if (other.alive() && other.incarnation() == otherInc) {
            other.note("link-down", "closed", index_);
            other.host()->onLinkDown(me, net_.now());
        }
    });
}

void SimPeer::setTimer(const SessionId& sid, Millis at)
{
    if (dying_) return;
    timers_[sid] = at;
    const std::uint64_t gen = ++timerGen_[sid];
    net_.scheduleTimer(index_, sid, at, gen);
}

void SimPeer::cancelTimer(const SessionId& sid)
{
    timers_.erase(sid);
    ++timerGen_[sid];
}

void SimPeer::persist(const session::SessionRecord& record)
{
    if (suppressed("persist", nullptr)) return;
    disk_[record.sid] = record;
}

void SimPeer::forget(const SessionId& sid)
{
    if (suppressed("persist", nullptr)) return;
    disk_.erase(sid);
}

void SimPeer::notify(const SessionId& sid, const session::SessionEvent& event)
{
    if (dying_) return; // the UI never heard it
    const auto* committed = std::get_if<session::event::RosterCommitted>(&event);
    note("event", eventName(event), -1,
         committed ? stamp(sid, committed->roster.at.epoch, committed->roster.at.version)
                   : stamp(sid, 0, 0));
    bool fromSm = false;
    if (const auto* rc = std::get_if<session::event::RosterCommitted>(&event)) {
        session::Session* s = host_ ? host_->session(sid) : nullptr;
        fromSm = rc->roster.sm == info_.device && (!s || s->isSm());
    }
    if (net_.observer()) net_.observer()->onEvent(index_, sid, event, fromSm);
    const auto fixed = net_.answers_.find(index_);
    if (std::holds_alternative<session::event::Invited>(event) &&
        (net_.acceptProbability_ >= 0 || fixed != net_.answers_.end())) {
        std::uniform_int_distribution<Millis> delay(5, 100);
        const bool yes = fixed != net_.answers_.end()
                             ? fixed->second
                             : std::uniform_real_distribution<double>(0, 1)(net_.rng()) <
                                   net_.acceptProbability_;
        net_.at(net_.now() + delay(net_.rng()), [this, sid, yes] {
            session::Session* s = session(sid);
            if (!s || s->phase() != session::Session::Phase::Invited) return;
            if (yes)
                host_->accept(sid, net_.now());
            else
                host_->decline(sid, net_.now());
        });
    }
}

void SimPeer::refused(const SessionId& sid, const DeviceId& from, const QString& reason,
                      bool outsider)
{
    if (dying_) return;
    ++refusals_;
    lastRefusal_ = reason.toStdString();
    note("refused", outsider ? "outsider" : "member", net_.indexOf(from), lastRefusal_);
    if (outsider) closeLink(sid, from);
}

// ---------------------------------------------------------------------- SimNetwork

SimNetwork::SimNetwork(std::uint64_t seed, const SimConfig& config)
    : config_(config), rng_(seed), side_(config.peers, 0)
{
    std::uniform_int_distribution<int> cls(0, 3);
    for (int i = 0; i < config.peers; ++i) {
        MemberInfo info;
        QByteArray raw(32, '\0');
        for (int b = 0; b < 32; b += 8) {
            const std::uint64_t r = rng_();
            std::memcpy(raw.data() + b, &r, 8);
        }
        info.device = *DeviceId::fromBytes(raw);
        info.account = AccountId::fromNumber(1000 + i);
        if (auto same = config.sameAccountAs.find(i);
            same != config.sameAccountAs.end() && same->second < i)
            info.account = peers_[static_cast<std::size_t>(same->second)]->info().account;
        info.name = QStringLiteral("peer%1").arg(i);
        info.deviceClass = static_cast<DeviceClass>(cls(rng_));
        peers_.push_back(std::make_unique<SimPeer>(*this, i, info));
    }
    for (auto& p : peers_)
        p->start();
}

SimNetwork::~SimNetwork() = default;

int SimNetwork::indexOf(const DeviceId& d) const
{
    for (const auto& p : peers_)
        if (p->info().device == d) return p->index();
    return -1;
}

void SimNetwork::at(Millis when, std::function<void()> action)
{
    events_.push(Event{std::max(when, now_), seq_++, std::move(action)});
}

void SimNetwork::runUntil(Millis until)
{
    while (!events_.empty() && events_.top().at <= until) {
        Event e = events_.top();
        events_.pop();
        now_ = e.at;
        e.action();
        for (auto& p : peers_)
            if (p->dying()) crash(p->index()); // a crash point was hit inside that handler
        if (observer_) observer_->onStep(now_);
    }
    now_ = std::max(now_, until);
}

Millis SimNetwork::latency()
{
    return std::uniform_int_distribution<Millis>(config_.latencyMin, config_.latencyMax)(rng_);
}

bool SimNetwork::reachable(int from, int to) const
{
    return side_[from] == side_[to] && !oneWay_.count({from, to});
}

bool SimNetwork::linkUp(int a, int b) const
{
    auto it = links_.find(key(a, b));
    return it != links_.end() && it->second.up;
}

bool SimNetwork::linksSettled() const
{
    for (const auto& [k, l] : links_)
        if (l.connecting || l.closing || l.broken) return false;
    return true;
}

void SimNetwork::inject(int from, int to, const Message& m)
{
    if (linkUp(from, to)) return transmit(from, to, m, true);
    requestLink(from, to);
    const Millis setup = (config_.linkSetup > 0 ? config_.linkSetup : 2 * config_.latencyMax) + 1;
    at(now_ + setup, [this, from, to, m] {
        if (linkUp(from, to) && peers_[from]->alive()) transmit(from, to, m, true);
    });
}

void SimNetwork::transmit(int from, int to, const Message& m, bool forged)
{
    ++messagesSent_;
    // A HELLO opens a link and may change state (rule 2): quiescence waits for it too
    // (declaring it with one in flight was a false alarm: seeds 513456, 572766, 797638).
    if (!std::holds_alternative<Ping>(m.body)) {
        ++controlSent_;
        lastControlAt_ = now_;
    }
    auto it = links_.find(key(from, to));
    const bool overLink = it != links_.end() && it->second.up && !it->second.broken;
    if (observer_ && !forged) observer_->onSend(from, to, m, overLink);
    if (drop_ && drop_(from, to, m)) return;
    if (overLink) {
        Link& l = it->second;
        const int dir = from < to ? 0 : 1;
        const auto extra = extraDelay_.find({from, to});
        const Millis slow = extra == extraDelay_.end() ? 0 : extra->second;
        const Millis t = std::max(now_ + latency() + slow, l.lastDelivery[dir]);
        l.lastDelivery[dir] = t;
        const std::uint64_t gen = l.generation;
        at(t, [this, from, to, m, gen] { deliver(from, to, m, gen, true); });
        return;
    }
    if (!isFirstContact(m) || !reachable(from, to)) return;
    std::uniform_real_distribution<double> u(0, 1);
    if (u(rng_) < config_.dhtLoss) return;
    const int copies = u(rng_) < config_.dhtDuplicate ? 2 : 1;
    for (int c = 0; c < copies; ++c)
        at(now_ + 2 * latency(), [this, from, to, m] { deliver(from, to, m, 0, false); });
}

void SimNetwork::deliver(int from, int to, const Message& m, std::uint64_t gen, bool overLink)
{
    SimPeer& dst = *peers_[to];
    if (!dst.alive()) return;
    if (overLink) {
        const Link& l = links_[key(from, to)];
        if (!(l.up || l.closing) || l.broken || l.generation != gen) return;
    } else if (!reachable(from, to)) {
        return;
    }
    dst.note("recv", messageName(m.body), from,
             stamp(m.header.sid, m.header.epoch, m.header.version));
    if (tap_) tap_(from, to, m);
    const session::Session* s = dst.session(m.header.sid);
    const RosterStamp prev = s ? s->accepted().at : RosterStamp{};
    dst.host()->onMessage(peers_[from]->info().device, m, now_);
    if (observer_) observer_->onDelivered(from, to, m, s, prev);
}

void SimNetwork::requestLink(int from, int to)
{
    if (from == to || !peers_[from]->alive()) return;
    Link& l = links_[key(from, to)];
    if (l.up || l.connecting) return;
    if (l.closing) {
        at(std::max({l.lastDelivery[0], l.lastDelivery[1], now_}) + 2,
           [this, from, to] { requestLink(from, to); });
        return;
    }
    l.connecting = true;
    const Millis setup = config_.linkSetup > 0 ? config_.linkSetup : latency() + latency();
    const int a = std::min(from, to), b = std::max(from, to);
    at(now_ + setup, [this, a, b] { tryConnect(a, b); });
}

void SimNetwork::tryConnect(int a, int b)
{
    Link& l = links_[key(a, b)];
    l.connecting = false;
    if (l.up || l.closing || !peers_[a]->alive() || !peers_[b]->alive() || !reachable(a, b) ||
        !reachable(b, a))
        return;
    l.up = true;
    l.broken = false;
    ++l.generation;
    l.lastDelivery[0] = l.lastDelivery[1] = now_;
    l.incarnation[0] = peers_[a]->incarnation();
    l.incarnation[1] = peers_[b]->incarnation();
    peers_[a]->note("link-up", "", b);
    peers_[b]->note("link-up", "", a);
    peers_[a]->host()->onLinkUp(peers_[b]->info().device, now_);
    if (peers_[b]->alive() && links_[key(a, b)].up)
        peers_[b]->host()->onLinkUp(peers_[a]->info().device, now_);
}

void SimNetwork::markBroken(int a, int b)
{
    auto it = links_.find(key(a, b));
    if (it == links_.end() || !it->second.up || it->second.broken) return;
    it->second.broken = true;
    const std::uint64_t gen = it->second.generation;
    // The link layer notices silence after the detection time (DESIGN §3).
    at(now_ + config_.session.detection, [this, a, b, gen] { linkDown(a, b, gen); });
}

void SimNetwork::linkDown(int a, int b, std::uint64_t gen)
{
    if (a > b) std::swap(a, b); // incarnation[] is indexed by the smaller peer first
    Link& l = links_[key(a, b)];
    if (l.generation == gen) l.broken = false;
    if (!l.up || l.generation != gen) return;
    l.up = false;
    l.broken = false;
    ++l.generation;
    const std::uint64_t inc[2] = {l.incarnation[0], l.incarnation[1]};
    for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
        // A restarted device never saw this link: it has nothing to lose.
        if (!peers_[x]->alive() || peers_[x]->incarnation() != inc[x == a ? 0 : 1]) continue;
        peers_[x]->note("link-down", "silence", y);
        peers_[x]->host()->onLinkDown(peers_[y]->info().device, now_);
    }
}

void SimNetwork::scheduleTimer(int peer, const SessionId& sid, Millis when, std::uint64_t gen)
{
    at(when, [this, peer, sid, gen] {
        SimPeer& p = *peers_[peer];
        if (!p.alive() || p.timerGeneration(sid) != gen) return;
        p.timers_.erase(sid);
        p.host()->onTick(sid, now_);
    });
}

void SimNetwork::partition(const std::vector<int>& sideA)
{
    for (int i = 0; i < size(); ++i)
        side_[i] = 2;
    for (int i : sideA)
        side_[i] = 1;
    for (auto& [k, l] : links_)
        if (l.up && side_[k.first] != side_[k.second]) markBroken(k.first, k.second);
}

void SimNetwork::blockOneWay(int from, int to)
{
    oneWay_.insert({from, to});
    markBroken(from, to);
}

void SimNetwork::breakLink(int a, int b)
{
    markBroken(a, b);
}

void SimNetwork::healAll()
{
    std::fill(side_.begin(), side_.end(), 0);
    oneWay_.clear();
}

void SimNetwork::crash(int i)
{
    if (!peers_[i]->host()) return;
    peers_[i]->crash();
    for (auto& [k, l] : links_) {
        if (k.first != i && k.second != i) continue;
        l.connecting = false;
        if (l.up) markBroken(k.first, k.second);
    }
}

void SimNetwork::restart(int i)
{
    if (peers_[i]->alive()) return;
    if (peers_[i]->dying()) crash(i); // hit a crash point outside the event loop
    peers_[i]->start();
}

} // namespace plenum::sim

#include "node/nodebrowse.h"

#include "cobrowse/urlpolicy.h"
#include "session/roster.h"

#include <QDateTime>

namespace plenum::node {

using protocol::BrowseNavigate;
using protocol::BrowseScroll;
using protocol::Message;

NodeBrowse::NodeBrowse(session::SessionHost& host, LinkSender send, QObject* parent)
    : QObject(parent), host_(host), send_(std::move(send))
{
    // Followers drop a sender's events whose seq is not above the last one they saw. The
    // counter is not on disk, so it starts from the clock (µs): a restarted device numbers
    // above everything it sent before (10^6 events a second would be needed to catch up).
    leader_.resumeAfter(std::uint64_t(QDateTime::currentMSecsSinceEpoch()) * 1000);
    scrollTimer_.setSingleShot(true);
    scrollTimer_.setTimerType(Qt::PreciseTimer); // a coarse timer may fire up to 5 % early
    connect(&scrollTimer_, &QTimer::timeout, this, &NodeBrowse::onTick);
}

bool NodeBrowse::isBrowse(const protocol::Body& body)
{
    return std::holds_alternative<BrowseNavigate>(body) ||
           std::holds_alternative<BrowseScroll>(body);
}

cobrowse::BrowseFollower& NodeBrowse::follower(const SessionId& sid)
{
    auto it = followers_.find(sid);
    if (it == followers_.end()) {
        it = followers_.emplace(sid, cobrowse::BrowseFollower(self())).first;
        it->second.blocklist() = blocked_;
        if (const session::Session* s = host_.session(sid)) {
            const protocol::Baton& b = s->baton();
            it->second.setBaton(cobrowse::Baton{b.holder, b.generation});
        }
    }
    return it->second;
}

QList<DeviceId> NodeBrowse::others(const SessionId& sid) const
{
    QList<DeviceId> out;
    const session::Session* s = host_.session(sid);
    if (!s || s->phase() != session::Session::Phase::Member) return out;
    for (const auto& m : s->committed().members)
        if (m.device != self()) out.append(m.device);
    return out;
}

void NodeBrowse::sendToOthers(const SessionId& sid, const protocol::Body& body)
{
    for (const DeviceId& d : others(sid))
        sendTo(sid, d, body);
}

void NodeBrowse::sendTo(const SessionId& sid, const DeviceId& to, const protocol::Body& body)
{
    const session::Session* s = host_.session(sid);
    if (!s) return;
    send_(to, Message{protocol::Header{sid, s->epoch(), s->committed().at.version, s->sm()}, body});
}

const BrowseNavigate* NodeBrowse::leading(const SessionId& sid) const
{
    auto it = lastPage_.find(sid);
    const session::Session* s = host_.session(sid);
    if (it == lastPage_.end() || !s || s->phase() != session::Session::Phase::Member)
        return nullptr;
    const protocol::Baton b = s->baton();
    return b.holder == self() && b.generation == it->second.generation ? &it->second : nullptr;
}

protocol::Baton NodeBrowse::baton(const SessionId& sid) const
{
    const session::Session* s = host_.session(sid);
    return s ? s->baton() : protocol::Baton{};
}

bool NodeBrowse::following(const SessionId& sid) const
{
    auto it = followers_.find(sid);
    return it == followers_.end() || it->second.following();
}

std::optional<cobrowse::Page> NodeBrowse::shown(const SessionId& sid) const
{
    auto it = followers_.find(sid);
    return it == followers_.end() ? std::nullopt : it->second.shown();
}

// ---- commands ----

Status NodeBrowse::browse(const SessionId& sid, const QString& url, const QString& title)
{
    const session::Session* s = host_.session(sid);
    if (!s || s->phase() != session::Session::Phase::Member)
        return fail("this device is not a member of that session");
    cobrowse::BrowseFollower& f = follower(sid);
    // Checked before it leaves: a page this device blocked is not pushed on others either.
    if (auto refusal = cobrowse::refuseUrl(url, blocked_)) return fail(*refusal);
    const protocol::Baton b = s->baton();
    const bool leading = b.holder == self();
    const BrowseNavigate m = leader_.navigate(url, title, b.generation, !leading);
    sendToOthers(sid, m);
    if (leading) {
        lastPage_[sid] = m; // what a member that missed it is sent again (catch-up)
        // The leader's own browser goes there; a push leaves the pusher's page as it is.
        const cobrowse::Page page{url, title, self(), b.generation, false};
        f.showLocal(page);
        Q_EMIT navigated(sid, page, true, false);
    }
    return Ok{};
}

Status NodeBrowse::scroll(const SessionId& sid, std::uint32_t x, std::uint32_t y)
{
    const session::Session* s = host_.session(sid);
    if (!s || s->baton().holder != self()) return fail("only the leader's scrolling is shared");
    const auto now = QDateTime::currentMSecsSinceEpoch();
    if (auto m = leader_.scroll(x, y, s->baton().generation, now)) {
        sendToOthers(sid, *m);
    } else if (auto wake = leader_.nextWake()) {
        scrolling_ = sid;
        scrollTimer_.start(int(std::max<std::int64_t>(0, *wake - now)));
    }
    return Ok{};
}

void NodeBrowse::onTick()
{
    if (!scrolling_) return;
    const auto now = QDateTime::currentMSecsSinceEpoch();
    if (auto m = leader_.onTick(now)) {
        sendToOthers(*scrolling_, *m);
    } else if (auto wake = leader_.nextWake()) {
        // A timer may fire a little before the wall clock says the interval is over (coarse
        // timers, a clock step): the held position must not be dropped, so wait again.
        scrollTimer_.start(int(std::max<std::int64_t>(1, *wake - now)));
    }
}

Status NodeBrowse::blockDomain(const QString& domain, bool on)
{
    if (on && !blocked_.add(domain))
        return fail(
            QStringLiteral("\u201c%1\u201d is not a site's name (like example.com)").arg(domain));
    if (!on) blocked_.remove(domain.trimmed());
    for (auto& [sid, f] : followers_)
        f.blocklist() = blocked_;
    return Ok{};
}

QStringList NodeBrowse::blockedDomains() const
{
    QStringList out(blocked_.domains().begin(), blocked_.domains().end());
    out.sort();
    return out;
}

void NodeBrowse::setFollow(const SessionId& sid, bool on)
{
    if (auto page = follower(sid).setFollow(on)) Q_EMIT navigated(sid, *page, true, false);
}

// ---- from the Node ----

void NodeBrowse::onBaton(const SessionId& sid, const protocol::Baton& baton)
{
    cobrowse::BrowseFollower& f = follower(sid);
    f.setBaton(cobrowse::Baton{baton.holder, baton.generation});
    Q_EMIT batonChanged(sid, baton.holder, baton.generation);
    // A new leader's first page may have come before the roster that made it leader.
    auto held = early_.find(sid);
    if (held == early_.end()) return;
    const QHash<DeviceId, BrowseNavigate> pages = std::exchange(held->second, {});
    for (auto it = pages.cbegin(); it != pages.cend(); ++it) {
        if (it.value().generation > baton.generation)
            held->second.insert(it.key(), it.value()); // still ahead of us
        else if (it.value().generation == baton.generation && it.key() == baton.holder)
            onNavigate(sid, it.key(), it.value());
    }
}

void NodeBrowse::onLinkUp(const DeviceId& peer)
{
    for (const auto& [sid, page] : lastPage_)
        if (const BrowseNavigate* m = leading(sid))
            if (const session::Session* s = host_.session(sid);
                s && session::contains(s->committed(), peer))
                sendTo(sid, peer, *m);
}

void NodeBrowse::onRosterCommitted(const SessionId& sid, const protocol::RosterSnapshot& roster)
{
    const QSet<DeviceId> now = session::deviceSet(roster);
    QSet<DeviceId> added = now - std::exchange(members_[sid], now);
    added.remove(self());
    if (added.isEmpty() || !leading(sid)) return;
    // Queued: the SM learns of the commit before it sends the joiner the committed roster
    // that makes it a member, and a joiner drops browse events until it is one.
    QMetaObject::invokeMethod(
        this,
        [this, sid, added] {
            if (const BrowseNavigate* m = leading(sid))
                for (const DeviceId& d : added)
                    sendTo(sid, d, *m);
        },
        Qt::QueuedConnection);
}

void NodeBrowse::onSessionGone(const SessionId& sid)
{
    lastPage_.erase(sid);
    members_.erase(sid);
    followers_.erase(sid);
    early_.erase(sid);
    if (scrolling_ == sid) scrolling_.reset();
}

void NodeBrowse::onMessage(const DeviceId& from, const Message& message)
{
    const SessionId& sid = message.header.sid;
    const session::Session* s = host_.session(sid);
    // §5.1 rule 6: browse events only from a member of the committed roster.
    if (!s || s->phase() != session::Session::Phase::Member ||
        !session::contains(s->committed(), from))
        return;
    if (const auto* nav = std::get_if<BrowseNavigate>(&message.body)) {
        if (!nav->pushed && nav->generation > follower(sid).baton().generation) {
            // From a baton we have not seen committed yet: kept (one per member) until it is.
            early_[sid].insert(from, *nav);
            return;
        }
        onNavigate(sid, from, *nav);
    } else if (const auto* sc = std::get_if<BrowseScroll>(&message.body)) {
        if (auto apply = follower(sid).onScroll(from, *sc))
            Q_EMIT scrolled(sid, apply->x, apply->y);
    }
}

void NodeBrowse::onNavigate(const SessionId& sid, const DeviceId& from, const BrowseNavigate& m)
{
    using Outcome = cobrowse::BrowseFollower::Outcome;
    const auto r = follower(sid).onNavigate(from, m);
    const cobrowse::Page page{m.url, m.title, from, m.generation, m.pushed};
    switch (r.outcome) {
    case Outcome::Shown:
        Q_EMIT navigated(sid, page, true, false);
        break;
    case Outcome::Noted:
        Q_EMIT navigated(sid, page, false, false);
        break;
    case Outcome::Card:
        Q_EMIT navigated(sid, page, false, true);
        break;
    case Outcome::Refused:
        Q_EMIT refused(sid, r.reason);
        break;
    case Outcome::Ignored:
        break;
    }
}

} // namespace plenum::node

#pragma once
// Co-browsing of one device (DESIGN §9, docs/cobrowse.md): connects the pure BrowseLeader and
// BrowseFollower (core/cobrowse) to the session's baton and the control links. The baton is
// the committed roster's (§5.1 rule 11); BROWSE_NAVIGATE and BROWSE_SCROLL go to every other
// member of the committed roster and are accepted only from one. The URL policy is checked
// before sending and again on receipt (the follower does that), so neither end trusts the
// other. Like chat and calls these messages are not gated by epoch: they keep flowing while
// the SM fails over, stamped with the baton generation they were sent under.

#include "cobrowse/browsefollower.h"
#include "cobrowse/browseleader.h"
#include "protocol/messages.h"
#include "protocol/result.h"
#include "session/sessionhost.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <map>

namespace plenum::node {

class NodeBrowse : public QObject {
    Q_OBJECT
public:
    using LinkSender = std::function<void(const DeviceId& to, const protocol::Message&)>;

    NodeBrowse(session::SessionHost& host, LinkSender send, QObject* parent = nullptr);

    // ---- commands ----
    // The leader goes to `url` and everyone following goes with it; any other member pushes
    // the page to everyone without taking the baton (its own page stays). Refused in words
    // when the address breaks the URL policy or this device is not a member.
    Status browse(const SessionId& sid, const QString& url, const QString& title = {});
    // The leader scrolled (fractions of the page, 0..10000), rate-limited to 10 updates/s.
    Status scroll(const SessionId& sid, std::uint32_t x, std::uint32_t y);
    // Follow off keeps this device's page; on goes to the leader's page at once.
    void setFollow(const SessionId& sid, bool on);
    bool following(const SessionId& sid) const;
    // Domains this device never follows to or pushes, in every session (the person's list;
    // the GUI keeps it in its settings). Refused in words when `domain` is not a host name.
    Status blockDomain(const QString& domain, bool on);
    QStringList blockedDomains() const;
    std::optional<cobrowse::Page> shown(const SessionId& sid) const;
    protocol::Baton baton(const SessionId& sid) const;

    // ---- from the Node ----
    void onBaton(const SessionId& sid, const protocol::Baton& baton);
    // Catch-up: the leader sends its current page again to a member whose link came (back)
    // up and to a member the roster just added, so a follower that missed navigations (a
    // partition, a restart, a late join) converges to the leader's page. A follower that
    // already has it ignores the repeat (same seq).
    void onLinkUp(const DeviceId& peer);
    void onRosterCommitted(const SessionId& sid, const protocol::RosterSnapshot& roster);
    void onSessionGone(const SessionId& sid);
    void onMessage(const DeviceId& from, const protocol::Message& message);
    static bool isBrowse(const protocol::Body& body);

Q_SIGNALS:
    // The committed baton of `sid` moved (or this device learned it on admission).
    void batonChanged(plenum::SessionId sid, plenum::DeviceId holder, quint64 generation);
    // A page to report: `shown` = this device's browser goes there (the leader's page while
    // following, a page the leader pushed, or our own navigation); otherwise it is noted
    // ("Alice is on …", follow off or a blocked domain) or a card (another member pushed it).
    void navigated(plenum::SessionId sid, plenum::cobrowse::Page page, bool shown, bool card);
    void scrolled(plenum::SessionId sid, quint32 x, quint32 y);
    // A page refused here (URL policy), in words.
    void refused(plenum::SessionId sid, QString reason);

private:
    DeviceId self() const { return host_.self().device; }
    cobrowse::BrowseFollower& follower(const SessionId& sid);
    QList<DeviceId> others(const SessionId& sid) const;
    void sendToOthers(const SessionId& sid, const protocol::Body& body);
    void sendTo(const SessionId& sid, const DeviceId& to, const protocol::Body& body);
    // Our last navigation as leader of `sid`, if we still lead with its generation.
    const protocol::BrowseNavigate* leading(const SessionId& sid) const;
    void onTick();
    void onNavigate(const SessionId& sid, const DeviceId& from, const protocol::BrowseNavigate& m);

    session::SessionHost& host_;
    LinkSender send_;
    cobrowse::BrowseLeader leader_; // one numbering for this device's browse events
    std::map<SessionId, cobrowse::BrowseFollower> followers_;
    cobrowse::DomainBlocklist blocked_;                      // copied into every follower
    std::map<SessionId, protocol::BrowseNavigate> lastPage_; // ours, while we lead
    std::map<SessionId, QSet<DeviceId>> members_;            // the last committed roster's
    // Navigations stamped with a baton generation newer than our committed one, per sender.
    std::map<SessionId, QHash<DeviceId, protocol::BrowseNavigate>> early_;
    std::optional<SessionId> scrolling_; // the session whose held scroll the timer sends
    QTimer scrollTimer_;
};

} // namespace plenum::node

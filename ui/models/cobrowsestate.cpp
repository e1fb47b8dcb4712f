#include "models/cobrowsestate.h"

#include "node/node.h"

#include <QUrl>

#include <algorithm>

namespace plenum::ui {

namespace {
// Scroll positions travel as 0..10,000 (docs/cobrowse.md); the view uses fractions.
constexpr double kScrollScale = 10000.0;
} // namespace

CoBrowseState::CoBrowseState(QObject* parent) : QObject(parent) {}

void CoBrowseState::setNode(node::Node* node)
{
    if (node_) {
        disconnect(node_, nullptr, this, nullptr);
        disconnect(&node_->browse(), nullptr, this, nullptr);
    }
    node_ = node;
    if (!node_) return;
    connect(node_, &node::Node::batonChanged, this,
            [this](const SessionId& sid, DeviceId, quint64) {
                if (sid != sid_) return;
                requestPending_ = false;
                asking_.reset();
                Q_EMIT changed();
            });
    connect(node_, &node::Node::navigated, this, &CoBrowseState::onNavigated);
    connect(&node_->browse(), &node::NodeBrowse::scrolled, this,
            [this](const SessionId& sid, quint32 x, quint32 y) {
                if (sid == sid_) Q_EMIT scrollRequested(x / kScrollScale, y / kScrollScale);
            });
    connect(node_, &node::Node::batonRequested, this, [this](const SessionId& sid, DeviceId from) {
        if (sid != sid_) return;
        asking_ = from;
        Q_EMIT changed();
    });
    connect(node_, &node::Node::batonRefused, this, [this](const SessionId& sid, QString reason) {
        if (sid != sid_) return;
        requestPending_ = false;
        setNotice(reason);
    });
}

void CoBrowseState::setSession(std::optional<SessionId> sid)
{
    if (sid == sid_) return;
    sid_ = sid;
    reset();
    if (node_ && sid_)
        if (auto page = node_->browse().shown(*sid_)) url_ = page->url;
    Q_EMIT changed();
}

void CoBrowseState::reset()
{
    url_.clear();
    leaderUrl_.clear();
    requestPending_ = false;
    asking_.reset();
    notice_.clear();
}

QString CoBrowseState::leaderName() const
{
    if (!node_ || !sid_) return {};
    const DeviceId holder = node_->browse().baton(*sid_).holder;
    if (holder.isNull()) return {};
    if (auto roster = node_->roster(*sid_))
        for (const auto& m : roster->members)
            if (m.device == holder) return m.name;
    return holder.shortHex();
}

QString CoBrowseState::askingName() const
{
    if (!node_ || !sid_ || !asking_) return {};
    if (auto roster = node_->roster(*sid_))
        for (const auto& m : roster->members)
            if (m.device == *asking_) return m.name;
    return asking_->shortHex();
}

bool CoBrowseState::isLeader() const
{
    return node_ && sid_ && node_->browse().baton(*sid_).holder == node_->device();
}

bool CoBrowseState::following() const
{
    return !node_ || !sid_ || node_->browse().following(*sid_);
}

void CoBrowseState::onNavigated(const SessionId& sid, const cobrowse::Page& page, bool shown,
                                bool card)
{
    if (sid != sid_) return;
    if (card) {
        QString byName = page.by.shortHex();
        if (auto roster = node_->roster(sid))
            for (const auto& m : roster->members)
                if (m.device == page.by) byName = m.name;
        Q_EMIT cardReceived(page.url, page.title, byName);
        return;
    }
    if (shown) url_ = page.url;
    // A page that is not a card came from the leader (or is ours as leader).
    if (!page.pushed || shown) leaderUrl_ = page.url;
    notice_.clear();
    Q_EMIT changed();
}

void CoBrowseState::navigate(const QString& url)
{
    if (!node_ || !sid_) return;
    if (auto s = node_->browse().browse(*sid_, url.trimmed()); !s) setNotice(s.error());
}

void CoBrowseState::push(const QString& url)
{
    navigate(url); // NodeBrowse pushes when this device does not lead
}

void CoBrowseState::setFollow(bool on)
{
    if (!node_ || !sid_) return;
    node_->browse().setFollow(*sid_, on);
    Q_EMIT changed();
}

QStringList CoBrowseState::blockedSites() const
{
    return node_ ? node_->browse().blockedDomains() : QStringList{};
}

void CoBrowseState::setBlockedSites(const QStringList& domains)
{
    if (!node_) return;
    for (const QString& d : domains)
        (void)node_->browse().blockDomain(d, true); // a bad saved name is dropped
    Q_EMIT changed();
}

void CoBrowseState::blockSite(const QString& url)
{
    if (!node_) return;
    QString host = QUrl(url.trimmed()).host();
    if (host.isEmpty()) host = url.trimmed(); // a bare name
    if (host.startsWith(QLatin1String("www."))) host = host.mid(4);
    if (auto s = node_->browse().blockDomain(host, true); !s) return setNotice(s.error());
    Q_EMIT blockedSitesChanged(blockedSites());
    Q_EMIT changed();
}

void CoBrowseState::unblockSite(const QString& domain)
{
    if (!node_) return;
    (void)node_->browse().blockDomain(domain, false);
    Q_EMIT blockedSitesChanged(blockedSites());
    Q_EMIT changed();
}

void CoBrowseState::jump()
{
    if (leaderUrl_.isEmpty()) return;
    url_ = leaderUrl_;
    Q_EMIT changed();
}

void CoBrowseState::requestBaton()
{
    if (!node_ || !sid_) return;
    requestPending_ = true;
    node_->requestBaton(*sid_);
    Q_EMIT changed();
}

void CoBrowseState::passBaton(const QString& deviceHex)
{
    const auto to = DeviceId::fromHex(deviceHex);
    if (!node_ || !sid_ || !to) return;
    node_->passBaton(*sid_, *to);
}

void CoBrowseState::answerBaton(bool grant)
{
    if (!node_ || !sid_ || !asking_) return;
    node_->answerBaton(*sid_, grant);
    asking_.reset();
    Q_EMIT changed();
}

void CoBrowseState::pageLoaded(const QString& url, const QString&)
{
    if (url == url_ && !notice_.isEmpty()) setNotice({});
}

void CoBrowseState::pageFailed(const QString& url, const QString& reason)
{
    // The page shows the error; following goes on with the leader's next page.
    setNotice(tr("%1 could not be loaded: %2").arg(url, reason));
}

void CoBrowseState::scrolled(double x, double y)
{
    if (!node_ || !sid_ || !isLeader()) return;
    auto scale = [](double f) { return std::uint32_t(std::clamp(f, 0.0, 1.0) * kScrollScale); };
    // Refused only when we do not lead, checked above: nothing to tell the user.
    (void)node_->browse().scroll(*sid_, scale(x), scale(y));
}

void CoBrowseState::setNotice(const QString& text)
{
    notice_ = text;
    Q_EMIT changed();
}

} // namespace plenum::ui

#pragma once
// Co-browsing of the open session, for CoBrowsePane (docs/ui.md, docs/cobrowse.md): who leads
// (the committed baton), the page this device shows, where the leader is while follow is off,
// a pending request to lead, a member asking us for the baton, and refusals in words. It turns
// the pane's actions into Node calls; pushed pages arrive as cardReceived().

#include "protocol/ids.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace plenum::cobrowse {
struct Page;
}

namespace plenum::node {
class Node;
}

namespace plenum::ui {

class CoBrowseState : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString url READ url NOTIFY changed)
    Q_PROPERTY(QString leaderName READ leaderName NOTIFY changed)
    Q_PROPERTY(QString leaderUrl READ leaderUrl NOTIFY changed)
    Q_PROPERTY(bool isLeader READ isLeader NOTIFY changed)
    Q_PROPERTY(bool following READ following NOTIFY changed)
    Q_PROPERTY(bool requestPending READ requestPending NOTIFY changed)
    Q_PROPERTY(QString askingName READ askingName NOTIFY changed)
    Q_PROPERTY(QString notice READ notice NOTIFY changed)
    Q_PROPERTY(QStringList blockedSites READ blockedSites NOTIFY changed)
public:
    explicit CoBrowseState(QObject* parent = nullptr);

    void setNode(node::Node* node);
    void setSession(std::optional<SessionId> sid);

    QString url() const { return url_; }
    QString leaderName() const;
    QString leaderUrl() const { return leaderUrl_; }
    bool isLeader() const;
    bool following() const;
    bool requestPending() const { return requestPending_; }
    QString askingName() const;
    QString notice() const { return notice_; }
    QStringList blockedSites() const;
    // The saved list, applied to the Node (names that are not hosts are dropped).
    void setBlockedSites(const QStringList& domains);

    // The pane's actions.
    Q_INVOKABLE void navigate(const QString& url);
    Q_INVOKABLE void push(const QString& url);
    Q_INVOKABLE void setFollow(bool on);
    Q_INVOKABLE void jump();
    Q_INVOKABLE void requestBaton();
    Q_INVOKABLE void passBaton(const QString& deviceHex);
    Q_INVOKABLE void answerBaton(bool grant);
    // "Don't follow to this site": blocks the host of `url` (without "www."), everywhere.
    Q_INVOKABLE void blockSite(const QString& url);
    Q_INVOKABLE void unblockSite(const QString& domain);
    // What the page view reports.
    Q_INVOKABLE void pageLoaded(const QString& url, const QString& title);
    Q_INVOKABLE void pageFailed(const QString& url, const QString& reason);
    Q_INVOKABLE void scrolled(double x, double y);

Q_SIGNALS:
    void changed();
    // Another member pushed a page: a card beside the browser.
    void cardReceived(QString url, QString title, QString byName);
    // The leader scrolled (fractions of the page): the view follows.
    void scrollRequested(double x, double y);
    // The person changed the blocked sites: the app saves them.
    void blockedSitesChanged(QStringList domains);

private:
    void onNavigated(const SessionId& sid, const cobrowse::Page& page, bool shown, bool card);
    void setNotice(const QString& text);
    void reset();

    node::Node* node_ = nullptr;
    std::optional<SessionId> sid_;
    QString url_;
    QString leaderUrl_;
    bool requestPending_ = false;
    std::optional<DeviceId> asking_;
    QString notice_;
};

} // namespace plenum::ui

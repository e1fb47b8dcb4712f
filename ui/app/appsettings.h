#pragma once
// The person's settings (docs/ui.md "AppSettings"), kept with QSettings. Network settings
// take effect on the next start; in --demo they are forced to the isolated defaults and
// nothing is written (a demo must not change the real configuration).

#include <QObject>
#include <QRect>
#include <QSettings>
#include <QStringList>

#include <memory>

namespace plenum::ui {

class AppSettings : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool lanDiscovery READ lanDiscovery WRITE setLanDiscovery NOTIFY changed)
    Q_PROPERTY(
        QStringList bootstrapNodes READ bootstrapNodes WRITE setBootstrapNodes NOTIFY changed)
    Q_PROPERTY(QString stunServer READ stunServer WRITE setStunServer NOTIFY changed)
    Q_PROPERTY(QString turnServer READ turnServer WRITE setTurnServer NOTIFY changed)
    Q_PROPERTY(bool liveTyping READ liveTyping WRITE setLiveTyping NOTIFY changed)
    Q_PROPERTY(int defaultCapacity READ defaultCapacity WRITE setDefaultCapacity NOTIFY changed)
    Q_PROPERTY(
        bool defaultInviteOnly READ defaultInviteOnly WRITE setDefaultInviteOnly NOTIFY changed)
    Q_PROPERTY(bool soundEnabled READ soundEnabled WRITE setSoundEnabled NOTIFY changed)
    Q_PROPERTY(bool doNotDisturb READ doNotDisturb WRITE setDoNotDisturb NOTIFY changed)
    Q_PROPERTY(bool trayEnabled READ trayEnabled WRITE setTrayEnabled NOTIFY changed)
    // The hand-off's lock rule (off by default): when this desktop locks, offer the open
    // conversation to my phone if it is online.
    Q_PROPERTY(bool handoffOnLock READ handoffOnLock WRITE setHandoffOnLock NOTIFY changed)
public:
    static constexpr int kMinCapacity = 2;
    static constexpr int kMaxCapacity = 64;

    // `settings` null: an in-memory store (demo and tests).
    explicit AppSettings(std::unique_ptr<QSettings> settings, bool demo, QObject* parent = nullptr);
    ~AppSettings() override;

    bool lanDiscovery() const;
    QStringList bootstrapNodes() const;
    QString stunServer() const;
    QString turnServer() const;
    bool liveTyping() const;
    int defaultCapacity() const;
    bool defaultInviteOnly() const;
    bool soundEnabled() const;
    bool doNotDisturb() const;
    bool trayEnabled() const;
    bool handoffOnLock() const;

    void setLanDiscovery(bool on);
    void setBootstrapNodes(const QStringList& nodes);
    void setStunServer(const QString& server);
    void setTurnServer(const QString& server);
    void setLiveTyping(bool on);
    void setDefaultCapacity(int capacity);
    void setDefaultInviteOnly(bool on);
    void setSoundEnabled(bool on);
    void setDoNotDisturb(bool on);
    void setTrayEnabled(bool on);
    void setHandoffOnLock(bool on);

    // Window state and the last open session (restored on the next start).
    QRect windowGeometry() const; // null when never saved
    void setWindowGeometry(const QRect& geometry);
    QString lastSession() const;
    void setLastSession(const QString& sid);
    // The microphone and speaker the person picked (Qt Multimedia ids; empty = system default).
    QByteArray microphone() const;
    void setMicrophone(const QByteArray& id);
    QByteArray speaker() const;
    void setSpeaker(const QByteArray& id);
    // Sites this person never follows to in co-browsing (host names, every session).
    QStringList blockedSites() const;
    void setBlockedSites(const QStringList& domains);

Q_SIGNALS:
    void changed();
    void liveTypingChanged(bool on);

private:
    QVariant value(const QString& key, const QVariant& fallback) const;
    void set(const QString& key, const QVariant& v);

    std::unique_ptr<QSettings> settings_;
    QVariantMap memory_; // when settings_ is null
    bool demo_ = false;
};

} // namespace plenum::ui

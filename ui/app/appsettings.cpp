#include "app/appsettings.h"

#include <algorithm>

namespace plenum::ui {

AppSettings::AppSettings(std::unique_ptr<QSettings> settings, bool demo, QObject* parent)
    : QObject(parent), settings_(std::move(settings)), demo_(demo)
{
}

AppSettings::~AppSettings() = default;

QVariant AppSettings::value(const QString& key, const QVariant& fallback) const
{
    if (settings_) return settings_->value(key, fallback);
    return memory_.value(key, fallback);
}

void AppSettings::set(const QString& key, const QVariant& v)
{
    if (value(key, {}) == v) return;
    if (settings_)
        settings_->setValue(key, v);
    else
        memory_.insert(key, v);
    Q_EMIT changed();
}

// DESIGN §2: a user's app discovers the LAN by default; --demo never multicasts.
bool AppSettings::lanDiscovery() const
{
    return !demo_ && value(QStringLiteral("network/lanDiscovery"), true).toBool();
}
QStringList AppSettings::bootstrapNodes() const
{
    return value(QStringLiteral("network/bootstrapNodes"), QStringList{}).toStringList();
}
QString AppSettings::stunServer() const
{
    return value(QStringLiteral("network/stun"), QString()).toString();
}
QString AppSettings::turnServer() const
{
    return value(QStringLiteral("network/turn"), QString()).toString();
}
bool AppSettings::liveTyping() const
{
    return value(QStringLiteral("privacy/liveTyping"), true).toBool();
}
int AppSettings::defaultCapacity() const
{
    return std::clamp(value(QStringLiteral("groups/capacity"), 8).toInt(), kMinCapacity,
                      kMaxCapacity);
}
bool AppSettings::defaultInviteOnly() const
{
    return value(QStringLiteral("groups/inviteOnly"), false).toBool();
}
bool AppSettings::soundEnabled() const
{
    return value(QStringLiteral("notify/sound"), true).toBool();
}
bool AppSettings::doNotDisturb() const
{
    return value(QStringLiteral("notify/doNotDisturb"), false).toBool();
}
bool AppSettings::trayEnabled() const
{
    return value(QStringLiteral("window/tray"), true).toBool();
}
bool AppSettings::handoffOnLock() const
{
    return value(QStringLiteral("handoff/onLock"), false).toBool();
}

void AppSettings::setLanDiscovery(bool on)
{
    set(QStringLiteral("network/lanDiscovery"), on);
}
void AppSettings::setBootstrapNodes(const QStringList& nodes)
{
    QStringList clean;
    for (const QString& n : nodes)
        if (!n.trimmed().isEmpty()) clean.append(n.trimmed());
    set(QStringLiteral("network/bootstrapNodes"), clean);
}
void AppSettings::setStunServer(const QString& server)
{
    set(QStringLiteral("network/stun"), server.trimmed());
}
void AppSettings::setTurnServer(const QString& server)
{
    set(QStringLiteral("network/turn"), server.trimmed());
}
void AppSettings::setLiveTyping(bool on)
{
    if (on == liveTyping()) return;
    set(QStringLiteral("privacy/liveTyping"), on);
    Q_EMIT liveTypingChanged(on);
}
void AppSettings::setDefaultCapacity(int capacity)
{
    set(QStringLiteral("groups/capacity"), std::clamp(capacity, kMinCapacity, kMaxCapacity));
}
void AppSettings::setDefaultInviteOnly(bool on)
{
    set(QStringLiteral("groups/inviteOnly"), on);
}
void AppSettings::setSoundEnabled(bool on)
{
    set(QStringLiteral("notify/sound"), on);
}
void AppSettings::setDoNotDisturb(bool on)
{
    set(QStringLiteral("notify/doNotDisturb"), on);
}
void AppSettings::setTrayEnabled(bool on)
{
    set(QStringLiteral("window/tray"), on);
}
void AppSettings::setHandoffOnLock(bool on)
{
    set(QStringLiteral("handoff/onLock"), on);
}

QRect AppSettings::windowGeometry() const
{
    return value(QStringLiteral("window/geometry"), QRect()).toRect();
}
void AppSettings::setWindowGeometry(const QRect& geometry)
{
    if (settings_)
        settings_->setValue(QStringLiteral("window/geometry"), geometry);
    else
        memory_.insert(QStringLiteral("window/geometry"), geometry);
}
QString AppSettings::lastSession() const
{
    return value(QStringLiteral("window/lastSession"), QString()).toString();
}
void AppSettings::setLastSession(const QString& sid)
{
    if (settings_)
        settings_->setValue(QStringLiteral("window/lastSession"), sid);
    else
        memory_.insert(QStringLiteral("window/lastSession"), sid);
}

QByteArray AppSettings::microphone() const
{
    return value(QStringLiteral("audio/microphone"), QByteArray()).toByteArray();
}
void AppSettings::setMicrophone(const QByteArray& id)
{
    set(QStringLiteral("audio/microphone"), id);
}
QByteArray AppSettings::speaker() const
{
    return value(QStringLiteral("audio/speaker"), QByteArray()).toByteArray();
}
void AppSettings::setSpeaker(const QByteArray& id)
{
    set(QStringLiteral("audio/speaker"), id);
}
QStringList AppSettings::blockedSites() const
{
    return value(QStringLiteral("cobrowse/blockedSites"), QStringList()).toStringList();
}
void AppSettings::setBlockedSites(const QStringList& domains)
{
    set(QStringLiteral("cobrowse/blockedSites"), domains);
}

} // namespace plenum::ui

#include "cobrowse/urlpolicy.h"

#include "protocol/limits.h"

#include <QUrl>

namespace plenum::cobrowse {

namespace {

bool isPlainHost(const QString& host)
{
    if (host.isEmpty() || host.size() > 253) return false;
    for (const QChar c : host)
        if (!(c.isLetterOrNumber() || c == u'-' || c == u'.')) return false;
    return !host.startsWith(u'.') && !host.endsWith(u'.');
}

} // namespace

bool DomainBlocklist::add(const QString& domain)
{
    const QString d = domain.trimmed().toLower();
    if (!isPlainHost(d)) return false;
    domains_.insert(d);
    return true;
}

bool DomainBlocklist::blocks(const QString& host) const
{
    QString h = host.toLower();
    // "www.example.com" is checked as itself, then "example.com", then "com".
    while (!h.isEmpty()) {
        if (domains_.contains(h)) return true;
        const qsizetype dot = h.indexOf(u'.');
        if (dot < 0) break;
        h = h.mid(dot + 1);
    }
    return false;
}

std::optional<QString> refuseUrl(const QString& text, const DomainBlocklist& blocked)
{
    if (text.isEmpty()) return QStringLiteral("The page address is empty.");
    if (std::size_t(text.toUtf8().size()) > protocol::limits::kMaxUrlBytes)
        return QStringLiteral("The page address is longer than %1 bytes.")
            .arg(protocol::limits::kMaxUrlBytes);
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) return QStringLiteral("\"%1\" is not a valid web address.").arg(text);
    const QString scheme = url.scheme().toLower();
    if (scheme != u"http" && scheme != u"https")
        return QStringLiteral("Only http and https pages can be shared, not \"%1:\" addresses.")
            .arg(scheme.isEmpty() ? QStringLiteral("relative") : scheme);
    if (url.host().isEmpty()) return QStringLiteral("The page address names no web site.");
    // A user name or password in the address leaks credentials to everyone who follows, and
    // "https://bank.example@evil.example" is a classic disguise.
    if (!url.userInfo().isEmpty())
        return QStringLiteral("Addresses with a user name or password are not shared.");
    if (blocked.blocks(url.host()))
        return QStringLiteral("%1 is blocked on this device.").arg(url.host());
    return std::nullopt;
}

} // namespace plenum::cobrowse

#include "identity/plenumlink.h"

#include <QUrl>

namespace plenum::identity {

namespace {
const QString kPrefix = QStringLiteral("plenum:account/");
}

Result<PlenumLink> PlenumLink::parse(QStringView text)
{
    const QStringView t = text.trimmed();
    if (t.size() > kMaxLength) return fail(QStringLiteral("the link is too long"));
    if (!t.startsWith(kPrefix, Qt::CaseInsensitive))
        return fail(QStringLiteral("the link does not start with \"plenum:account/\""));
    QStringView rest = t.mid(kPrefix.size());
    QStringView query;
    if (const auto q = rest.indexOf(u'?'); q >= 0) {
        query = rest.mid(q + 1);
        rest = rest.left(q);
    }
    const auto id = AccountId::fromHex(rest.toString().toLower());
    if (!id || QByteArray::fromHex(rest.toLatin1()).toHex() != rest.toString().toLower().toLatin1())
        return fail(QStringLiteral("the account id in the link is not 64 hexadecimal digits"));
    PlenumLink link;
    link.account = *id;
    if (!query.isEmpty()) {
        for (QStringView part : query.split(u'&')) {
            if (!part.startsWith(u"name=")) continue; // unknown parameters are ignored
            const QString name =
                QUrl::fromPercentEncoding(part.mid(5).toLatin1()).replace(u'+', u' ');
            if (name.size() > kMaxNameLength)
                return fail(QStringLiteral("the name in the link is too long"));
            link.displayName = name;
        }
    }
    return link;
}

QString PlenumLink::toString() const
{
    QString s = kPrefix + account.toHex();
    if (!displayName.isEmpty())
        s += QStringLiteral("?name=") +
             QString::fromLatin1(QUrl::toPercentEncoding(displayName.left(kMaxNameLength)));
    return s;
}

} // namespace plenum::identity

#include "identity/contactlist.h"

#include "identity/plenumlink.h"

#include <QCborArray>
#include <QCborMap>

namespace plenum::identity {

qsizetype ContactList::indexOf(const AccountId& account) const
{
    for (qsizetype i = 0; i < contacts_.size(); ++i)
        if (contacts_[i].account == account) return i;
    return -1;
}

const Contact* ContactList::find(const AccountId& account) const
{
    const auto i = indexOf(account);
    return i >= 0 ? &contacts_[i] : nullptr;
}

Status ContactList::add(const AccountId& account, const QString& displayName)
{
    if (account.isNull()) return fail(QStringLiteral("the account id is empty"));
    if (displayName.size() > kMaxNameLength)
        return fail(QStringLiteral("the contact's name is too long"));
    if (const auto i = indexOf(account); i >= 0) {
        if (!displayName.isEmpty()) contacts_[i].displayName = displayName;
        return Ok{};
    }
    if (contacts_.size() >= kMaxContacts)
        return fail(QStringLiteral("the contact list is full (%1 contacts)").arg(kMaxContacts));
    contacts_.append(Contact{account, displayName, false});
    return Ok{};
}

Status ContactList::addFromLink(QStringView link)
{
    auto parsed = PlenumLink::parse(link);
    if (!parsed) return Error{parsed.error()};
    return add(parsed->account, parsed->displayName);
}

bool ContactList::remove(const AccountId& account)
{
    const auto i = indexOf(account);
    if (i < 0) return false;
    contacts_.removeAt(i);
    return true;
}

Status ContactList::setBlocked(const AccountId& account, bool blocked)
{
    if (indexOf(account) < 0) {
        if (!blocked) return Ok{};
        if (auto s = add(account, {}); !s) return s;
    }
    contacts_[indexOf(account)].blocked = blocked;
    return Ok{};
}

bool ContactList::isBlocked(const AccountId& account) const
{
    const Contact* c = find(account);
    return c && c->blocked;
}

void ContactList::mergeFrom(const ContactList& other)
{
    for (const Contact& c : other.contacts_) {
        if (!add(c.account, c.displayName)) continue;
        if (c.blocked) contacts_[indexOf(c.account)].blocked = true;
    }
}

QCborValue ContactList::toCbor() const
{
    QCborArray out;
    for (const Contact& c : contacts_)
        out.append(QCborMap{{QStringLiteral("id"), c.account.toBytes()},
                            {QStringLiteral("name"), c.displayName},
                            {QStringLiteral("blocked"), c.blocked}});
    return out;
}

Result<ContactList> ContactList::fromCbor(const QCborValue& value)
{
    if (!value.isArray()) return fail(QStringLiteral("the contact list is not a list"));
    const QCborArray arr = value.toArray();
    if (arr.size() > kMaxContacts) return fail(QStringLiteral("the contact list is too long"));
    ContactList list;
    for (const QCborValue& v : arr) {
        const QCborMap m = v.toMap();
        const auto id = AccountId::fromBytes(m.value(QStringLiteral("id")).toByteArray());
        if (!id) return fail(QStringLiteral("a contact has no valid account id"));
        if (auto s = list.add(*id, m.value(QStringLiteral("name")).toString()); !s)
            return Error{s.error()};
        if (m.value(QStringLiteral("blocked")).toBool())
            list.contacts_[list.indexOf(*id)].blocked = true;
    }
    return list;
}

} // namespace plenum::identity

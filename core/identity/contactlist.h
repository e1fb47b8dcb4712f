#pragma once
// An account's contacts, with blocking. Stored per account and synced to a new device on
// pairing. A blocked account is treated as if we were offline (DESIGN §4: 480).

#include <QHash>

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QCborValue>
#include <QList>
#include <QString>

namespace plenum::identity {

struct Contact {
    AccountId account;
    QString displayName;
    bool blocked = false;
};

class ContactList {
public:
    static constexpr int kMaxContacts = 10000;
    static constexpr int kMaxNameLength = 128;

    Status add(const AccountId& account, const QString& displayName);
    Status addFromLink(QStringView link);
    bool remove(const AccountId& account);
    // Blocking someone who is not a contact records them as a blocked non-contact.
    Status setBlocked(const AccountId& account, bool blocked);

    // The query the session layer asks before answering an invitation or a message: true
    // means "answer 480, as if offline".
    bool isBlocked(const AccountId& account) const;
    bool contains(const AccountId& account) const { return indexOf(account) >= 0; }
    const Contact* find(const AccountId& account) const;
    const QList<Contact>& all() const { return contacts_; }

    // Pairing sync: adds what `other` has; a block on either side wins.
    void mergeFrom(const ContactList& other);

    QCborValue toCbor() const;
    static Result<ContactList> fromCbor(const QCborValue& value);

private:
    qsizetype indexOf(const AccountId& account) const;
    QList<Contact> contacts_;
};

} // namespace plenum::identity

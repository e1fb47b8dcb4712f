#pragma once
// `plenum:` links that name an account, for adding contacts (docs/identity.md).
//   plenum:account/<64 hex digits of the AccountId>[?name=<percent-encoded UTF-8>]

#include <QHash>

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QString>

namespace plenum::identity {

struct PlenumLink {
    static constexpr int kMaxLength = 512;
    static constexpr int kMaxNameLength = 64;

    AccountId account;
    QString displayName; // a hint only: the account's own presence has the authoritative name

    static Result<PlenumLink> parse(QStringView text);
    QString toString() const;
};

} // namespace plenum::identity

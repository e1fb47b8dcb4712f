#pragma once
// The live sessions in a device's presence record (PresenceRecord::sessions): what the
// account's other devices offer as "Continue here" (a pull, docs/handoff.md). Its own file so
// that the decoder of these untrusted bytes can be fuzzed without the rest of identity
// (tests/fuzz/identity). Wire form: an array of [session id (16 bytes), title (text)].

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QCborArray>
#include <QList>
#include <QString>

namespace plenum::identity {

// A session this device is live in, so that the account's other devices can offer "Continue
// here" without knowing its id. Contacts watching the account's presence see it too: the
// title is the other members' names, nothing from the conversation.
struct LiveSession {
    SessionId sid;
    QString title;
    friend bool operator==(const LiveSession&, const LiveSession&) = default;
};

namespace livesessions {

// Bounds of the list: 16 x (32 + 48 x up to 4 bytes) stays under 4 KiB.
inline constexpr int kMaxCount = 16;
inline constexpr int kMaxTitleChars = 48; // UTF-16 code units, as QString counts them

// The first kMaxCount sessions, titles cut to kMaxTitleChars.
QCborArray encode(const QList<LiveSession>& sessions);
// The signed record's "sessions" value. Absent (undefined: a record of an older version)
// is an empty list; anything but an array of at most kMaxCount distinct [16-byte id, text of
// at most kMaxTitleChars] pairs is refused in words. The list is two levels deep, no more.
Result<QList<LiveSession>> decode(const QCborValue& value);

} // namespace livesessions
} // namespace plenum::identity

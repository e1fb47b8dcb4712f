#pragma once
// The referrals this device has shown (issue 13). A referral is a member's signature over
// "invite this account into this session, asked at this moment": it speaks for one
// invitation. Within the minutes it is believed (crypto::kMaxReferralAgeMs), an SM could show
// it again after the invitee declined, or after it joined and left, as if the member had
// asked twice. Copies of the invitation still pending here (the SM sending it again, a new SM
// retrying the member's REFER) are that same invitation and keep it: the Node, which notes
// each pending invitation's chain, passes the referral it was shown with. What was shown is
// kept on disk too (encode/decode, written by the Node): a restart does not reset it.

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QList>

#include <map>
#include <optional>

namespace plenum::node {

class ShownReferrals {
public:
    struct Key {
        SessionId sid;
        DeviceId referrer;
        qint64 issuedAtMs = 0;
        auto operator<=>(const Key&) const = default;
    };

    // Every INVITE this device takes, with the referral that verified on it (if any: its
    // moment is then within minutes of `nowMs`), and the referral its session's invitation
    // pending here was shown with (none if none is pending, or it was shown without one).
    // Returns whether that referral may name its member: not when an earlier invitation
    // showed it already.
    bool onInvite(const std::optional<Key>& referral, const std::optional<Key>& pendingShowing,
                  qint64 nowMs);

    std::size_t size() const { return shown_.size(); }
    // Grows with each referral shown: the record on disk is then behind.
    quint64 revision() const { return revision_; }

    // The referrals remembered, for the record on disk (each one's end follows from its
    // moment). decode refuses in words what breaks its bounds (fuzz_shownreferrals).
    QList<Key> keys() const;
    static QByteArray encode(const QList<Key>& keys);
    static Result<QList<Key>> decode(const QByteArray& bytes);
    // The record file at `path` (no file: none shown), and writing it (private, atomically).
    static Result<QList<Key>> read(const QString& path);
    static Status write(const QString& path, const QList<Key>& keys);
    // After a restart, what was shown before it (those still believable, at most
    // kMaxRemembered). No invitation is pending after a restart: none of a later INVITE's
    // referrals is a copy's, so one shown before is not shown again.
    void restore(const QList<Key>& keys, qint64 nowMs);

    static constexpr std::size_t kMaxRemembered = 256;
    static constexpr qsizetype kMaxFileBytes = 64 * 1024;

private:
    static qint64 endOf(const Key& referral);
    void remember(const Key& referral);
    void forgetExpired(qint64 nowMs);

    std::map<Key, qint64> shown_; // -> the last moment it could be believed
    quint64 revision_ = 0;
};

} // namespace plenum::node

// Node: who an invitation is from (issue 13). The account shown is the one of the verified
// chain the INVITE came by; the name is the account's own (the contact entry, else its signed
// presence record). The INVITE's inviter name is never shown, and an INVITE that lists its
// sender under another account than its chain's is refused.
//
// A name not known yet does not hold the invitation back: it is shown at once under its
// verified account, and inviterNamed follows when the account's signed presence record
// arrives (a DHT listen: tens of ms on a quiet network; seconds, or never, for an inviter
// that publishes none). Waiting for it would add a DHT round trip to a stranger's first
// contact (and to auto-accept's join time), and an inviter that publishes no record would
// hold each of its invitations for the whole bound; the account is what the user decides on.
#include "node/node.h"

#include "crypto/referral.h"
#include "protocol/claims.h"

namespace plenum::node {

using protocol::Message;

namespace {

// The session host keeps at most 32 pending invitations; a few more for ones just ended.
constexpr std::size_t kMaxInviteChains = 64;

bool pending(const session::Session* s)
{
    return s && (s->phase() == session::Session::Phase::Invited ||
                 s->phase() == session::Session::Phase::Joining);
}

} // namespace

std::optional<AccountId> Node::verifiedAccountOf(const DeviceId& device)
{
    if (const auto key = linkKeys_.entry(device)) return key->account;
    return tickets_.accountOf(device);
}

bool Node::admitInvite(const Message& message, const DeviceId& from, const AccountId& account)
{
    const auto* invite = std::get_if<protocol::Invite>(&message.body);
    if (!invite) return true;
    if (const QString why = protocol::checkInviterClaim(*invite, from, account); !why.isEmpty()) {
        Q_EMIT warning("an INVITE from " + from.shortHex() + " was refused: " + why);
        return false;
    }
    const SessionId& sid = message.header.sid;
    // The referral the invitation pending here (if any, before the host takes this INVITE)
    // was shown with: a copy of that invitation keeps it.
    std::optional<ShownReferrals::Key> pendingShowing;
    if (auto it = inviteChains_.find(sid);
        it != inviteChains_.end() && pending(host_->session(sid)))
        pendingShowing = it->second.referral;
    std::optional<ShownReferrals::Key> referral;
    if (const std::optional<DeviceId> referrer = checkReferral(*invite, sid))
        referral = ShownReferrals::Key{sid, *referrer, qint64(invite->referral->issuedAtMs)};
    const quint64 before = shownReferrals_.revision();
    if (!shownReferrals_.onInvite(referral, pendingShowing, now()) && referral) {
        Q_EMIT warning("an invitation's note that " + referral->referrer.shortHex() +
                       " asked for it was not believed: an earlier invitation showed it already");
        referral.reset();
    }
    if (shownReferrals_.revision() != before) saveShownReferrals();
    if (!inviteChains_.contains(sid) && inviteChains_.size() >= kMaxInviteChains)
        std::erase_if(inviteChains_,
                      [this](const auto& e) { return !pending(host_->session(e.first)); });
    // Full of pending ones: inviterOf falls back to the chains verified on links and the DHT.
    if (inviteChains_.contains(sid) || inviteChains_.size() < kMaxInviteChains)
        inviteChains_[sid] = InviteChain{from, account, referral};
    return true;
}

QString Node::shownReferralsPath() const
{
    return options_.profileDir + QStringLiteral("/referrals.rec");
}

void Node::restoreShownReferrals()
{
    if (auto keys = ShownReferrals::read(shownReferralsPath()))
        shownReferrals_.restore(keys.value(), now());
    else
        Q_EMIT warning("the record of shown referrals was skipped: " + keys.error());
}

void Node::saveShownReferrals()
{
    // Written before the invitation is shown: a crash after it cannot let it be shown twice.
    if (auto s = ShownReferrals::write(shownReferralsPath(), shownReferrals_.keys()); !s)
        Q_EMIT warning("the referrals shown are remembered until the next restart only: " +
                       s.error());
}

std::optional<DeviceId> Node::checkReferral(const protocol::Invite& invite, const SessionId& sid)
{
    if (!invite.referredBy || !invite.referral) return std::nullopt;
    const DeviceId& referrer = *invite.referredBy;
    if (auto ok = crypto::verifyReferral(*invite.referral, referrer, sid, account(), now(),
                                         linkKeys_, profile_.account.revoked());
        !ok) {
        Q_EMIT warning("an invitation's note that " + referrer.shortHex() +
                       " asked for it was not believed: " + ok.error());
        return std::nullopt;
    }
    return referrer;
}

Inviter Node::inviterOf(const SessionId& sid, const DeviceId& asker)
{
    // The Invited event comes from the INVITE admitted just before (runEffects follows each
    // message into the session host at once), so the newest chain noted for `sid` is its own.
    Inviter who;
    std::optional<DeviceId> referrer;
    if (auto it = inviteChains_.find(sid); it != inviteChains_.end()) {
        who.device = it->second.device;
        who.account = it->second.account;
        if (it->second.referral) referrer = it->second.referral->referrer;
    } else if (const session::Session* s = host_->session(sid)) {
        who.device = s->sm(); // Session::onInvite takes the INVITE's sender for the SM
        who.account = verifiedAccountOf(who.device).value_or(AccountId{});
    }
    // Who asked, only in its own signed words: an SM naming a member is not enough.
    if (asker != who.device && referrer == asker) {
        who.referredBy = asker;
        who.referrerAccount = verifiedAccountOf(asker);
    }
    if (who.account.isNull()) return who; // nothing verified: no name at all
    const NodeAccount::AccountName name = account_->accountName(who.account);
    who.name = name.name;
    who.source = name.source;
    if (who.referrerAccount) {
        const NodeAccount::AccountName known = account_->accountName(*who.referrerAccount);
        who.referrerName = known.name;
        who.referrerSource = known.source;
    }
    // Names not known yet come with the accounts' signed presence records: onInviterPresence.
    const bool referrerUnnamed =
        who.referrerAccount && who.referrerSource == NodeAccount::NameSource::None;
    if (who.source == NodeAccount::NameSource::None) account_->watch(who.account);
    if (referrerUnnamed) account_->watch(*who.referrerAccount);
    if (who.source == NodeAccount::NameSource::None || referrerUnnamed) unnamedInviters_[sid] = who;
    return who;
}

void Node::onInviterPresence(const AccountId& account)
{
    using Source = NodeAccount::NameSource;
    const NodeAccount::AccountName name = account_->accountName(account); // once, for all
    QList<std::pair<SessionId, Inviter>> named;
    for (auto it = unnamedInviters_.begin(); it != unnamedInviters_.end();) {
        if (!pending(host_->session(it->first))) {
            it = unnamedInviters_.erase(it);
            continue;
        }
        Inviter& who = it->second;
        bool changed = false;
        if (name.source != Source::None && who.account == account && who.source == Source::None) {
            who.name = name.name;
            who.source = name.source;
            changed = true;
        }
        if (name.source != Source::None && who.referrerAccount == account &&
            who.referrerSource == Source::None) {
            who.referrerName = name.name;
            who.referrerSource = name.source;
            changed = true;
        }
        if (changed) named.append({it->first, who});
        if (who.source != Source::None &&
            (!who.referrerAccount || who.referrerSource != Source::None))
            it = unnamedInviters_.erase(it);
        else
            ++it;
    }
    // After the loop: a handler may accept, and an admission ends the invitation here.
    for (const auto& [sid, who] : named)
        Q_EMIT inviterNamed(sid, who);
}

void Node::endInvitation(const SessionId& sid)
{
    std::optional<AccountId> referrer;
    if (auto u = unnamedInviters_.find(sid); u != unnamedInviters_.end()) {
        referrer = u->second.referrerAccount;
        unnamedInviters_.erase(u);
    }
    auto it = inviteChains_.find(sid);
    if (it == inviteChains_.end()) return;
    const AccountId account = it->second.account;
    inviteChains_.erase(it);
    const auto stillNeeded = [this](const AccountId& a) {
        for (const auto& [other, chain] : inviteChains_)
            if (chain.account == a) return true;
        for (const auto& [other, who] : unnamedInviters_)
            if (who.referrerAccount == a) return true;
        return false;
    };
    if (!stillNeeded(account)) account_->unwatchStranger(account);
    if (referrer && *referrer != account && !stillNeeded(*referrer))
        account_->unwatchStranger(*referrer);
}

} // namespace plenum::node

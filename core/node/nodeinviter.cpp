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
    if (!inviteChains_.contains(sid) && inviteChains_.size() >= kMaxInviteChains)
        std::erase_if(inviteChains_,
                      [this](const auto& e) { return !pending(host_->session(e.first)); });
    // Full of pending ones: inviterOf falls back to the chains verified on links and the DHT.
    if (inviteChains_.contains(sid) || inviteChains_.size() < kMaxInviteChains)
        inviteChains_[sid] = InviteChain{from, account};
    return true;
}

Inviter Node::inviterOf(const SessionId& sid, const DeviceId& asker)
{
    // The Invited event comes from the INVITE admitted just before (runEffects follows each
    // message into the session host at once), so the newest chain noted for `sid` is its own.
    Inviter who;
    if (auto it = inviteChains_.find(sid); it != inviteChains_.end()) {
        who.device = it->second.device;
        who.account = it->second.account;
    } else if (const session::Session* s = host_->session(sid)) {
        who.device = s->sm(); // Session::onInvite takes the INVITE's sender for the SM
        who.account = verifiedAccountOf(who.device).value_or(AccountId{});
    }
    if (asker != who.device) who.referredBy = asker;
    if (who.account.isNull()) return who; // nothing verified: no name at all
    const NodeAccount::AccountName name = account_->accountName(who.account);
    who.name = name.name;
    who.source = name.source;
    if (who.source == NodeAccount::NameSource::None) {
        account_->watch(who.account); // its signed presence record: onInviterPresence
        unnamedInviters_[sid] = who;
    }
    return who;
}

void Node::onInviterPresence(const AccountId& account)
{
    QList<std::pair<SessionId, Inviter>> named;
    for (auto it = unnamedInviters_.begin(); it != unnamedInviters_.end();) {
        if (it->second.account != account) {
            ++it;
            continue;
        }
        if (!pending(host_->session(it->first))) {
            it = unnamedInviters_.erase(it);
            continue;
        }
        const NodeAccount::AccountName name = account_->accountName(account);
        if (name.source == NodeAccount::NameSource::None) {
            ++it;
            continue;
        }
        Inviter who = it->second;
        who.name = name.name;
        who.source = name.source;
        named.append({it->first, who});
        it = unnamedInviters_.erase(it);
    }
    // After the loop: a handler may accept, and an admission ends the invitation here.
    for (const auto& [sid, who] : named)
        Q_EMIT inviterNamed(sid, who);
}

void Node::endInvitation(const SessionId& sid)
{
    unnamedInviters_.erase(sid);
    auto it = inviteChains_.find(sid);
    if (it == inviteChains_.end()) return;
    const AccountId account = it->second.account;
    inviteChains_.erase(it);
    for (const auto& [other, chain] : inviteChains_)
        if (chain.account == account) return;
    account_->unwatchStranger(account);
}

} // namespace plenum::node

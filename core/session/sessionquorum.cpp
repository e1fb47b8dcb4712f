// Session, the signed quorum of an epoch's SM (DESIGN §5 "SET_SM carries the signed votes",
// §5.1 rule 6). A voter signs its allow=true with its device key (TicketAuthority: the Node's
// Ed25519 link key, the simulator's keyed digest); the winner forwards the votes in SET_SM; a
// member follows a new epoch's SM only once it checked them against its own roster. Without
// this a malicious member could name itself SM of a newer epoch (by SET_SM, a header or a
// roster) and then rewrite the roster as that SM. A member whose roster is too old to check the
// votes takes the word of a majority of the others instead (noteSmAttestation).
#include "protocol/quorum.h"
#include "session/roster.h"
#include "session/session.h"

#include <algorithm>

namespace plenum::session {

using namespace protocol;

QByteArray Session::signVote(std::uint64_t epoch, const DeviceId& candidate) const
{
    return deps_.tickets.sign(voteSigningBytes(sid_, epoch, candidate, self_.device));
}

bool Session::voteSigned(const DeviceId& voter, const Vote& v) const
{
    if (config_.ruleOff(Rule::SignedSetSm)) return true;
    return deps_.tickets.verify(voter, voteSigningBytes(sid_, v.epoch, self_.device, voter),
                                v.signature);
}

SignatureCheck Session::signatureCheck() const
{
    return [this](const DeviceId& signer, const QByteArray& data, const QByteArray& sig) {
        return deps_.tickets.verify(signer, data, sig);
    };
}

bool Session::acceptSmProof(const DeviceId& candidate, const SetSm& s)
{
    if (smProof_ && smProof_->epoch == s.epoch && smProof_->sm == candidate) return true;
    // A majority of our accepted or of our committed roster: the candidate counted a majority
    // of its own, which is at least as new as every voter's; ours may hold one more change
    // that it never saw (a proposal only we acknowledged), and a majority of either overlaps.
    // Without the members we saw leave before this epoch's votes (electionVoters()), except
    // those whose vote SET_SM carries: a leaver's vote, cast before its BYE, is as real as any
    // (--seed 3656: it counted for the candidate, who had not seen the BYE), and leaving out
    // one that voted only costs a vote. One set for both would strand us whenever we saw one
    // leaver vote and another leave without voting (--seed 104193: each set alone was one
    // vote short). A leaver that voted in this epoch for someone else still counts.
    QSet<DeviceId> voted{candidate}; // its SET_SM is its own vote
    for (const SignedVote& v : s.votes)
        voted.insert(v.voter);
    QList<QSet<DeviceId>> rosters;
    for (const RosterSnapshot* roster : {&accepted_, &committed_}) {
        QSet<DeviceId> v = electionVoters(*roster, s.epoch);
        for (const DeviceId& d : deviceSet(*roster))
            if (voted.contains(d)) v.insert(d);
        if (!rosters.contains(v)) rosters.append(std::move(v));
    }
    bool ok = config_.ruleOff(Rule::SignedSetSm);
    for (qsizetype i = 0; !ok && i < rosters.size(); ++i)
        ok = checkSetSmQuorum(sid_, s, candidate,
                              QList<DeviceId>(rosters[i].cbegin(), rosters[i].cend()),
                              signatureCheck())
                 .ok;
    if (!ok) return false;
    if (!smProof_ || s.epoch >= smProof_->epoch) {
        smProof_ = SmProof{s.epoch, candidate, s.votes};
        persist(); // a restarted member still relays it
    }
    return true;
}

void Session::joinerSetSm(const DeviceId& from, const SetSm& s)
{
    // Checked against the members our inviter named (its ticket's roster, then ENDPOINTS):
    // the closest a joiner has to the roster the votes were cast on.
    const DeviceId candidate = s.candidate.value_or(from);
    if (s.epoch <= join_->invite.ticket.at.epoch || candidate == self_.device) return;
    QList<DeviceId> named = join_->endpoints.keys();
    if (!named.contains(join_->sm)) named.append(join_->sm);
    if (checkSetSmQuorum(sid_, s, candidate, named, signatureCheck()).ok)
        join_->provenSm = std::pair{s.epoch, candidate};
}

bool Session::smProven(std::uint64_t epoch, const DeviceId& sm) const
{
    if (config_.ruleOff(Rule::SignedSetSm)) return true;
    // The SM of a roster we hold (it was proven to us, or we were admitted under it).
    if (accepted_.at.epoch == epoch && accepted_.sm == sm) return true;
    if (committed_.at.epoch == epoch && committed_.sm == sm) return true;
    if (smAttested_ && smAttested_->first == epoch && smAttested_->second == sm) return true;
    return smProof_ && smProof_->epoch == epoch && smProof_->sm == sm;
}

void Session::noteSmAttestation(const DeviceId& from, const Roster& r)
{
    if (!r.full || !r.committed || r.sm.isNull()) return;
    if (r.at.epoch <= std::max(accepted_.at.epoch, committed_.at.epoch)) return;
    if (!inRoster(from) || (from != r.sm && !rosterSigned(r))) return;
    const QPair<std::uint64_t, DeviceId> claim{r.at.epoch, r.sm};
    if (smAttested_ == claim || smProven(r.at.epoch, r.sm)) return;
    if (!attestations_.contains(claim) && attestations_.size() >= kMaxAttestedClaims) {
        auto oldest = attestations_.begin();
        for (auto it = attestations_.begin(); it != attestations_.end(); ++it)
            if (it.key().first < oldest.key().first) oldest = it;
        if (oldest.key().first >= claim.first) return;
        attestations_.erase(oldest);
    }
    QSet<DeviceId>& by = attestations_[claim];
    by.insert(from);
    // Its SM vouches for a roster that leaves us out by its 403 (not in its roster): an SM we
    // know as a member, restarted or never told of us, answers that instead of a roster
    // (--crash-points seed 129879). Alone, a 403 removes nobody (notListedByMajority).
    const bool listsUs = std::any_of(r.members.cbegin(), r.members.cend(),
                                     [&](const MemberInfo& m) { return m.device == self_.device; });
    if (!listsUs && notListedBy_.contains(r.sm)) by.insert(r.sm);
    for (const RosterSnapshot* roster : {&accepted_, &committed_}) {
        // A majority of the others, as for 403s (notListedByMajority): we cannot vouch, and a
        // member behind must cross its gap when one of them is down (docs/security.md).
        QSet<DeviceId> v = electionVoters(*roster, r.at.epoch);
        v.remove(self_.device);
        int count = 0;
        for (const DeviceId& d : v)
            if (by.contains(d)) ++count;
        if (count >= 2 && 2 * count > v.size()) { // never one device's word alone
            smAttested_ = claim;
            attestations_.clear();
            return;
        }
    }
}

SetSm Session::ownSmProof(std::uint64_t epoch) const
{
    SetSm s{epoch, {}};
    if (const Election::Round* round = election_.round(); round && round->epoch == epoch)
        for (auto it = round->signatures.cbegin(); it != round->signatures.cend(); ++it)
            if (it.key() != self_.device) s.votes.append(SignedVote{it.key(), it.value()});
    return s;
}

void Session::askSmProof(const DeviceId& from, Millis now)
{
    if (dueAgain(proofAsked_, from, now)) requestSnapshot(from);
}

bool Session::dueAgain(AskLog& log, const DeviceId& d, Millis now)
{
    auto it = log.find(d);
    if (it != log.end() && now - it->last < kProofAskInterval) return false;
    if (it == log.end()) {
        if (log.size() >= kMaxFormerMembers) log.clear();
        it = log.insert(d, {now, now});
    }
    if (now - it->last > 5 * kMembershipAnswerMs) it->first = now;
    it->last = now;
    return true;
}

void Session::sendSmProof(const DeviceId& to, std::uint64_t epoch, const DeviceId& sm)
{
    if (!smProof_ || smProof_->epoch != epoch || smProof_->sm != sm) return;
    SetSm s{smProof_->epoch, smProof_->votes};
    // From the SM itself the sender is the candidate; a member relaying it names the SM.
    if (smProof_->sm != self_.device) s.candidate = smProof_->sm;
    send(to, s);
}

// ------------------------------------------------------------ membership proofs (rule 7)
// A device behind us that we never saw as a member (it was removed before we joined, or the
// bounded formerMembers_ dropped it) still needs to hear it is out, but its header's stamp
// is anyone's to make up: it shows a roster that listed it, which only its SM could sign.

std::optional<Roster> Session::membershipProof() const
{
    for (const bool committed : {false, true}) {
        const RosterSnapshot& r = committed ? committed_ : accepted_;
        const bool asCommitted = committed || accepted_.at == committed_.at;
        if (!contains(r, self_.device)) continue;
        QByteArray signature = heldSignature(r, asCommitted);
        if (signature.isEmpty()) continue; // a record from before signatures
        Roster proof;
        fillFull(proof, r);
        proof.committed = asCommitted;
        proof.signature = std::move(signature);
        return proof;
    }
    return std::nullopt;
}

Message notInRoster(const SessionId& sid)
{
    // A bare header: the asker may be a stranger, who learns neither epoch nor SM from it.
    return Message{
        Header{sid, 0, 0, {}},
        ErrorReply{Code::Forbidden, QStringLiteral("not in this session's roster"), std::nullopt}};
}

bool Session::vouchesFor(const DeviceId& sm, std::uint64_t epoch) const
{
    return sm == self_.device || inRoster(sm) || formerMembers_.contains(sm) ||
           smOfEpoch(epoch) == sm;
}

bool Session::provesMembership(const DeviceId& from, const SnapshotRequest& q) const
{
    if (!q.proof || !q.proof->full) return false;
    const Roster& p = *q.proof;
    // Only of a roster older than ours: a newer one may list a member we have not learned of.
    return p.at < committed_.at && vouchesFor(p.sm, p.at.epoch) && contains(snapshotOf(p), from) &&
           rosterSigned(p);
}

void Session::askMembershipProof(const DeviceId& from, Millis now)
{
    if (dueAgain(membershipAsked_, from, now)) deps_.out.send(from, notInRoster(sid_));
}

void Session::showMembershipProof(const DeviceId& to, Millis now)
{
    std::optional<Roster> proof = membershipProof();
    if (proof && dueAgain(membershipShown_, to, now)) send(to, SnapshotRequest{std::move(proof)});
}

// -------------------------------------------------------- the SM's signature on rosters
// Without it a member that hands out a snapshot could write what it likes in it, naming the
// right SM of its epoch (--adversary seeds 80011, 163087). Deltas and proposals from the SM
// itself come over its authenticated link and are not checked; they carry the signature so
// that a member can relay what they yield.

QByteArray Session::signRoster(const RosterSnapshot& roster, bool committed) const
{
    return deps_.tickets.sign(rosterSigningBytes(sid_, roster, committed));
}

bool Session::rosterSigned(const Roster& r) const
{
    return config_.ruleOff(Rule::SignedRoster) || signedBySm(r, sid_, deps_.tickets);
}

QByteArray Session::heldSignature(const RosterSnapshot& roster, bool committed) const
{
    if (committed && roster.at == committed_.at && !committedSig_.isEmpty()) return committedSig_;
    if (!committed && roster.at == accepted_.at && !acceptedSig_.isEmpty()) return acceptedSig_;
    // Our own roster (a record from before signatures, or one we never stored a copy of).
    if (roster.sm == self_.device) return signRoster(roster, committed);
    return {};
}

} // namespace plenum::session

#include "invariants.h"

#include "session/roster.h"

#include <sstream>

namespace plenum::sim {

using namespace protocol;
using session::Session;

std::string describe(const RosterStamp& at)
{
    return "(" + std::to_string(at.epoch) + "," + std::to_string(at.version) + ")";
}

std::string describe(const RosterSnapshot& r)
{
    std::ostringstream out;
    out << "(" << r.at.epoch << "," << r.at.version << ") sm=" << r.sm.shortHex().toStdString()
        << " [";
    for (const MemberInfo& m : r.members)
        out << " " << m.name.toStdString();
    out << " ]";
    if (r.baton != Baton{})
        out << " baton=" << r.baton.holder.shortHex().toStdString() << "/" << r.baton.generation;
    return out.str();
}

void InvariantChecker::fail(const std::string& what)
{
    if (!failure_.empty()) return;
    failure_ = what;
    failedAt_ = net_.now();
}

// ------------------------------------------------------------------- observations

void InvariantChecker::onSend(int from, int to, const Message& m, bool)
{
    const SessionId& sid = m.header.sid;
    // Judged when sent: by delivery the sender may hold a new session of that sid (--adversary
    // seed 14072: a tombstone's answer arrived after its device was invited again).
    if (outsider_ >= 0 && to == outsider_) outsiderSent(from, m);
    // A leave says the last epoch its sender voted in: a member that hears one without it must
    // count the leaver in every election for ever (--handoff seed 20791: the BYE a leaver sent
    // a joiner that was a member by the time it landed).
    if (const auto* bye = std::get_if<Bye>(&m.body);
        bye && bye->reason == Bye::Reason::Leave && !bye->votedIn && from != outsider_)
        fail("leaversSayWhatTheyVotedIn: peer" + std::to_string(from) + " sent peer" +
             std::to_string(to) + " a BYE without 'voted in'");
    if (const auto* pass = std::get_if<BatonPass>(&m.body)) {
        sids_[sid].passes.emplace(net_.peer(from).info().device, pass->to, pass->generation);
        return;
    }
    if (const auto* inv = std::get_if<Invite>(&m.body)) {
        // 5: admissions are sequential; no joiner is handed EndPoints missing a committed member.
        auto it = sids_.find(sid);
        QList<MemberInfo> expected =
            it != sids_.end() ? it->second.latest.members : QList<MemberInfo>{};
        // A hand-off's INVITE leaves out the device it replaces (not waited for, rule 10).
        if (inv->handoff && !inv->handoff->keep && inv->handoff->replaces != inv->ticket.sm)
            expected.removeIf(
                [&](const MemberInfo& x) { return x.device == inv->handoff->replaces; });
        if (it != sids_.end() && inv->endpoints != expected)
            fail("admissionsAreSequential: peer" + std::to_string(from) +
                 " sent INVITE with endpoints " +
                 describe(RosterSnapshot{inv->ticket.at, inv->ticket.sm, inv->endpoints, {}}) +
                 " but the committed roster is " + describe(it->second.latest));
    } else if (const auto* r = std::get_if<Roster>(&m.body); r && !r->committed) {
        Proposal p;
        p.base = r->base;
        if (r->full) {
            p.roster =
                RosterSnapshot{r->at, r->sm, r->members, r->baton.value_or(protocol::Baton{})};
        } else {
            const auto& log = sids_[sid];
            auto c = log.committed.find(r->base);
            if (c == log.committed.end()) return;
            p.roster = session::applyChange(c->second, r->change, r->at, r->sm);
        }
        session::normalize(p.roster);
        proposals_[sid].emplace(r->at, p); // the first send of a stamp names its real base
    }
}

void InvariantChecker::onDelivered(int, int to, const Message& m, const Session* before,
                                   const RosterStamp& prev)
{
    // 3: a gap is crossed only by a full snapshot: a delta moves a roster only from its base.
    const auto* r = std::get_if<Roster>(&m.body);
    if (!r || r->full || !before) return;
    Session* now = net_.peer(to).session(m.header.sid);
    if (now != before || now->phase() != Session::Phase::Member) return;
    if (now->accepted().at != prev && prev != r->base)
        fail("gapsAreCrossedOnlyBySnapshots: peer" + std::to_string(to) + " applied a delta on (" +
             std::to_string(r->base.epoch) + "," + std::to_string(r->base.version) + ") to (" +
             std::to_string(prev.epoch) + "," + std::to_string(prev.version) + ")");
}

void InvariantChecker::onEvent(int peer, const SessionId& sid, const session::SessionEvent& e,
                               bool fromSm)
{
    if (const auto* b = std::get_if<session::event::BecameSm>(&e)) {
        atMostOneManagerPerEpoch(peer, sid, b->epoch);
    } else if (const auto* c = std::get_if<session::event::RosterCommitted>(&e)) {
        batonHasOneHolderPerGeneration(peer, sid, c->roster);
        committedRostersCarryTheirSmsSignature(peer, sid, c->roster);
        if (fromSm)
            committedChangesAreNeverLost(sid, c->roster, c->base);
        else
            membersOnlyApplyCommittedRosters(peer, sid, c->roster);
    } else if (std::holds_alternative<session::event::Removed>(e) && outsider_ >= 0) {
        removedOnlyByARemoval(peer, sid);
    } else if (const auto* a = std::get_if<session::event::Admitted>(&e)) {
        auto& log = sids_[sid];
        const DeviceId d = net_.peer(peer).info().device;
        // Told it is in by roster R: it stays in every later commit unless one removes it.
        // A removal may already have been committed after R while the news travelled.
        if (session::contains(log.latest, d))
            log.toldIn.insert(d);
        else if (log.latest.at <= a->roster.at)
            fail("joinersStayIn: peer" + std::to_string(peer) + " was told it is in by " +
                 describe(a->roster) + " but the committed roster is " + describe(log.latest));
        membersOnlyApplyCommittedRosters(peer, sid, a->roster);
    }
}

void InvariantChecker::onStep(Millis)
{
    rosterVersionsNeverGoBack();
    noLostWakeUp();
    if (outsider_ >= 0) outsiderGainsNothing();
}

// ------------------------------------------------------- the adversary (issue 13)

void InvariantChecker::outsiderGainsNothing()
{
    const DeviceId evil = net_.peer(outsider_).info().device;
    for (int i = 0; i < net_.size(); ++i) {
        SimPeer& p = net_.peer(i);
        if (i == outsider_ || !p.alive()) continue;
        for (const SessionId& sid : p.host()->sessionIds()) {
            const Session* s = p.session(sid);
            if (s->sm() == evil || session::contains(s->accepted(), evil) ||
                session::contains(s->committed(), evil))
                fail("outsiderGainsNothing: peer" + std::to_string(i) + " follows or lists the " +
                     "outsider peer" + std::to_string(outsider_) + ": " + describe(s->accepted()) +
                     " sm " + s->sm().shortHex().toStdString());
            // §5: the SM a member follows won its epoch (a signed quorum): a malicious member
            // that claims it by SET_SM, a header or a roster of a newer epoch is not followed.
            if (s->phase() != Session::Phase::Member || s->sm().isNull() || s->isSm()) continue;
            const auto& sms = sids_[sid].smOfEpoch;
            const auto won = sms.find(s->epoch());
            if (won == sms.end() || won->second != s->sm())
                fail("followsOnlyAnElectedSm: peer" + std::to_string(i) + " follows peer" +
                     std::to_string(net_.indexOf(s->sm())) + " as SM of epoch " +
                     std::to_string(s->epoch()) + ", which it never won");
        }
    }
}

void InvariantChecker::removedOnlyByARemoval(int peer, const SessionId& sid)
{
    const Session* s = net_.peer(peer).session(sid);
    const DeviceId d = net_.peer(peer).info().device;
    if (!s || !session::contains(s->committed(), d) || !session::contains(s->accepted(), d))
        return; // it acted on a roster that removes it
    const RosterStamp mine = s->committed().at;
    for (const auto& [at, roster] : sids_[sid].committed)
        if (at > mine && !session::contains(roster, d)) return;
    for (const auto& [at, proposal] : proposals_[sid])
        if (at > mine && !session::contains(proposal.roster, d)) return;
    fail("removedOnlyByARemoval: peer" + std::to_string(peer) + " left " +
         describe(s->committed()) + " as removed, but no SM proposed a roster without it");
}

void InvariantChecker::outsiderSent(int from, const Message& m)
{
    // Tombstones are held to it too (they hand their roster only to members and former
    // members); a session ending in this very step (Gone, not yet a tombstone) is not.
    const Session* s = net_.peer(from).session(m.header.sid);
    if (std::holds_alternative<Roster>(m.body) && s && s->phase() == Session::Phase::Gone) return;
    if (std::holds_alternative<Hello>(m.body) || std::holds_alternative<Roster>(m.body))
        fail(std::string("outsidersLearnNothing: peer") + std::to_string(from) + " sent the " +
             "outsider a " + messageName(m.body));
}

// -------------------------------------------------------------------- invariants

void InvariantChecker::atMostOneManagerPerEpoch(int peer, const SessionId& sid, std::uint64_t epoch)
{
    auto& log = sids_[sid];
    const DeviceId me = net_.peer(peer).info().device;
    auto [it, fresh] = log.smOfEpoch.emplace(epoch, me);
    if (!fresh && it->second != me)
        fail("atMostOneManagerPerEpoch: peer" + std::to_string(peer) + " became SM of epoch " +
             std::to_string(epoch) + " which already had SM peer" +
             std::to_string(net_.indexOf(it->second)));
}

void InvariantChecker::committedChangesAreNeverLost(const SessionId& sid,
                                                    const RosterSnapshot& roster,
                                                    const RosterStamp& base)
{
    auto& log = sids_[sid];
    if (!log.any) {
        log.any = true;
        log.latest = roster;
        log.committed[roster.at] = roster;
        log.toldIn.insert(roster.sm);
        return;
    }
    if (auto it = log.committed.find(roster.at); it != log.committed.end()) {
        if (it->second.members != roster.members || it->second.baton != roster.baton)
            fail("committedChangesAreNeverLost: two different rosters committed at " +
                 describe(roster) + " and " + describe(it->second));
        return;
    }
    if (roster.at <= log.latest.at) {
        // A deposed SM may learn late that its proposal was acknowledged by a majority: the
        // commit happened when the acks were on disk, so the newer SMs built on it. That is
        // fine only if it is in the lineage of the newest committed roster (seed 749319).
        RosterStamp b = log.latest.at;
        const auto& props = proposals_[sid];
        for (int guard = 0; b > roster.at && guard < 1000; ++guard) {
            auto base = log.baseOf.find(b);
            if (base != log.baseOf.end()) {
                b = base->second;
                continue;
            }
            auto p = props.find(b);
            if (p == props.end()) break;
            b = p->second.base;
        }
        auto ancestor = props.find(roster.at);
        const bool inLineage = b == roster.at && ancestor != props.end() &&
                               ancestor->second.roster.members == roster.members;
        if (inLineage) log.committed[roster.at] = roster;
        if (!inLineage)
            fail("committedChangesAreNeverLost: commit " + describe(roster) +
                 " is not newer than the committed " + describe(log.latest) +
                 " and not in its lineage");
        return;
    }
    // Its lineage must pass through the newest committed roster.
    RosterStamp b = base;
    const auto& props = proposals_[sid];
    int guard = 0;
    while (b > log.latest.at && guard++ < 1000) {
        auto p = props.find(b);
        if (p == props.end()) break;
        b = p->second.base;
    }
    if (b != log.latest.at)
        fail("committedChangesAreNeverLost: commit " + describe(roster) + " (base " +
             describe(base) + ", traced back to " + describe(b) +
             ") does not descend from the committed " + describe(log.latest));
    // 7b: a joiner told it is in stays in until it leaves or is removed (one change a commit).
    const QSet<DeviceId> before = session::deviceSet(log.latest);
    const QSet<DeviceId> after = session::deviceSet(roster);
    for (const DeviceId& d : std::set<DeviceId>(log.toldIn)) {
        if (after.contains(d)) continue;
        if (before.contains(d) && (before - after).size() == 1)
            log.toldIn.erase(d);
        else
            fail("joinersStayIn: " + d.shortHex().toStdString() + " vanished in " +
                 describe(roster));
    }
    batonMovesOnlyByItsHolder(sid, log, roster);
    if (roster.baton.generation < log.latest.baton.generation)
        fail("batonGenerationsNeverGoBack: commit " + describe(roster) + " after " +
             describe(log.latest));
    handoffInvariants(sid, log.latest, roster);
    log.baseOf[roster.at] = base;
    log.committed[roster.at] = roster;
    log.latest = roster;
}

void InvariantChecker::handoffInvariants(const SessionId& sid, const RosterSnapshot& before,
                                         const RosterSnapshot& after)
{
    for (const protocol::Reservation& seat : before.reservations) {
        if (session::contains(before, seat.replaces) && !session::contains(after, seat.replaces) &&
            !session::contains(after, seat.device))
            fail("othersNeverSeeTheAccountLeave: " + describe(after) + " drops " +
                 seat.replaces.shortHex().toStdString() + " while its hand-off seat for " +
                 seat.device.shortHex().toStdString() + " lives, without the swap");
        if (seat.keep && session::contains(after, seat.device)) kept_[sid].insert(seat.account);
    }
    std::map<AccountId, int> devices;
    for (const MemberInfo& m : after.members)
        devices[m.account] += 1;
    for (const auto& [account, count] : devices)
        if (count > 2 || (count == 2 && !kept_[sid].contains(account)))
            fail("oneDevicePerAccount: " + describe(after) + " lists " + std::to_string(count) +
                 " devices of account " + account.shortHex().toStdString());
}

void InvariantChecker::membersOnlyApplyCommittedRosters(int peer, const SessionId& sid,
                                                        const RosterSnapshot& roster)
{
    const auto& log = sids_[sid];
    auto it = log.committed.find(roster.at);
    if (it == log.committed.end() || it->second.members != roster.members ||
        it->second.sm != roster.sm || it->second.baton != roster.baton)
        fail("membersShowOnlyCommittedRosters: peer" + std::to_string(peer) + " shows " +
             describe(roster) + " which no SM committed");
}

void InvariantChecker::committedRostersCarryTheirSmsSignature(int peer, const SessionId& sid,
                                                              const RosterSnapshot& roster)
{
    if (net_.config().session.ruleOff(session::Rule::SignedRoster)) return;
    Session* s = net_.peer(peer).session(sid);
    if (!s || s->committed() != roster) return;
    if (!net_.peer(peer).tickets().verify(
            roster.sm, protocol::rosterSigningBytes(sid, roster, true), s->committedSignature()))
        fail("committedRostersCarryTheirSmsSignature: peer" + std::to_string(peer) + " committed " +
             describe(roster) + " without its SM's valid signature");
}

void InvariantChecker::batonMovesOnlyByItsHolder(const SessionId& sid, const SessionLog& log,
                                                 const RosterSnapshot& roster)
{
    const Baton& was = log.latest.baton;
    const Baton& is = roster.baton;
    if (is.generation != was.generation + 1) return; // no move (or not one commit apart)
    const bool free = was.holder.isNull();           // the SM grants a free baton
    const bool holderGone = !session::contains(roster, was.holder); // given back on removal
    // The SM's own pass sends no BATON_PASS: its proposal of the move is what we see (a new SM
    // may republish it after the election).
    bool bySm = was.holder == roster.sm;
    for (const auto& [at, p] : proposals_[sid])
        bySm = bySm || (p.roster.sm == was.holder && p.roster.baton == is);
    const bool asked = log.passes.count({was.holder, is.holder, was.generation}) > 0;
    // A hand-off swap (§5.1 rule 10): the person leading goes on from the device that took the
    // holder's place, in the same commit.
    bool handedOff = false;
    for (const protocol::Reservation& seat : log.latest.reservations)
        handedOff = handedOff || (holderGone && seat.replaces == was.holder &&
                                  seat.device == is.holder && !seat.keep);
    if (!free && !(holderGone && is.holder.isNull()) && !bySm && !asked && !handedOff)
        fail("batonMovesOnlyByItsHolder: commit " + describe(roster) + " moved the baton from " +
             describe(log.latest) + " but its holder never passed generation " +
             std::to_string(was.generation) + " to that device");
}

void InvariantChecker::batonHasOneHolderPerGeneration(int peer, const SessionId& sid,
                                                      const RosterSnapshot& roster)
{
    const Baton& b = roster.baton;
    if (!b.holder.isNull() && !session::contains(roster, b.holder))
        fail("batonHolderIsAMember: peer" + std::to_string(peer) + " committed " +
             describe(roster) + " whose baton holder is not a member");
    auto [it, fresh] = sids_[sid].batonHolderOf.emplace(b.generation, b.holder);
    if (!fresh && it->second != b.holder)
        fail("atMostOneBatonHolderPerGeneration: peer" + std::to_string(peer) + " committed " +
             describe(roster) + " but generation " + std::to_string(b.generation) +
             " was held by " + it->second.shortHex().toStdString());
}

void InvariantChecker::rosterVersionsNeverGoBack()
{
    // The newest roster on disk only moves forward ((epoch, version) order); the committed
    // roster a peer shows also never shows a smaller version number. (A deposed SM's
    // uncommitted proposal may carry a larger number than the republish that replaces it.)
    // What was on disk comes back after a restart: a restored roster is never older than the
    // one the device had written before it crashed (the disk survives the crash as it was).
    for (int i = 0; i < net_.size(); ++i) {
        SimPeer& p = net_.peer(i);
        if (!p.alive()) continue;
        std::uint64_t& seen = incarnation_[i];
        if (seen == p.incarnation()) continue;
        const bool restarted = seen != 0;
        seen = p.incarnation();
        if (!restarted) continue;
        for (const SessionId& sid : p.host()->sessionIds()) {
            Session* s = p.session(sid);
            auto record = p.disk().find(sid);
            if (!s || s->phase() != Session::Phase::Member || record == p.disk().end()) continue;
            const RosterStamp newest = record->second.accepted.at;
            if (s->accepted().at < newest || s->committed().at < record->second.committed.at)
                fail("rosterVersionsNeverGoBack: peer" + std::to_string(i) + " shows (" +
                     std::to_string(s->accepted().at.epoch) + "," +
                     std::to_string(s->accepted().at.version) + ") after a restart but had (" +
                     std::to_string(newest.epoch) + "," + std::to_string(newest.version) +
                     ") on disk");
        }
    }
    for (int i = 0; i < net_.size(); ++i) {
        SimPeer& p = net_.peer(i);
        if (!p.alive()) continue;
        for (const SessionId& sid : p.host()->sessionIds()) {
            Session* s = p.session(sid);
            auto key = std::make_pair(i, sid);
            if (!s || s->phase() != Session::Phase::Member) {
                lastAccepted_.erase(key);
                continue;
            }
            auto it = lastAccepted_.find(key);
            const Seen now{s, s->accepted().at, s->committed().at};
            if (it != lastAccepted_.end() && it->second.session == s) {
                const Seen& was = it->second;
                if (now.accepted < was.accepted || now.committed < was.committed ||
                    now.committed.version < was.committed.version)
                    fail("rosterVersionsNeverGoBack: peer" + std::to_string(i) + " went from (" +
                         std::to_string(was.accepted.epoch) + "," +
                         std::to_string(was.accepted.version) + ") committed " +
                         std::to_string(was.committed.version) + " to (" +
                         std::to_string(now.accepted.epoch) + "," +
                         std::to_string(now.accepted.version) + ") committed " +
                         std::to_string(now.committed.version));
            }
            lastAccepted_[key] = now;
        }
    }
}

void InvariantChecker::checkQuiescent()
{
    for (const auto& [sid, log] : sids_) {
        if (!log.any || everyoneLeft(sid, log)) continue; // the group is over
        agreementAtQuiescence(sid, log);
        fullMesh(log);
    }
}

bool InvariantChecker::everyoneLeft(const SessionId& sid, const SessionLog& log)
{
    for (const MemberInfo& m : log.latest.members) {
        SimPeer& p = net_.peer(net_.indexOf(m.device));
        auto r = p.disk().find(sid);
        if (r != p.disk().end()) {
            if (!r->second.ended) return false;
            continue;
        }
        // Seed 469265: committed while it gave up joining, so it never learned it was in and
        // wrote no record. Unless it is still trying, it is out like the others.
        const Session* s = p.alive() ? p.session(sid) : nullptr;
        if (s && s->phase() != Session::Phase::Gone) return false;
    }
    return true;
}

void InvariantChecker::agreementAtQuiescence(const SessionId& sid, const SessionLog& log)
{
    const RosterSnapshot& L = log.latest;
    int sms = 0;
    for (int i = 0; i < net_.size(); ++i) {
        SimPeer& p = net_.peer(i);
        const bool listed = session::contains(L, p.info().device);
        Session* s = p.session(sid);
        const bool member = s && s->phase() == Session::Phase::Member;
        const std::string who = "peer" + std::to_string(i);
        if (listed && !member) {
            fail("oneManagerAndAgreementAtQuiescence: " + who + " is in the committed roster " +
                 describe(L) + " but is not a member (" + (p.alive() ? "alive" : "dead") + ")");
            continue;
        }
        if (!member) continue;
        if (!listed) {
            fail("oneManagerAndAgreementAtQuiescence: " + who +
                 " still thinks it is a member; committed roster is " + describe(L));
            continue;
        }
        if (s->committed() != L || s->sm() != L.sm || s->accepted().at != L.at)
            fail("oneManagerAndAgreementAtQuiescence: " + who + " shows " +
                 describe(s->committed()) + " (follows " + s->sm().shortHex().toStdString() +
                 ") but the committed roster is " + describe(L));
        if (s->isSm()) {
            ++sms;
            if (!s->smReady())
                fail("oneManagerAndAgreementAtQuiescence: SM " + who + " is not ready");
        }
    }
    if (!L.members.isEmpty() && sms != 1)
        fail("oneManagerAndAgreementAtQuiescence: " + std::to_string(sms) + " SMs for " +
             describe(L));
}

void InvariantChecker::fullMesh(const SessionLog& log)
{
    const auto& m = log.latest.members;
    for (int a = 0; a < m.size(); ++a)
        for (int b = a + 1; b < m.size(); ++b) {
            const int i = net_.indexOf(m[a].device), j = net_.indexOf(m[b].device);
            if (!net_.linkUp(i, j))
                fail("fullMesh: no link between peer" + std::to_string(i) + " and peer" +
                     std::to_string(j) + " in " + describe(log.latest));
        }
}

void InvariantChecker::noLostWakeUp()
{
    for (int i = 0; i < net_.size(); ++i) {
        SimPeer& p = net_.peer(i);
        if (!p.alive()) continue;
        for (const SessionId& sid : p.host()->sessionIds()) {
            Session* s = p.session(sid);
            const std::optional<Millis> due = s->timers().earliest();
            if (!due) continue;
            auto wake = p.timers().find(sid);
            if (wake == p.timers().end() || wake->second > *due)
                fail("noLostWakeUp: peer" + std::to_string(i) + " keeps a deadline at " +
                     std::to_string(*due) + " but its host wakes it " +
                     (wake == p.timers().end() ? std::string("never")
                                               : "at " + std::to_string(wake->second)));
        }
    }
}

} // namespace plenum::sim

// Session, the co-browsing baton (DESIGN §9, §5.1 rule 11). The holder and its generation are
// a roster field: every move is a roster change through the SM's single queue, so it is
// committed by a majority, survives elections (a new SM republishes it) and every member's
// copy agrees. A member asks the holder, who grants (a pass to the asker) or refuses; with
// nobody holding it the SM grants. A pass is valid only if, when its turn in the queue comes,
// its sender still holds the generation it named: of two conflicting grants the first wins.
#include "session/roster.h"
#include "session/session.h"

namespace plenum::session {

using namespace protocol;

namespace {

QString reasonText(BatonRefused::Reason reason)
{
    switch (reason) {
    case BatonRefused::Reason::Declined:
        return QStringLiteral("The leader kept the baton.");
    case BatonRefused::Reason::NotHolder:
        return QStringLiteral("The baton had already moved on.");
    case BatonRefused::Reason::NotMember:
        return QStringLiteral("That device is not in the session.");
    case BatonRefused::Reason::Dropped:
        return QStringLiteral("The session is choosing a new manager: the baton request was "
                              "dropped. Ask again in a moment.");
    }
    return {};
}

} // namespace

void Session::batonRefused(BatonRefused::Reason reason, const QString& text)
{
    emitEvent(event::BatonRefused{reason, text.isEmpty() ? reasonText(reason) : text});
}

void Session::requestBaton(Millis now)
{
    if (phase_ != Phase::Member) return batonRefused(BatonRefused::Reason::NotMember, {});
    const Baton& b = committed_.baton;
    if (b.holder == self_.device) return; // ours already
    if (lostSm_ && b.holder.isNull()) return batonRefused(BatonRefused::Reason::Dropped, {});
    const DeviceId asked = b.holder.isNull() ? sm_ : b.holder;
    batonAsked_ = BatonAsk{asked, b.generation, self_.device};
    if (asked == self_.device) // the SM asking for a free baton queues the grant itself
        enqueue(BatonChange{self_.device, DeviceId{}, self_.device, b.generation}, now);
    else
        send(asked, BatonRequest{b.generation});
    reschedule();
}

void Session::passBaton(const DeviceId& to, Millis now)
{
    const Baton& b = committed_.baton;
    if (phase_ != Phase::Member || b.holder != self_.device)
        return batonRefused(BatonRefused::Reason::NotHolder,
                            QStringLiteral("Only the leader can pass the baton."));
    if (to == self_.device) return;
    if (!to.isNull() && !contains(committed_, to))
        return batonRefused(BatonRefused::Reason::NotMember, {});
    batonAskers_.removeAll(to);
    if (isSm_) {
        enqueue(BatonChange{self_.device, self_.device, to, b.generation}, now);
    } else if (lostSm_) {
        return batonRefused(BatonRefused::Reason::Dropped, {});
    } else {
        batonPassing_ = BatonAsk{sm_, b.generation, to};
        send(sm_, BatonPass{to, b.generation});
    }
    reschedule();
}

void Session::answerBaton(bool grant, Millis now, std::optional<DeviceId> asker)
{
    if (batonAskers_.isEmpty()) return;
    const DeviceId who = asker.value_or(batonAskers_.front());
    if (!batonAskers_.removeAll(who)) return;
    if (grant) return passBaton(who, now);
    send(who, BatonRefused{committed_.baton.generation, BatonRefused::Reason::Declined});
    reschedule();
}

void Session::onBatonRequest(const DeviceId& from, const protocol::BatonRequest& r, Millis now)
{
    if (phase_ != Phase::Member) return;
    const Baton& b = committed_.baton;
    if (b.holder == self_.device) {
        // One waiting request per member: the roster bounds the list.
        if (!batonAskers_.contains(from)) batonAskers_.append(from);
        emitEvent(event::BatonRequested{from});
        return;
    }
    if (isSm_ && b.holder.isNull()) {
        enqueue(BatonChange{from, DeviceId{}, from, r.generation}, now);
        return;
    }
    send(from, BatonRefused{b.generation, BatonRefused::Reason::NotHolder});
}

void Session::onBatonPass(const DeviceId& from, const protocol::BatonPass& p, Millis now)
{
    if (!isSm_) {
        // The SM it asked stepped down: what it queued there is gone (rule 11).
        send(from, BatonRefused{p.generation, BatonRefused::Reason::Dropped});
        return;
    }
    enqueue(BatonChange{from, from, p.to, p.generation}, now);
}

void Session::onBatonRefused(const DeviceId& from, const protocol::BatonRefused& r)
{
    // Only the device we asked can refuse what we asked (a member cannot cancel it for us).
    if (batonAsked_ && batonAsked_->asked == from) {
        batonAsked_.reset();
        batonRefused(r.reason, {});
    } else if (batonPassing_ && batonPassing_->asked == from) {
        batonPassing_.reset();
        batonRefused(r.reason, {});
    }
}

void Session::startBatonChange(const BatonChange& c, Millis now)
{
    // The queue orders every move; this one still holds only if nothing moved the baton since
    // its sender saw it. A grant from a device that no longer holds the generation is refused.
    const Baton& b = committed_.baton;
    const bool holderOnly = !config_.ruleOff(Rule::BatonHolderOnly);
    if (holderOnly && (b.holder != c.holder || b.generation != c.generation))
        return refuseBatonChange(c, BatonRefused::Reason::NotHolder);
    if (!c.to.isNull() && !contains(committed_, c.to))
        return refuseBatonChange(c, BatonRefused::Reason::NotMember);
    if (c.to == b.holder) return; // nothing to move
    MemberInfo to;
    if (!c.to.isNull()) to = *member(committed_, c.to);
    RosterChange change{RosterChange::Kind::Baton, RosterChange::Reason::Joined, to};
    RosterStamp at{epoch_, committed_.at.version + 1};
    propose(applyChange(committed_, change, at, self_.device), committed_.at, change, now);
}

void Session::refuseBatonChange(const BatonChange& c, BatonRefused::Reason reason)
{
    if (c.asker == self_.device) {
        batonAsked_.reset();
        batonPassing_.reset();
        batonRefused(reason, {});
    } else {
        send(c.asker, BatonRefused{committed_.baton.generation, reason});
    }
}

void Session::batonCommitted(const Baton& before)
{
    const Baton& b = committed_.baton;
    // Waiting asks from members that are gone are void.
    batonAskers_.removeIf([&](const DeviceId& d) { return !contains(committed_, d); });
    if (b == before) return;
    if (b.holder != self_.device) batonAskers_.clear(); // they asked a holder we no longer are
    // Our pass happened; another one of ours (a second grant) waits for the SM's answer.
    if (batonPassing_ && b.generation > batonPassing_->generation && b.holder == batonPassing_->to)
        batonPassing_.reset();
    if (batonAsked_ && b.generation > batonAsked_->generation) {
        // Answered by the roster: ours, or it went elsewhere first.
        const bool ours = b.holder == self_.device;
        batonAsked_.reset();
        if (!ours) batonRefused(BatonRefused::Reason::NotHolder, {});
    }
    emitEvent(event::BatonChanged{b});
}

void Session::dropBatonAsks()
{
    // Rule 11: a request pending when an election starts is dropped, and the UI says so.
    batonAskers_.clear();
    if (batonAsked_ || batonPassing_) {
        batonAsked_.reset();
        batonPassing_.reset();
        batonRefused(BatonRefused::Reason::Dropped, {});
    }
}

} // namespace plenum::session

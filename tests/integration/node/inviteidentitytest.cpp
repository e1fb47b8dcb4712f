// Who an invitation is from (issue 13): plenum-peer's "fault" command "forge_invite" makes a
// hostile inviter whose INVITEs claim another name, another account, or a member who asked.
// The invitee shows the account of the chain the INVITE came by, under the name that
// account's signed presence record gives; an INVITE listing its sender under another
// account is refused in words.
#include "peergroup.h"

#include <QFile>

#include <gtest/gtest.h>

#include <cstdio>

using namespace plenum::testsupport;

namespace {

// QStrings print as byte lists in gtest; std::string prints the text.
std::string text(const QJsonValue& v)
{
    return v.toString().toStdString();
}
std::string text(const QString& s)
{
    return s.toStdString();
}

bool forgeInvite(PeerProcess* mallory, const QJsonObject& claims)
{
    return mallory->ask({{"cmd", "fault"}, {"forge_invite", claims}}, "forged").has_value();
}

bool inviteFrom(PeerProcess* inviter, PeerProcess* invitee)
{
    if (!inviter->ask({{"cmd", "create"}}, "session")) return false;
    inviter->send({{"cmd", "invite"}, {"account", invitee->account}, {"device", invitee->device}});
    return true;
}

// The name an invitation ends up showing: at once if known, else once the inviter's signed
// record arrived ("inviter_named"). "source" gets where it came from.
QString shownName(PeerProcess* invitee, const QJsonObject& invited, QString* source)
{
    *source = invited.value("name_source").toString();
    if (*source != QLatin1String("none")) return invited.value("name").toString();
    EXPECT_EQ(text(invited.value("name")), "") << "no name rather than the claimed one";
    const QString sid = invited.value("sid").toString();
    auto named = invitee->waitEvent(
        [&](const QJsonObject& e) {
            return e.value("event") == QLatin1String("inviter_named") && e.value("sid") == sid;
        },
        20000);
    if (!named) return QStringLiteral("(never named)");
    // How long the invitation was shown without a name (the signed record's DHT round trip).
    std::printf(
        "inviter named %lld ms after the invitation\n",
        static_cast<long long>(named->value("_ms").toInteger() - invited.value("_ms").toInteger()));
    EXPECT_EQ(text(named->value("account")), text(invited.value("account")));
    *source = named->value("name_source").toString();
    return named->value("name").toString();
}

// Alice (the SM) and Carol in a session, and Dave outside it (all null if it failed).
struct Three {
    PeerProcess* alice = nullptr;
    PeerProcess* carol = nullptr;
    PeerProcess* dave = nullptr;
};
Three aliceCarolAndDave(PeerGroup& group)
{
    const auto members = group.session({"alice", "carol"});
    if (members.size() != 2u) return {};
    return {members[0], members[1], group.add("dave")};
}

} // namespace

// Attack: Mallory, a stranger, sent Bob an INVITE whose inviter name was "alice" (one of Bob's
// contacts); Bob was asked "alice invites you". Now he sees Mallory's account, and the name
// Mallory's own signed record gives.
TEST(InviteIdentityAttack, StrangerClaimingAnotherNameIsShownUnderItsSignedName)
{
    PeerGroup group;
    auto* alice = group.add("alice");
    auto* bob = group.add("bob");
    auto* mallory = group.add("mallory");
    ASSERT_TRUE(bob->ask({{"cmd", "add_contact"}, {"account", alice->account}}, "contacts"));
    ASSERT_TRUE(forgeInvite(mallory, {{"name", "alice"}}));
    ASSERT_TRUE(inviteFrom(mallory, bob));

    auto invited = bob->waitEvent("invited", 20000);
    ASSERT_TRUE(invited.has_value());
    EXPECT_EQ(text(invited->value("from")), text(mallory->device));
    EXPECT_EQ(text(invited->value("account")), text(mallory->account))
        << "the account of the chain the INVITE came by";
    EXPECT_NE(text(invited->value("name")), "alice");
    QString source;
    EXPECT_EQ(text(shownName(bob, *invited, &source)), "mallory");
    EXPECT_EQ(text(source), "signed");
    EXPECT_TRUE(bob->quit());
}

// Attack: Mallory's INVITE listed her own device under Alice's account and name. Bob refuses
// it, says why, and is not asked at all.
TEST(InviteIdentityAttack, StrangerListingItselfUnderAnotherAccountIsRefused)
{
    PeerGroup group;
    auto* alice = group.add("alice");
    auto* bob = group.add("bob");
    auto* mallory = group.add("mallory");
    ASSERT_TRUE(forgeInvite(mallory, {{"name", "alice"}, {"account", alice->account}}));
    ASSERT_TRUE(inviteFrom(mallory, bob));

    auto refused = bob->waitEvent(
        [](const QJsonObject& e) {
            return e.value("event") == QLatin1String("warning") &&
                   e.value("text").toString().contains(QLatin1String("INVITE"));
        },
        20000);
    ASSERT_TRUE(refused.has_value()) << "Bob must refuse the INVITE, and say so";
    const QString text = refused->value("text").toString();
    EXPECT_TRUE(text.contains(QLatin1String("was refused")) &&
                text.contains(alice->account.left(8)) && text.contains(mallory->account.left(8)))
        << text.toStdString();
    EXPECT_FALSE(bob->waitEvent("invited", 1000).has_value()) << "Bob was asked anyway";
    EXPECT_TRUE(bob->quit());
}

// Attack: Mallory's INVITE said Alice (Bob's contact, her real device and account) asked for
// it, so Bob saw it as Alice's invitation. Now it is Mallory's; and Alice, who signed no
// referral, is not named at all (it was passed on as Mallory's claim, "referred_by", before).
TEST(InviteIdentityAttack, StrangerNamingAContactAsWhoAskedIsShownAsItself)
{
    PeerGroup group;
    auto* alice = group.add("alice");
    auto* bob = group.add("bob");
    auto* mallory = group.add("mallory");
    ASSERT_TRUE(bob->ask({{"cmd", "add_contact"}, {"account", alice->account}}, "contacts"));
    ASSERT_TRUE(forgeInvite(
        mallory, {{"name", "alice"}, {"account", alice->account}, {"referrer", alice->device}}));
    ASSERT_TRUE(inviteFrom(mallory, bob));

    auto invited = bob->waitEvent("invited", 20000);
    ASSERT_TRUE(invited.has_value());
    EXPECT_EQ(text(invited->value("from")), text(mallory->device));
    EXPECT_EQ(text(invited->value("account")), text(mallory->account));
    EXPECT_FALSE(invited->contains("referred_by")) << text(invited->value("referred_by"));
    QString source;
    EXPECT_EQ(text(shownName(bob, *invited, &source)), "mallory");
    EXPECT_TRUE(bob->quit());
}

// A member that is not the SM asks it to invite someone (REFER): the invitation comes from
// the SM, and names the member that asked in the member's own words, a signature the invitee
// checks against the member's certificate chain (the SM adds it from its link). Neither the
// SM nor anyone else can make that up for a member that did not ask (the attack above).
TEST(InviteIdentity, AMemberWhoAskedTheSmIsNamedByItsOwnSignature)
{
    PeerGroup group;
    const auto [alice, carol, dave] = aliceCarolAndDave(group);
    ASSERT_TRUE(dave);
    const QString sid = carol->lastRoster().value("sid").toString();
    carol->send(
        {{"cmd", "invite"}, {"sid", sid}, {"account", dave->account}, {"device", dave->device}});
    auto invited = dave->waitEvent("invited", 20000);
    ASSERT_TRUE(invited.has_value());
    EXPECT_EQ(text(invited->value("from")), text(alice->device));
    EXPECT_EQ(text(invited->value("account")), text(alice->account));
    EXPECT_EQ(text(invited->value("referred_by")), text(carol->device));
    EXPECT_EQ(text(invited->value("referred_by_account")), text(carol->account));
    for (const QJsonObject& e : dave->events())
        EXPECT_FALSE(e.value("event") == "warning" &&
                     e.value("text").toString().contains("was not believed"))
            << e.value("text").toString().toStdString();
    dave->send({{"cmd", "accept"}, {"sid", invited->value("sid")}});
    EXPECT_TRUE(group.rostersEqual({alice, carol, dave}, 3, 15000));
}

// Alice, the SM, told to show a kept referral again ("replay_referral"), invites Dave for
// Carol; Dave joins and leaves (and restarts, if `restartDave`); then Alice invites him on
// her own. The first invitation must name Carol, the second must not, with a warning in
// words.
static void referralShownAgain(PeerGroup& group, const Three& t, bool restartDave)
{
    ASSERT_TRUE(t.dave);
    ASSERT_TRUE(forgeInvite(t.alice, {{"replay_referral", true}}));
    const QString sid = t.carol->lastRoster().value("sid").toString();
    t.carol->send({{"cmd", "invite"},
                   {"sid", sid},
                   {"account", t.dave->account},
                   {"device", t.dave->device}});
    auto first = t.dave->waitEvent("invited", 20000);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(text(first->value("referred_by")), text(t.carol->device));
    // Test peers take invitations at once: Dave joins, then leaves (the invitation ended).
    ASSERT_TRUE(group.rostersEqual({t.alice, t.carol, t.dave}, 3, 15000));
    t.dave->send({{"cmd", "leave"}, {"sid", sid}});
    ASSERT_TRUE(group.rostersEqual({t.alice, t.carol}, 2, 15000));
    if (restartDave) {
        ASSERT_TRUE(t.dave->quit());
        ASSERT_TRUE(group.restart(t.dave));
    }

    t.alice->send({{"cmd", "invite"},
                   {"sid", sid},
                   {"account", t.dave->account},
                   {"device", t.dave->device}});
    auto again = t.dave->waitEvent("invited", 20000);
    ASSERT_TRUE(again.has_value()) << "Alice's own invitation was not shown";
    EXPECT_EQ(text(again->value("from")), text(t.alice->device));
    EXPECT_FALSE(again->contains("referred_by")) << text(again->value("referred_by"));
    EXPECT_TRUE(t.dave->waitEvent(
        [](const QJsonObject& e) {
            return e.value("event") == QLatin1String("warning") &&
                   e.value("text").toString().contains("an earlier invitation showed it");
        },
        1000))
        << "no warning in words";
}

// Attack: Alice, the SM, kept Carol's signed referral from an invitation that ended (Dave
// joined and left, or declined) and put it on an invitation of her own minutes later: Dave saw
// "Carol asked for it" twice, though Carol asked once (a referral binds session, account and
// moment, so it verified). Now a referral names its member on one invitation: the second is
// Alice's own, with a warning.
TEST(InviteIdentityAttack, SmShowingAMembersReferralAgainIsShownAsItsOwn)
{
    PeerGroup group;
    const Three t = aliceCarolAndDave(group);
    ASSERT_NO_FATAL_FAILURE(referralShownAgain(group, t, false));
    // Still an invitation (Dave takes it).
    EXPECT_TRUE(group.rostersEqual({t.alice, t.carol, t.dave}, 3, 15000));
}

// The same attack across a restart of the invitee: what it showed is on disk (referrals.rec),
// so Dave, restarted between the two invitations, still does not show Carol's referral twice.
// A record that cannot be read is skipped with a warning in words; Dave still starts.
TEST(InviteIdentityAttack, SmShowingAReferralAgainAfterTheInviteeRestartedIsShownAsItsOwn)
{
    PeerGroup group;
    const Three t = aliceCarolAndDave(group);
    PeerProcess* dave = t.dave;
    ASSERT_NO_FATAL_FAILURE(referralShownAgain(group, t, true));

    // A damaged record: a warning at start, and the peer runs on.
    ASSERT_TRUE(dave->quit());
    QFile record(dave->profileDir + "/referrals.rec");
    ASSERT_TRUE(record.open(QIODevice::WriteOnly | QIODevice::Truncate));
    record.write("not a record");
    record.close();
    ASSERT_TRUE(group.restart(dave));
    EXPECT_TRUE(dave->waitEvent(
        [](const QJsonObject& e) {
            return e.value("event") == QLatin1String("warning") &&
                   e.value("text").toString().contains(
                       "the record of shown referrals was skipped: the file is not");
        },
        5000))
        << "no warning in words for the damaged record";
    EXPECT_TRUE(dave->ask({{"cmd", "whoami"}}, "whoami").has_value());
}

// The honest case: a contact's invitation is shown under her account and signed name, and
// accepting it works as before.
TEST(InviteIdentity, ContactsInvitationShowsHerAccountAndSignedName)
{
    PeerGroup group;
    auto* alice = group.add("alice");
    auto* bob = group.add("bob");
    ASSERT_TRUE(bob->ask({{"cmd", "add_contact"}, {"account", alice->account}}, "contacts"));
    ASSERT_TRUE(inviteFrom(alice, bob));
    auto invited = bob->waitEvent("invited", 20000);
    ASSERT_TRUE(invited.has_value());
    EXPECT_EQ(text(invited->value("from")), text(alice->device));
    EXPECT_EQ(text(invited->value("account")), text(alice->account));
    EXPECT_FALSE(invited->contains("referred_by"));
    QString source;
    EXPECT_EQ(text(shownName(bob, *invited, &source)), "alice");
    EXPECT_EQ(text(source), "signed");
    bob->send({{"cmd", "accept"}, {"sid", invited->value("sid")}});
    EXPECT_TRUE(group.rostersEqual({alice, bob}, 2, 15000));
}

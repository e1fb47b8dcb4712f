// What signed chat and signed votes cost (issue 13, DESIGN §5, §6): Ed25519 link-key signing
// and checking per chat message, a joiner checking its recent history, and a member checking
// a SET_SM quorum at N = 8, what signed votes cost one election at N = 8 (sessionquorum.cpp),
// and the SM's signature on a roster of 8 members: signing one, and checking a relayed one;
// a signed referral (who asked for an invitation) with the product's keys: the member signs
// with its RSA-2048 device key, the invitee checks the chain [link, device, account (RSA-4096)]
// it came with and then the signature. Medians over rounds, as JSON.
//
//   signature_bench [rounds=9] [messages=500]

#include "chat/chatsignature.h"
#include "crypto/linkkeyring.h"
#include "crypto/referral.h"
#include "protocol/messages.h"
#include "protocol/quorum.h"
#include "testaccounts.h"
#include "testchain.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

using namespace plenum;

namespace {

using Device = crypto::test::TestChain;

template <typename F> double medianUs(int rounds, int perRound, F&& op)
{
    std::vector<double> us;
    for (int r = 0; r < rounds; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < perRound; ++i)
            op(i);
        us.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                .count() /
            perRound);
    }
    std::sort(us.begin(), us.end());
    return us[us.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    const int rounds = std::max(1, argc > 1 ? std::atoi(argv[1]) : 9);
    const int messages = std::max(1, argc > 2 ? std::atoi(argv[2]) : 500);
    const SessionId sid = SessionId::fromNumber(1);
    std::vector<std::unique_ptr<Device>> group;
    crypto::LinkKeyRing ring;
    QList<DeviceId> roster;
    for (int i = 0; i < 8; ++i) {
        group.push_back(std::make_unique<Device>());
        ring.learn(group.back()->chain);
        roster.append(group.back()->chain.device);
    }
    const Device& author = *group[0];
    auto signedMessages = std::vector<protocol::ChatMessage>(static_cast<std::size_t>(messages));
    for (int i = 0; i < messages; ++i) {
        auto& m = signedMessages[std::size_t(i)];
        m.sender = author.chain.device;
        m.author = author.chain.account;
        m.seq = std::uint64_t(i + 1);
        m.lamport = std::uint64_t(i + 1);
        m.text = QStringLiteral("a chat line of ordinary length, about sixty characters long");
    }
    const double signUs = medianUs(rounds, messages, [&](int i) {
        chat::signChat(signedMessages[std::size_t(i)], sid, author.linkKey);
    });
    int bad = 0;
    const double verifyUs = medianUs(rounds, messages, [&](int i) {
        if (chat::verifyChat(signedMessages[std::size_t(i)], sid, ring) != chat::ChatVerdict::Valid)
            ++bad;
    });
    // A joiner (the 8th device): learns the link keys of the 7 members it links to and checks
    // 50 messages of recent history.
    const double joinUs = medianUs(rounds, 1, [&](int) {
        crypto::LinkKeyRing fresh;
        for (int d = 0; d < 7; ++d)
            fresh.learn(group[std::size_t(d)]->chain);
        for (int i = 0; i < 50 && i < messages; ++i)
            if (chat::verifyChat(signedMessages[std::size_t(i)], sid, fresh) !=
                chat::ChatVerdict::Valid)
                ++bad;
    });
    // A chain check (what a link handshake costs anyway), for scale.
    const double chainUs =
        medianUs(rounds, 20, [&](int) { (void)crypto::verifyChain(author.certs()); });
    // SET_SM at N = 8: the candidate and 4 signed votes.
    protocol::SetSm setSm{5, {}};
    for (int v = 1; v <= 4; ++v)
        setSm.votes.append(
            protocol::signVote(sid, 5, roster[0], roster[v], [&](const QByteArray& d) {
                return group[std::size_t(v)]->linkKey.sign(d);
            }));
    const auto check = [&](const DeviceId& s, const QByteArray& d, const QByteArray& sig) {
        return ring.verify(s, d, sig);
    };
    const double quorumUs = medianUs(rounds, 50, [&](int) {
        if (!protocol::checkSetSmQuorum(sid, setSm, roster[0], roster, check).ok) ++bad;
    });
    // One election at N = 8 as the session core runs it (sessionquorum.cpp): 4 voters each sign
    // one allow; the winner checks each allow as it arrives; the 7 others check SET_SM's quorum.
    const double voteSignUs = medianUs(rounds, 50, [&](int i) {
        (void)protocol::signVote(sid, 5 + std::uint64_t(i), roster[0], roster[1],
                                 [&](const QByteArray& d) { return group[1]->linkKey.sign(d); });
    });
    const double voteVerifyUs = medianUs(rounds, 50, [&](int i) {
        const auto& v = setSm.votes[i % setSm.votes.size()];
        if (!ring.verify(v.voter, protocol::voteSigningBytes(sid, 5, roster[0], v.voter),
                         v.signature))
            ++bad;
    });
    // A roster of 8 (names, a baton, a hand-off seat): what an SM signs twice per change (its
    // proposal and its commit) and what a member checks once per snapshot relayed to it.
    protocol::RosterSnapshot snap;
    snap.at = {5, 42};
    snap.sm = roster[0];
    for (int d = 0; d < 8; ++d)
        snap.members.append(protocol::MemberInfo{roster[d], group[std::size_t(d)]->chain.account,
                                                 QStringLiteral("Member number %1").arg(d),
                                                 protocol::DeviceClass::Laptop, true});
    snap.baton = {roster[3], 7};
    snap.reservations = {protocol::Reservation{DeviceId::fromNumber(99), roster[5],
                                               group[5]->chain.account, 1790000000000, false}};
    std::vector<QByteArray> rosterSigs;
    const double rosterSignUs = medianUs(rounds, 50, [&](int i) {
        protocol::RosterSnapshot r = snap;
        r.at.version += std::uint64_t(i);
        const QByteArray sig = group[0]->linkKey.sign(protocol::rosterSigningBytes(sid, r, true));
        if (rosterSigs.size() < 50) rosterSigs.push_back(sig);
    });
    const double rosterVerifyUs = medianUs(rounds, 50, [&](int i) {
        protocol::RosterSnapshot r = snap;
        r.at.version += std::uint64_t(i);
        if (!ring.verify(roster[0], protocol::rosterSigningBytes(sid, r, true),
                         rosterSigs[std::size_t(i)]))
            ++bad;
    });
    // An altered copy (one member dropped) must fail: the bench checks what it measures.
    protocol::RosterSnapshot altered = snap;
    altered.members.removeLast();
    if (ring.verify(roster[0], protocol::rosterSigningBytes(sid, altered, true), rosterSigs[0]))
        ++bad;
    const qsizetype rosterSigningBytes = protocol::rosterSigningBytes(sid, snap, true).size();
    // The referral, once per invitation a member asks for (crypto::verifyReferral): an
    // invitee has no link to the member, so it verifies the whole chain each time.
    // RSA-4096 generation costs up to seconds: the tests' cached account key.
    const auto accountKey = testsupport::cachedAccountKey(0);
    const auto deviceKey = crypto::PrivateKey::generate(crypto::KeyKind::Rsa2048).value();
    const auto accountCert =
        crypto::issueCertificate(accountKey, QStringLiteral("Carol"), crypto::CertRole::Account,
                                 nullptr, accountKey)
            .value();
    const auto deviceCert =
        crypto::issueCertificate(deviceKey, QStringLiteral("laptop"), crypto::CertRole::Device,
                                 &accountCert, accountKey)
            .value();
    const auto linkCert = crypto::issueCertificate(group[2]->linkKey, QStringLiteral("link"),
                                                   crypto::CertRole::Link, &deviceCert, deviceKey)
                              .value();
    const DeviceId referrer = *DeviceId::fromBytes(crypto::sha256(deviceKey.publicKeyDer()));
    const AccountId invitee = group[7]->chain.account;
    const qint64 issuedAt = QDateTime::currentMSecsSinceEpoch();
    const QByteArray referralBytes =
        protocol::referralSigningBytes(sid, invitee, referrer, quint64(issuedAt));
    QByteArray referralSig;
    const double referralSignUs =
        medianUs(rounds, 20, [&](int) { referralSig = deviceKey.sign(referralBytes); });
    const QByteArray linkDer = linkCert.toDer(), deviceDer = deviceCert.toDer(),
                     accountDer = accountCert.toDer();
    const protocol::Referral referral{referralSig, linkDer, deviceDer, accountDer,
                                      quint64(issuedAt)};
    const auto checkReferral = [&](const AccountId& who) {
        crypto::LinkKeyRing fresh; // as an invitee that never met the member
        return bool(crypto::verifyReferral(referral, referrer, sid, who, issuedAt, fresh));
    };
    const double referralCheckUs = medianUs(rounds, 20, [&](int) {
        if (!checkReferral(invitee)) ++bad;
    });
    // Bound to the account invited: shown to another account it must fail.
    if (checkReferral(group[6]->chain.account)) ++bad;
    const qsizetype referralWireBytes =
        referralSig.size() + linkDer.size() + deviceDer.size() + accountDer.size();
    const double electionCpuUs = 4 * voteSignUs + 4 * voteVerifyUs + 7 * quorumUs;
    // The busiest device: the winner (its 4 checks) or a member (one quorum check).
    const double electionDeviceUs = std::max(4 * voteVerifyUs, voteSignUs + quorumUs);
    std::printf("{\"bench\":\"signature\",\"messages\":%d,\"rounds\":%d,"
                "\"chat_sign_us_per_msg\":%.1f,\"chat_verify_us_per_msg\":%.1f,"
                "\"join_n8_learn7_verify50_ms\":%.3f,\"chain_verify_us\":%.1f,"
                "\"set_sm_quorum_n8_verify_us\":%.1f,\"vote_sign_us\":%.1f,"
                "\"vote_verify_us\":%.1f,\"election_n8_cpu_us_all_devices\":%.1f,"
                "\"election_n8_cpu_us_busiest_device\":%.1f,\"set_sm_n8_votes_bytes_approx\":%lld,"
                "\"signature_bytes\":%lld,\"roster_n8_sign_us\":%.1f,"
                "\"roster_n8_verify_us\":%.1f,\"roster_n8_signed_bytes\":%lld,"
                "\"roster_and_commit_growth_bytes\":%lld,\"referral_sign_us\":%.1f,"
                "\"referral_check_us\":%.1f,\"referral_bytes\":%lld,\"failures\":%d}\n",
                messages, rounds, signUs, verifyUs, joinUs / 1000.0, chainUs, quorumUs, voteSignUs,
                voteVerifyUs, electionCpuUs, electionDeviceUs,
                static_cast<long long>(4 * (32 + 2 + setSm.votes[0].signature.size() + 2)),
                static_cast<long long>(signedMessages[0].signature.size()), rosterSignUs,
                rosterVerifyUs, static_cast<long long>(rosterSigningBytes),
                static_cast<long long>(1 + 2 + rosterSigs[0].size()), referralSignUs,
                referralCheckUs, static_cast<long long>(referralWireBytes), bad);
    return bad == 0 ? 0 : 1;
}

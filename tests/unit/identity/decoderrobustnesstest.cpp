// Every decoder of bytes from the network or disk, fed mutated valid inputs and random bytes
// (seeded, so a failure replays): each must return an error or a value, never crash.
#include "identity/envelopeopener.h"
#include "identity/pairingcode.h"
#include "identity/pairingmessages.h"
#include "identity/plenumlink.h"
#include "identity/presencerecord.h"
#include "testaccounts.h"

#include <gtest/gtest.h>

#include <random>

using namespace plenum;
using namespace plenum::identity;

namespace {

QByteArray mutate(QByteArray b, std::mt19937_64& rng)
{
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < edits && !b.isEmpty(); ++i) {
        const auto pos = static_cast<qsizetype>(rng() % static_cast<quint64>(b.size()));
        switch (rng() % 3) {
        case 0:
            b[pos] = static_cast<char>(rng());
            break;
        case 1:
            b.truncate(pos);
            break;
        default:
            b.insert(pos, QByteArray(static_cast<qsizetype>(rng() % 8), static_cast<char>(rng())));
        }
    }
    return b;
}

} // namespace

TEST(DecoderRobustness, MutatedInputsYieldErrorsNotCrashes)
{
    std::mt19937_64 rng(20261123);
    const Profile alice =
        testsupport::testProfile(0, QStringLiteral("Alice"), QStringLiteral("pc"));
    const Profile bob = testsupport::testProfile(1, QStringLiteral("Bob"), QStringLiteral("pc"));
    PresenceRecord rec;
    rec.published = QDateTime::currentDateTimeUtc();
    rec.expires = rec.published.addSecs(60);
    const QByteArray presence = rec.encode(alice.device);
    const QByteArray request = PairingRequest{alice.device.deviceCertificate().publicKeyDer(),
                                              QStringLiteral("x"), QByteArray(32, 'p')}
                                   .encode();
    const QByteArray grant = PairingGrant::from(alice, alice.device.deviceCertificate()).encode();
    const QByteArray sealed =
        SealedEnvelope::seal(alice.device.deviceKey(), alice.device.deviceChain(), bob.device.id(),
                             bob.device.deviceCertificate().publicKeyDer(), RequestKind::Signal,
                             "offer", 1)
            .value();
    const auto opener = EnvelopeOpener::create(bob.device.deviceKey()).value();
    const QString link = PlenumLink{alice.account.id(), QStringLiteral("A")}.toString();
    const QString code = PairingCode{bob.device.id(), QByteArray(16, 's'), {}}.toText();

    int accepted = 0;
    for (int i = 0; i < 300; ++i) {
        accepted += PresenceRecord::decode(mutate(presence, rng), alice.account.id()).ok();
        accepted += PairingRequest::decode(mutate(request, rng)).ok();
        accepted += PairingGrant::decode(mutate(grant, rng)).ok();
        accepted += PlenumLink::parse(QString::fromUtf8(mutate(link.toUtf8(), rng))).ok();
        accepted += PairingCode::parse(QString::fromUtf8(mutate(code.toUtf8(), rng))).ok();
        if (i % 10 == 0) accepted += opener.open(mutate(sealed, rng)).ok();
        QByteArray noise(static_cast<qsizetype>(rng() % 2048), '\0');
        for (char& c : noise)
            c = static_cast<char>(rng());
        EXPECT_FALSE(PresenceRecord::decode(noise, alice.account.id()).ok());
        EXPECT_FALSE(PairingGrant::decode(noise).ok());
    }
    // Most mutations must be refused (a few, e.g. in a name, may still decode).
    EXPECT_LT(accepted, 900);
}

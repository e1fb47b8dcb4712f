// Issue 15, "call state (in call, muted, devices)": Alice's place in the call moves with the
// session. Muted on her desktop (A1), she arrives muted on her phone (A2): A2 is in the call
// muted from the swap, and Bob's call lists A2 muted. And while A2 stands by before the swap
// (its streams primed, playing nothing) it does not say it plays anyone: its call_audio from
// Bob comes once it is in the call.
#include "audiogap.h"
#include "callcheck.h"
#include "handoffsupport.h"

#include "media/wavfile.h"

#include <QJsonArray>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace plenum::testsupport;

namespace {

// `device` is listed in the call event `e`, muted as `muted`.
bool listedMuted(const QJsonObject& e, const QString& device, bool muted)
{
    if (e.value("event").toString() != "call") return false;
    for (const auto& v : e.value("members").toArray())
        if (v.toObject().value("device").toString() == device)
            return v.toObject().value("muted").toBool() == muted;
    return false;
}

} // namespace

TEST(NodeHandoff, AMutedDeviceArrivesMutedAndPlaysNothingOnStandby)
{
    QTemporaryDir dir;
    const QString signal = dir.filePath("bob.wav");
    ASSERT_TRUE(plenum::media::WavFile::write(signal, continuousSignal(2, kCallRate)).ok());
    AliceTwoDevices s;
    ASSERT_TRUE(s.build());
    // Bob speaks all along: A2's standby receives his stream before the swap.
    s.bob->send({{"cmd", "audio_in"}, {"file", signal}, {"loop", true}});
    s.a1->send({{"cmd", "call_join"}, {"sid", s.sid}});
    s.bob->send({{"cmd", "call_join"}, {"sid", s.sid}});
    const QStringList before{s.a1->device, s.bob->device};
    ASSERT_TRUE(s.bob->waitEvent([&](auto& e) { return callHas(e, before); }, 15000));
    s.a1->send({{"cmd", "mute"}});
    ASSERT_TRUE(s.bob->waitEvent(
        [&](auto& e) { return callHas(e, before) && listedMuted(e, s.a1->device, true); }, 15000))
        << "Bob never saw A1 muted";

    s.a1->send({{"cmd", "handoff_push"}, {"sid", s.sid}, {"device", s.a2->device}});
    ASSERT_TRUE(s.a2->waitEvent("handoff_offer", 20000)) << trail(s.a1) << "\n" << trail(s.a2);
    s.a2->send({{"cmd", "handoff_answer"}, {"sid", s.sid}, {"accept", true}});
    auto done = outcome(s.a2, 30000);
    ASSERT_TRUE(done.has_value());
    ASSERT_EQ(done->value("event").toString(), "handoff_done") << trail(s.a2);

    const QStringList after{s.a2->device, s.bob->device};
    EXPECT_TRUE(s.a2->waitEvent(
        [&](auto& e) {
            return callHas(e, after) && e.value("in_call").toBool() && e.value("muted").toBool();
        },
        20000))
        << "A2 is not in the call muted";
    EXPECT_TRUE(s.bob->waitEvent(
        [&](auto& e) { return callHas(e, after) && listedMuted(e, s.a2->device, true); }, 20000))
        << "Bob's call does not list A2 muted";
    expectNobodySawLeave(s);

    // A2 plays Bob from the swap on: its call_audio from Bob comes after its first call event
    // in the call, none while it stood by (it had Bob's packets then, and played nothing).
    ASSERT_TRUE(s.a2->waitEvent(
        [&](auto& e) {
            return e.value("event") == "call_audio" && e.value("from") == s.bob->device;
        },
        20000))
        << "A2 never heard Bob";
    const QList<QJsonObject> events = s.a2->events();
    qsizetype joined = -1;
    for (qsizetype i = 0; i < events.size() && joined < 0; ++i)
        if (events[i].value("event") == "call" && events[i].value("in_call").toBool()) joined = i;
    ASSERT_GE(joined, 0);
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events[i].value("event") != "call_audio") continue;
        EXPECT_GT(i, joined) << "A2 said it played "
                             << events[i].value("from").toString().toStdString()
                             << " while on standby";
    }
}

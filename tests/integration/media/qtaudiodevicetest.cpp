// The Qt Multimedia backend under a private PulseAudio with a null sink and source: it lists
// the virtual devices, opens them, plays, and captures; capturing from the sink's monitor
// hears what it played.
#include "eventloop.h"
#include "pulseserver.h"

#include "media/levelmeter.h"
#include "media/qtaudiodevice.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace plenum::media;
using namespace plenum::media::test;

namespace {
bool has(const QList<QAudioDevice>& list, const QByteArray& id)
{
    for (const auto& d : list)
        if (d.id() == id) return true;
    return false;
}
} // namespace

TEST(QtAudioDevice, OpensPlaysAndCapturesUnderAPrivatePulseAudio)
{
    plenum::net::test::ensureApp();
    PulseServer pulse;
    ASSERT_TRUE(pulse.start()) << pulse.error().toStdString();
    ASSERT_TRUE(plenum::net::test::waitFor(
        [] { return has(QtAudioDevice::outputs(), "spk") && has(QtAudioDevice::inputs(), "mic"); },
        10000));

    QtAudioDevice device;
    device.setOutputDevice("spk");
    device.setInputDevice("spk.monitor"); // hear what we play
    if (!has(QtAudioDevice::inputs(), "spk.monitor")) device.setInputDevice("mic");
    double phase = 0;
    device.setPlaybackSource([&](std::span<qint16> out) {
        for (auto& s : out) {
            s = qint16(8000 * std::sin(phase));
            phase += 2 * M_PI * 440 / 48000;
        }
    });
    double loudest = -96;
    device.setCaptureSink(
        [&](std::span<const qint16> in) { loudest = std::max(loudest, LevelMeter::rmsDb(in)); });
    ASSERT_TRUE(device.start(960).ok());
    EXPECT_EQ(device.currentOutput().id(), QByteArray("spk"));
    QElapsedTimer clock;
    clock.start();
    const bool flowed = plenum::net::test::waitFor(
        [&] { return device.framesCaptured() >= 100 && device.framesPlayed() >= 100; }, 15000);
    const qint64 ms = clock.elapsed();
    device.stop();
    std::printf("{\"elapsed_ms\": %lld}\n", ms);
    std::printf("{\"captured_frames\": %lld, \"played_frames\": %lld, \"input\": \"%s\", "
                "\"loudest_capture_db\": %.1f}\n",
                device.framesCaptured(), device.framesPlayed(),
                device.currentInput().id().constData(), loudest);
    EXPECT_TRUE(flowed);
    if (device.currentInput().id() == "spk.monitor") {
        EXPECT_GT(loudest, -20.0); // the 440 Hz tone at about -15 dBFS came back
    }
}

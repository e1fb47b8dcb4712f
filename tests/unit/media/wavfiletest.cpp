// WavFile round trip and strict parsing; FileAudioDevice pacing and its virtual echo path.
#include "eventloop.h"

#include "media/fileaudiodevice.h"
#include "media/wavfile.h"

#include <gtest/gtest.h>

#include <QHash>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

using namespace plenum::media;

TEST(WavFile, RoundTripsAndRefusesWhatItCannotPlay)
{
    QTemporaryDir dir;
    const QString path = dir.filePath("a.wav");
    std::vector<qint16> samples{0, 1, -1, 32767, -32768, 1234};
    ASSERT_TRUE(WavFile::write(path, samples).ok());
    auto back = WavFile::read(path);
    ASSERT_TRUE(back.ok()) << back.error().toStdString();
    EXPECT_EQ(back.value(), samples);

    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    QByteArray rate = good;
    rate[24] = char(0x22); // 44.1/22.05 kHz-ish: not 48 kHz
    EXPECT_FALSE(WavFile::parse(rate).ok());
    QByteArray stereo = good;
    stereo[22] = 2;
    EXPECT_FALSE(WavFile::parse(stereo).ok());
    QByteArray overrun = good;
    overrun[40] = char(0xff); // data chunk longer than the file
    EXPECT_FALSE(WavFile::parse(overrun).ok());
    EXPECT_FALSE(WavFile::parse(good.left(30)).ok());
    EXPECT_FALSE(WavFile::parse("RIFFxxxxWAVE").ok());
}

TEST(FileAudioDevice, RunsAtRealTimePaceAndLoopsInputToOutput)
{
    plenum::net::test::ensureApp();
    FileAudioDevice device;
    std::vector<qint16> input(4800);
    for (size_t i = 0; i < input.size(); ++i)
        input[i] = qint16(i);
    device.setInput(input);
    std::vector<qint16> captured;
    device.setCaptureSink(
        [&](std::span<const qint16> f) { captured.insert(captured.end(), f.begin(), f.end()); });
    // The speaker plays what the microphone heard one frame earlier.
    std::vector<qint16> last(960, 0);
    device.setPlaybackSource([&](std::span<qint16> out) {
        std::copy(last.begin(), last.end(), out.begin());
        last.assign(captured.end() - 960, captured.end());
    });
    QElapsedTimer clock;
    clock.start();
    ASSERT_TRUE(device.start(960).ok());
    plenum::net::test::waitFor([&] { return device.framesProcessed() >= 10; }, 5000);
    const qint64 ms = clock.elapsed();
    device.stop();
    EXPECT_GE(ms, 190); // 10 frames of 20 ms cannot come sooner
    ASSERT_GE(captured.size(), 4800u);
    EXPECT_TRUE(std::equal(input.begin(), input.end(), captured.begin()));
    EXPECT_TRUE(std::equal(input.begin(), input.begin() + 960, device.played().begin() + 960));
}

TEST(FileAudioDevice, EchoPathFeedsTheSpeakerBackIntoTheMicrophone)
{
    FileAudioDevice device;
    device.setEchoPath({{100, 0.5f}});
    std::vector<qint16> mic;
    device.setCaptureSink(
        [&](std::span<const qint16> f) { mic.insert(mic.end(), f.begin(), f.end()); });
    device.setPlaybackSource(
        [&](std::span<qint16> out) { std::fill(out.begin(), out.end(), 1000); });
    ASSERT_TRUE(device.runUnpaced(480, 4).ok());
    // Played sample 0 leaves the speaker at 480 (one frame of buffering) and is heard 100 later.
    EXPECT_EQ(mic[579], 0);
    EXPECT_EQ(mic[580], 500);
}

// plenum-peer keeps only the tail of what was played (a long call must not grow memory); the
// echo path still hears exactly what a device that keeps everything hears.
TEST(FileAudioDevice, AShortPlayedHistoryKeepsTheEchoPath)
{
    auto run = [](bool keep, size_t* kept) {
        FileAudioDevice device;
        device.setKeepPlayed(keep);
        device.setEchoPath({{100, 0.5f}, {4000, 0.25f}});
        std::vector<qint16> mic;
        device.setCaptureSink(
            [&](std::span<const qint16> f) { mic.insert(mic.end(), f.begin(), f.end()); });
        qint16 next = 0;
        device.setPlaybackSource([&](std::span<qint16> out) {
            for (auto& s : out)
                s = qint16(++next % 2000);
        });
        EXPECT_TRUE(device.runUnpaced(480, 1000).ok()); // 10 s
        *kept = device.played().size();
        return mic;
    };
    size_t all = 0, tail = 0;
    const auto full = run(true, &all);
    const auto trimmed = run(false, &tail);
    EXPECT_EQ(all, 1000u * 480);
    EXPECT_LT(tail, 100000u); // about 2 s at most, not 10
    ASSERT_EQ(full.size(), trimmed.size());
    EXPECT_TRUE(full == trimmed);
    EXPECT_NE(full[480 * 999], 0); // the echo path was heard to the end
}

// plenum-peer's audio_in / audio_out mid-call: a new input starts at once from its beginning,
// and a new output file gets only what is played after the switch (the old one the rest).
TEST(FileAudioDevice, InputAndOutputSwitchWhileRunning)
{
    QTemporaryDir dir;
    FileAudioDevice device;
    device.setManualClock(true);
    device.setInput(std::vector<qint16>(480, 7), true);
    ASSERT_TRUE(device.setOutputFile(dir.filePath("first.wav")).ok());
    std::vector<qint16> mic;
    device.setCaptureSink(
        [&](std::span<const qint16> f) { mic.insert(mic.end(), f.begin(), f.end()); });
    qint16 next = 0;
    device.setPlaybackSource(
        [&](std::span<qint16> out) { std::fill(out.begin(), out.end(), ++next); });
    ASSERT_TRUE(device.start(480).ok());
    device.step();
    device.step();
    std::vector<qint16> second(960);
    for (size_t i = 0; i < second.size(); ++i)
        second[i] = qint16(100 + i);
    device.setInput(second);
    ASSERT_TRUE(device.setOutputFile(dir.filePath("second.wav")).ok());
    device.step();
    device.step();
    device.step();
    device.stop();
    ASSERT_EQ(mic.size(), 5u * 480);
    EXPECT_EQ(mic[959], 7);
    EXPECT_EQ(mic[960], 100); // the new input from its first sample, not from sample 960
    EXPECT_EQ(mic[960 + 959], 100 + 959);
    EXPECT_EQ(mic[960 + 960], 0); // not looped: silence after its end
    auto first = WavFile::read(dir.filePath("first.wav"));
    auto later = WavFile::read(dir.filePath("second.wav"));
    ASSERT_TRUE(first.ok() && later.ok());
    EXPECT_EQ(first->size(), 960u);
    EXPECT_EQ(first->back(), 2);
    ASSERT_EQ(later->size(), 3u * 480);
    EXPECT_EQ(later->front(), 3);
}

TEST(FileAudioDevice, ALateWakeupMakesUpFramesBetweenOtherEvents)
{
    // Issue 14: a process that was not scheduled for a while must still read its sockets and
    // send its link pings while the device makes up the missed frames.
    plenum::net::test::ensureApp();
    FileAudioDevice device;
    device.setInput(std::vector<qint16>(48000, 100), true);
    int turns = 0; // counts event-loop turns: a zero timer fires once per turn
    QTimer other;
    QObject::connect(&other, &QTimer::timeout, [&] { ++turns; });
    other.start(0);
    std::vector<int> turnOfFrame;
    device.setCaptureSink([&](std::span<const qint16>) { turnOfFrame.push_back(turns); });
    ASSERT_TRUE(device.start(960).ok());
    ASSERT_TRUE(plenum::net::test::waitFor([&] { return device.framesProcessed() >= 2; }, 5000));
    const qint64 before = device.framesProcessed();
    QThread::msleep(300); // 15 frames of 20 ms fall due while nothing runs
    ASSERT_TRUE(
        plenum::net::test::waitFor([&] { return device.framesProcessed() >= before + 15; }, 5000));
    device.stop();
    // The frames made up after the stall: never more than kFramesPerTurn in one turn.
    QHash<int, int> perTurn;
    for (size_t i = size_t(before); i < turnOfFrame.size(); ++i)
        ++perTurn[turnOfFrame[i]];
    int most = 0;
    for (int n : std::as_const(perTurn))
        most = std::max(most, n);
    EXPECT_LE(most, FileAudioDevice::kFramesPerTurn);
    EXPECT_GE(perTurn.size(), 15 / FileAudioDevice::kFramesPerTurn);
}
